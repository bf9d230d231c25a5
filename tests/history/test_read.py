"""history.read on the scripted pair: commitments with the marks the next review gave them, progress against the
path, the next meeting with a recorded change, what is due; never the partner's private rows."""

from __future__ import annotations

import datetime as dt

from kickcoach.core.person import local_owner
from kickcoach.history import read
from kickcoach.history.due import NO_MEETING_DAYS
from kickcoach.history.meetings import record_change, upcoming
from kickcoach.programme.reminders import contract_of

TODAY = dt.date(2026, 12, 7)


def _read(services, slot="a", today=TODAY):
    repo = services.storage.for_person(local_owner("demo", slot), "demo")
    return read(repo, contract_of(repo), today)


def test_commitments_carry_the_mark_the_next_review_gave_them(scripted):
    services, _ = scripted
    h = _read(services)
    assert [r.date for r in h.reviews] == [dt.date(2026, 11, 19), dt.date(2026, 11, 26), dt.date(2026, 12, 3)]
    latest, earlier = h.commitments("a")
    assert [c.text for c in latest] == ["Run the full talk once without notes", "Time the talk to under ten minutes",
                                        "Publish the second article on the blog"]
    assert all(c.done is None for c in latest)  # made at the latest review: not marked yet
    assert [(c.text, c.done, c.marked_on) for c in earlier] == [
        ("Rehearse the opening two minutes with Tom", True, dt.date(2026, 12, 3)),
        ("Send the second article draft to Tom", False, dt.date(2026, 12, 3))]
    tom_latest, _ = h.commitments("b")
    assert [c.text for c in tom_latest] == ["Save three queries in the team's query library",
                                            "Build a first draft of the Looker dashboard"]


def test_progress_is_compared_with_the_agreed_path(scripted):
    services, _ = scripted
    latest = _read(services).reviews[-1]
    by_goal = {(p.partner, p.goal_id): p for p in latest.progress}
    talk = by_goal[("a", "g1")]  # 1.5 of 4; the straight line from 0 (12 Oct) to 4 (28 Jan) is at 1.93 on 3 Dec
    assert (talk.progress, talk.planned, talk.status) == (1.5, 1.93, "behind")
    assert by_goal[("a", "g2")].status == "ahead"
    assert by_goal[("b", "g1")].status == "on_track"


def test_the_next_meeting_follows_the_cadence_with_the_recorded_change(scripted):
    services, _ = scripted
    h = _read(services)
    assert h.upcoming[0].date == dt.date(2026, 12, 11) and h.upcoming[0].moved_from == dt.date(2026, 12, 10)
    assert h.upcoming[1].date == dt.date(2026, 12, 17)  # the weekly Thursday again
    repo = services.storage.for_person(local_owner("demo", "b"), "demo")
    record_change(repo, dt.date(2026, 12, 17), None, "cancelled")  # either partner records it; both see it
    again = _read(services)
    assert [m.date for m in again.upcoming] == [dt.date(2026, 12, 11), dt.date(2026, 12, 24)]
    assert again.contract is not None
    assert upcoming(again.contract, {}, TODAY)[0].date == dt.date(2026, 12, 10)  # without the change: the Thursday


def test_what_is_due_for_each_partner(scripted):
    services, _ = scripted
    h = _read(services)
    keys = {i.kind for i in h.due}
    assert {"meeting", "commitment", "contract_review", "goal_deadline"} <= keys
    a_items = [i.text for i in h.due if "a" in i.partners]
    assert any("Run the full talk once without notes" in t for t in a_items)
    assert not any("Save three queries" in t for t in a_items)  # Tom's commitment is his item, not Priya's
    assert len({i.key for i in h.due}) == len(h.due)  # stable, distinct keys (each emailed once)


def test_no_meeting_for_thirty_days_is_an_overdue_item(scripted):
    services, _ = scripted
    late = _read(services, today=dt.date(2026, 12, 3) + dt.timedelta(days=NO_MEETING_DAYS))
    assert any(i.kind == "no_meeting" and i.overdue for i in late.due)
    assert not any(i.kind == "no_meeting" for i in _read(services, today=dt.date(2026, 12, 3) + dt.timedelta(days=NO_MEETING_DAYS - 1)).due)


def test_the_partners_private_rows_are_never_read(scripted):
    services, _ = scripted
    tom = services.storage.for_person(local_owner("demo", "b"), "demo")
    secret = tom.new_conversation("chat", "ZEBRA private worry")
    tom.add_turn(secret, "user", "ZEBRA: I might quit")
    tom.put_record("rehearsal", {"date": "2026-12-02", "answers": {"checkin": {"note": "ZEBRA"}}})
    priya = _read(services, "a")
    assert all(secret != c.id for c in priya.conversations)
    assert "ZEBRA" not in priya.model_dump_json()
    assert [c.id for c in _read(services, "b").conversations] == [secret]  # his own, to him
