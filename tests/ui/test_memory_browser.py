"""Accountability in a real browser: the due strip in Chat and My programme shows the person's own due items
(never the partner's), and "What the coach keeps about you" lists the person's conversations (never the
partner's) and deletes one for good: gone from the page and from the database."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from tests.support.journey import login, open_tab, raw_messages, tracebacks, wait_text
from tests.support.web import serve

pytestmark = pytest.mark.browser
TODAY = dt.date(2026, 12, 7)  # the scripted pair's day (evals/history/scripted_pair.yaml)


@pytest.fixture
def served(services, fast_hashes):
    """The scripted pair (three reviews, a moved meeting) with accounts; Priya and Tom each have a conversation."""
    from kickcoach.bootstrap import prepare
    from kickcoach.evals.history_pair import build, script
    from kickcoach.people.accounts import Accounts
    from kickcoach.ui.app import build_app

    services.settings.today = TODAY
    prepare(services)
    build(services, script())
    accounts = Accounts(services.storage)
    priya = accounts.add("priya", "priya-password-1", pair_id="demo", partner="a", email="priya@example.org")
    tom = accounts.add("tom", "tom-password-1", pair_id="demo", partner="b", email="tom@example.org")
    kept = {}
    for person, title in ((priya, "PELICAN-3 nerves before the talk"), (tom, "OTTER-9 thinking of leaving")):
        repo = services.storage.for_person(person, "demo")
        conv = repo.new_conversation("chat", title)
        repo.add_turn(conv, "user", f"{title.split()[0]} I would like to talk about this.")
        repo.add_turn(conv, "assistant", "What would you like to start with?")
        kept[person.name] = (repo, conv)
    with serve(services, build_app(services), prepare=False) as ui:
        yield ui.url, kept


def test_the_due_strip_shows_my_items_in_chat_and_my_programme(served, page, capfd):
    url, _ = served
    login(page, url, "priya")
    open_tab(page, "Chat")
    chat = wait_text(page, "chat-due", "Run the full talk once without notes")
    assert "11 December" in chat  # the next meeting, moved from Thursday 10 December
    assert "Save three queries" not in chat  # Tom's commitment is his item, not Priya's
    open_tab(page, "My programme")
    mine = wait_text(page, "my-due", "Run the full talk once without notes")
    assert "Save three queries" not in mine
    assert raw_messages(page) == [] and tracebacks(capfd.readouterr().err) == 0


def test_the_memory_panel_shows_what_is_kept_and_deletes_a_conversation(served, page, services, capfd):
    url, kept = served
    repo, conversation = kept["priya"]
    login(page, url, "priya")
    open_tab(page, "Chat")
    page.get_by_text("What the coach keeps about you").click()
    page.locator("#memory-show").click()
    shown = wait_text(page, "memory-kept", "PELICAN-3")
    assert "3 weekly reviews" in shown and "OTTER-9" not in shown  # the shared history; not Tom's chats
    page.locator("#memory-pick input").click()
    page.get_by_role("option", name="PELICAN-3", exact=False).first.click()
    page.locator("#memory-delete").click()
    after = wait_text(page, "memory-kept", "Deleted, with its 2 messages.")
    assert "PELICAN-3" not in after
    assert all(c.id != conversation for c in repo.conversations("chat"))
    with services.storage.engine.connect() as c:  # gone from the database: no row, no turn, no copy of the words
        rows = [c.execute(text(q), {"i": conversation}).scalar() for q in (
            "SELECT count(*) FROM conversations WHERE id = :i", "SELECT count(*) FROM turns WHERE conversation_id = :i",
            "SELECT count(*) FROM turns WHERE content LIKE '%PELICAN-3%' AND :i = :i")]
    assert rows == [0, 0, 0]
    tom_repo, tom_conversation = kept["tom"]
    assert any(c.id == tom_conversation for c in tom_repo.conversations("chat"))  # Tom's is untouched
    assert raw_messages(page) == [] and tracebacks(capfd.readouterr().err) == 0
