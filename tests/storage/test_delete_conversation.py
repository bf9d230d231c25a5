"""Memory you control: deleting one of your conversations removes it and its turns from the database, and so
from every later read (the conversation list, the coach's history read); another person's is "not found".
Runs on SQLite and PostgreSQL (tests/storage/)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from kickcoach.core.errors import NotFound
from kickcoach.core.person import local_owner
from kickcoach.history import read
from kickcoach.history.memory import forget_conversation, what_is_kept


def _rows(storage, conversation_id):
    with storage.engine.connect() as c:
        convs = c.execute(text("SELECT count(*) FROM conversations WHERE id = :i"), {"i": conversation_id}).scalar()
        turns = c.execute(text("SELECT count(*) FROM turns WHERE conversation_id = :i"), {"i": conversation_id}).scalar()
        words = c.execute(text("SELECT count(*) FROM turns WHERE content LIKE '%QUOKKA%'")).scalar()
    return convs, turns, words


def test_a_deleted_conversation_is_gone_from_storage_and_retrieval(services):
    services.storage.ensure_pair("demo", "demo")
    priya = services.storage.for_person(local_owner("demo", "a"), "demo")
    keep = priya.new_conversation("chat")
    priya.add_turn(keep, "user", "an ordinary day")
    gone = priya.new_conversation("chat")
    priya.add_turn(gone, "user", "QUOKKA: something I regret saying")
    priya.add_turn(gone, "assistant", "It sounds like QUOKKA weighs on you.")
    assert _rows(services.storage, gone) == (1, 2, 2)
    assert {c[0] for c in what_is_kept(priya, None, dt.date(2026, 12, 7)).conversations} == {keep, gone}

    assert forget_conversation(priya, gone) == 2
    assert _rows(services.storage, gone) == (0, 0, 0)  # no row, no turn, no copy of the words
    assert [c.id for c in priya.conversations("chat")] == [keep]
    assert [c.id for c in read(priya, None, dt.date(2026, 12, 7)).conversations] == [keep]
    with pytest.raises(NotFound):
        priya.turns(gone)


def test_nobody_can_delete_another_persons_conversation(services):
    services.storage.ensure_pair("demo", "demo")
    tom = services.storage.for_person(local_owner("demo", "b"), "demo")
    his = tom.new_conversation("chat")
    tom.add_turn(his, "user", "mine")
    priya = services.storage.for_person(local_owner("demo", "a"), "demo")
    with pytest.raises(NotFound):
        forget_conversation(priya, his)
    assert _rows(services.storage, his)[:2] == (1, 1)
