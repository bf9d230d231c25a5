"""The dashboard: figures from the programme tables, and never a query to chats, rehearsals or drafts."""

import datetime as dt

import pytest
from sqlalchemy import event

from kickcoach.programme.dashboard import build_dashboard
from kickcoach.programme.followup import record_checkin, record_meeting
from kickcoach.programme.tables import PROGRAMME_TABLE_NAMES
from kickcoach.storage.models import Base

START = dt.date(2027, 1, 4)
CANARY = "WOMBATCANARY"


@pytest.fixture
def running(programme_service, spring, small_csv, services):
    programme_service.import_csv("Spring 2027", small_csv)
    programme_service.match("Spring 2027")
    rows = programme_service.publish("Spring 2027", today=START)
    store = programme_service.store
    record_meeting(store, spring, "ada@example.org", START + dt.timedelta(days=5), action_plan=True, today=START + dt.timedelta(days=40))
    for email, equal in (("ada@example.org", 5), ("ben@example.org", 2)):
        record_checkin(store, spring, email, going=4, equal=equal, improve_text=f"{CANARY} private", today=START)
    for row in rows:  # private material the facilitator must never see
        repo = services.pair(row.pair_id)
        cid = repo.new_conversation("chat")
        repo.add_turn(cid, "user", f"{CANARY} chat secret")
        repo.put_record("rehearsal", {"note": f"{CANARY} rehearsal"})
        repo.put_record("feedback_draft", {"text": f"{CANARY} draft"})
    return programme_service, spring


def test_dashboard_figures(running):
    svc, spring = running
    board = build_dashboard(svc.store, spring, START + dt.timedelta(days=40))
    m = board.metrics
    assert m["participants"] == 4 and m["pairs"] == 2 and m["matched_share"] == 1.0
    assert m["meetings_held"] == 1 and m["meetings_expected"] == 2 and m["meetings_share"] == 0.5
    assert m["fairness_gap_mean"] == 3 and m["at_risk"] == 2
    assert set(board.at_risk.columns) == {"pair_id", "a", "b", "risks"}
    reasons = dict(zip(board.risks["reason"], board.risks["pairs"], strict=False))
    assert reasons["unsigned past due"] == 2 and reasons["fairness gap"] == 1 and reasons["no meeting in 30 days"] == 2
    csv = board.to_csv()
    assert csv.splitlines()[0].startswith("pair_id,a,b,score") and len(csv.splitlines()) == 3
    assert set(board.checkin_trend["measure"]) == {"going", "equal"}
    assert "Matched" in board.summary_markdown() and "2 of 2 due" not in board.summary_markdown()


def test_on_publication_day_the_summary_says_what_is_not_due_yet_and_when(programme_service, spring, small_csv):
    programme_service.import_csv("Spring 2027", small_csv)
    programme_service.match("Spring 2027")
    programme_service.publish("Spring 2027", today=START)
    text = build_dashboard(programme_service.store, spring, START).summary_markdown()
    assert f"- **Agreements**: none due yet, due {spring.agreement_due}; 0 signed" in text
    assert "- **Meetings**: 0 held; none expected yet (" in text and "0 of 0" not in text and "(–)" not in text
    assert "- **Check-ins**: none answered yet" in text and "going –" not in text


def test_once_due_the_summary_counts_against_the_cadence(running):
    svc, spring = running
    later = build_dashboard(svc.store, spring, START + dt.timedelta(days=40)).summary_markdown()
    assert "**Meetings against cadence**" in later and "1 held of 2 expected (50%)" in later
    assert "going 4.00, contributions equal 3.50 (1–5)" in later


def test_dashboard_queries_only_programme_tables(running, services):
    svc, spring = running
    statements: list[str] = []

    def record(conn, cursor, statement, params, context, executemany):
        statements.append(statement.lower())

    event.listen(services.storage.engine, "before_cursor_execute", record)
    try:
        board = build_dashboard(svc.store, spring, START + dt.timedelta(days=40))
    finally:
        event.remove(services.storage.engine, "before_cursor_execute", record)
    private = set(Base.metadata.tables) - PROGRAMME_TABLE_NAMES
    assert statements and private >= {"turns", "conversations", "records", "contract_versions"}
    for sql in statements:
        for table in private:
            assert f" {table}" not in sql and f'"{table}"' not in sql, (table, sql)
    shown = board.to_csv() + board.summary_markdown() + board.at_risk.to_csv()
    assert CANARY not in shown
