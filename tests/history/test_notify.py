"""``kickcoach notify`` against a real SMTP server on loopback (aiosmtpd): a digest per person, each item sent
once across runs, dry-run sends nothing, opt-out honoured; no private item of the partner in anyone's email or
strip (attack test). Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import socket
from email import message_from_string

import pytest
from aiosmtpd.controller import Controller

from kickcoach.people.accounts import Accounts
from kickcoach.programme.notify import notify, set_opt_out
from kickcoach.programme.reminders import due_for
from kickcoach.storage.models import ReminderSent

pytestmark = pytest.mark.both_databases
TODAY = dt.date(2026, 12, 7)


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], str]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's handler hook
        self.messages.append((list(envelope.rcpt_tos), envelope.content.decode("utf-8", "replace")))
        return "250 OK"

    def bodies(self, to: str) -> str:
        return "\n".join(str(message_from_string(raw).get_payload(decode=True).decode())
                         for rcpts, raw in self.messages if to in rcpts)


@pytest.fixture
def smtp_server():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@pytest.fixture
def pair(scripted):
    services, _ = scripted
    accounts = Accounts(services.storage)
    priya = accounts.add("priya", "priya-password-1", pair_id="demo", partner="a", email="priya@example.org")
    tom = accounts.add("tom", "tom-password-1", pair_id="demo", partner="b", email="tom@example.org")
    return services, priya, tom


def _settings(services, port):
    return services.settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": port, "smtp_security": "none"})


def test_each_item_is_emailed_once_across_runs(pair, smtp_server):
    services, priya, tom = pair
    inbox, port = smtp_server
    first = notify(services.storage, _settings(services, port), TODAY)
    assert {d.person: d.status for d in first} == {"priya": "sent", "tom": "sent"}
    assert len(inbox.messages) == 2
    body = inbox.bodies("priya@example.org")
    assert "Run the full talk once without notes" in body and "11 December" in body
    again = notify(services.storage, _settings(services, port), TODAY)
    assert {d.status for d in again} == {"nothing new"} and len(inbox.messages) == 2
    with services.storage.session() as s:  # recorded: one row per person and item
        assert s.query(ReminderSent).count() == len(first[0].keys) + len(first[1].keys)
    later = notify(services.storage, _settings(services, port), TODAY + dt.timedelta(days=30))
    assert all("11 December" not in "".join(d.items) for d in later)  # a new meeting is a new item; old ones stay sent


def test_dry_run_sends_and_records_nothing(pair, smtp_server):
    services, *_ = pair
    inbox, port = smtp_server
    dry = notify(services.storage, _settings(services, port), TODAY, dry_run=True)
    assert {d.status for d in dry} == {"would send"} and all(d.items for d in dry)
    assert inbox.messages == []
    assert {d.status for d in notify(services.storage, _settings(services, port), TODAY)} == {"sent"}


def test_an_opted_out_person_gets_no_email(pair, smtp_server):
    services, *_ = pair
    inbox, port = smtp_server
    set_opt_out(services.storage, "Tom", True)
    digests = {d.person: d.status for d in notify(services.storage, _settings(services, port), TODAY)}
    assert digests == {"priya": "sent", "tom": "opted out"}
    assert [r for r, _ in inbox.messages] == [["priya@example.org"]]
    set_opt_out(services.storage, "tom", False)
    assert {d.person: d.status for d in notify(services.storage, _settings(services, port), TODAY)}["tom"] == "sent"


def test_no_private_item_of_the_partner_reaches_an_email_or_strip(pair, smtp_server):
    """Attack: Tom's private chat, rehearsal and draft carry a marker; Priya's email and strip must not."""
    services, priya, tom = pair
    inbox, port = smtp_server
    tom_repo = services.storage.for_person(tom, "demo")
    conv = tom_repo.new_conversation("chat", "ZEBRA-7 private")
    tom_repo.add_turn(conv, "user", "ZEBRA-7 I am thinking of leaving; due Friday")
    for kind in ("rehearsal", "feedback_draft", "goal_draft", "commitment_draft"):
        tom_repo.put_record(kind, {"date": "2026-12-08", "due": "2026-12-08", "text": "ZEBRA-7 deadline",
                                   "commitments": ["ZEBRA-7"]})
    strip = due_for(services.storage, priya, TODAY)
    assert strip and not any("ZEBRA" in i.text or "ZEBRA" in i.key for i in strip)
    notify(services.storage, _settings(services, port), TODAY)
    assert "ZEBRA" not in inbox.bodies("priya@example.org")
    assert "ZEBRA" not in inbox.bodies("tom@example.org")  # private drafts are not due items, even to him
    assert "Save three queries" not in inbox.bodies("priya@example.org")  # Tom's commitments are his items
