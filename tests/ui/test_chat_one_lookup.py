"""A chat send resolves who is speaking once (one account read, one session check) and reads the conversation
once: the turn gets both from the UI's edge instead of working them out again."""

from __future__ import annotations

from collections import Counter

import pytest

from kickcoach.storage.repo import PairRepo
from kickcoach.ui.chat_tab import ChatHandlers
from kickcoach.ui.identity import Identity
from tests.conftest import login_request


@pytest.fixture
def logged_in(tmp_path, services, fast_hashes, monkeypatch):
    from kickcoach.bootstrap import prepare

    prepare(services)
    users = tmp_path / "users.yaml"
    users.write_text("alice: {password: pw1, pair_id: pair-a}\nbob: {password: pw2, pair_id: pair-a}\n")
    services.storage.ensure_pair("pair-a", "Pair A")
    identity = Identity(services.settings.model_copy(update={"users_file": users}), services.storage)
    counts: Counter[str] = Counter()

    def counted(name, real):  # type: ignore[no-untyped-def]
        def call(*args, **kwargs):  # type: ignore[no-untyped-def]
            counts[name] += 1
            return real(*args, **kwargs)
        return call

    assert identity.accounts is not None and identity.sessions is not None
    request = login_request("alice", None, services.storage)  # a session started at login, as the login page does
    monkeypatch.setattr(identity.accounts, "get", counted("account", identity.accounts.get))
    monkeypatch.setattr(identity.sessions, "check", counted("session", identity.sessions.check))
    monkeypatch.setattr(PairRepo, "turns", counted("turns", PairRepo.turns))
    return ChatHandlers(services, identity), request, counts


def test_a_send_resolves_the_speaker_once_and_reads_the_conversation_once(logged_in):
    handlers, request, counts = logged_in
    *_, (_, _, conversation) = handlers.send("How often should peer mentors meet?", None, request)
    assert conversation and counts == {"account": 1, "session": 1}  # a new conversation: nothing to read
    counts.clear()
    *_, (messages, _, again) = handlers.send("And for how long?", conversation, request)
    assert again == conversation and len(messages) == 4
    assert counts == {"account": 1, "session": 1, "turns": 1}


def test_the_api_send_resolves_the_speaker_once(logged_in):
    handlers, request, counts = logged_in
    answer = handlers.api_send("How often should peer mentors meet?", None, request)
    assert answer["reply"] and answer["error"] is None
    assert counts == {"account": 1, "session": 1}
