"""Deadlines, risks and nudges; each named threshold at its boundary; .ics export; check-in validation."""

import datetime as dt

import pytest
from icalendar import Calendar

from kickcoach.core.errors import InputInvalid
from kickcoach.programme import followup
from kickcoach.programme.cohorts import new_programme
from kickcoach.programme.tables import CheckinRow, MeetingRow, ProgrammePairRow

START = dt.date(2027, 1, 4)
PROGRAMME = new_programme("Spring", today=START)


def row(**fields):
    base = {"id": 1, "a_email": "a@x.org", "b_email": "b@x.org", "score": 0.5, "state": "published", "pair_id": "spring-1",
            "published_on": START, "agreement_due": dt.date(2027, 2, 1), "agreement_signed_on": None}
    return ProgrammePairRow(**(base | fields))


def meeting(day, plan=False):
    return MeetingRow(programme_pair_id=1, held_on=day, action_plan=plan)


def checkin(email, month, equal, going=4):
    return CheckinRow(programme_pair_id=1, email=email, month=month, going=going, equal=equal, improve_text="")


def status(r=None, meetings=(), checkins=(), today=dt.date(2027, 1, 20)):
    return followup.pair_status(PROGRAMME, r or row(), list(meetings), list(checkins), today)


def test_no_meeting_threshold_boundary():
    days = followup.NO_MEETING_DAYS
    assert not any("no meeting" in r for r in status(today=START + dt.timedelta(days=days - 1)).risks)
    assert any("no meeting" in r for r in status(today=START + dt.timedelta(days=days)).risks)
    recent = status(meetings=[meeting(START + dt.timedelta(days=20))], today=START + dt.timedelta(days=days + 5))
    assert not any("no meeting" in r for r in recent.risks)


def test_fairness_gap_and_low_equal_boundaries():
    gap = followup.FAIRNESS_GAP
    ok = status(checkins=[checkin("a@x.org", "2027-01", 5), checkin("b@x.org", "2027-01", 5 - gap + 1)])
    assert ok.fairness_gap == gap - 1 and not any("fairness" in r for r in ok.risks)
    bad = status(checkins=[checkin("a@x.org", "2027-01", 5), checkin("b@x.org", "2027-01", 5 - gap)])
    assert bad.fairness_gap == gap and any("fairness gap" in r for r in bad.risks)
    low = followup.LOW_EQUAL
    assert not status(checkins=[checkin("a@x.org", "2027-01", low + 1)]).risks
    assert "a partner finds the contributions unequal" in status(checkins=[checkin("a@x.org", "2027-01", low)]).risks


def test_latest_month_both_answered_is_used():
    s = status(checkins=[checkin("a@x.org", "2027-01", 5), checkin("b@x.org", "2027-01", 5),
                         checkin("a@x.org", "2027-02", 1)])
    assert s.latest_month == "2027-01" and s.fairness_gap == 0


def test_agreement_due_boundary_and_on_time():
    due = dt.date(2027, 2, 1)
    assert status(today=due).signed_on_time is None and not any("agreement" in r for r in status(today=due).risks)
    late = status(today=due + dt.timedelta(days=1))
    assert late.signed_on_time is False and any("agreement unsigned" in r for r in late.risks)
    assert status(row(agreement_signed_on=due), today=due + dt.timedelta(days=9)).signed_on_time is True
    assert status(row(agreement_signed_on=due + dt.timedelta(days=1)), today=due + dt.timedelta(days=9)).signed_on_time is False


def test_action_plan_by_the_second_meeting():
    m1, m2, m3 = (START + dt.timedelta(days=d) for d in (7, 14, 21))
    today = START + dt.timedelta(days=25)
    assert status(meetings=[meeting(m1)], today=today).action_plan == "due"
    assert status(meetings=[meeting(m1), meeting(m2, True)], today=today).action_plan == "done"
    assert status(meetings=[meeting(m1), meeting(m2)], today=today).action_plan == "overdue"
    assert status(meetings=[meeting(m1), meeting(m2), meeting(m3, True)], today=today).action_plan == "late"


def test_meetings_against_cadence():
    today = START + dt.timedelta(days=65)
    s = status(meetings=[meeting(START + dt.timedelta(days=10)), meeting(START + dt.timedelta(days=40))], today=today)
    assert (s.meetings_held, s.meetings_expected) == (2, 2)
    assert s.next_meeting_due == START + dt.timedelta(days=70)


def test_nudges_list_what_is_due_and_export_as_ics():
    today = dt.date(2027, 2, 3)
    s = status(meetings=[meeting(START + dt.timedelta(days=3))], checkins=[checkin("a@x.org", "2027-02", 4)], today=today)
    items = followup.nudges_for(s, today)
    kinds = {n.kind: n for n in items}
    assert kinds["agreement"].overdue and kinds["agreement"].due == dt.date(2027, 2, 1)
    assert kinds["action_plan"].message.startswith("Agree your action plan")
    assert kinds["meeting"].due == START + dt.timedelta(days=33)
    assert kinds["checkin"].who == ("b@x.org",) and kinds["checkin"].due == dt.date(2027, 2, 28)
    calendar = Calendar.from_ical(followup.nudges_ics(PROGRAMME, items))
    todos = [c for c in calendar.walk() if c.name == "VTODO"]
    assert len(todos) == len(items)
    assert {t.decoded("due") for t in todos} == {n.due for n in items}


def test_checkins_are_validated_and_one_per_partner_per_month(programme_service, spring, small_csv):
    programme_service.import_csv("Spring 2027", small_csv)
    programme_service.match("Spring 2027")
    programme_service.publish("Spring 2027", today=START)
    store = programme_service.store
    for bad in (0, 6):
        with pytest.raises(InputInvalid, match="1 to 5"):
            followup.record_checkin(store, spring, "ada@example.org", going=bad, equal=3, today=START)
    followup.record_checkin(store, spring, "ada@example.org", going=2, equal=3, improve_text="More time", today=START)
    followup.record_checkin(store, spring, "ada@example.org", going=4, equal=5, today=START)
    answers = store.checkins(spring.id)
    assert [(c.going, c.equal) for c in answers] == [(4, 5)]
    with pytest.raises(InputInvalid, match="future"):
        followup.record_meeting(store, spring, "ada@example.org", START + dt.timedelta(days=1), today=START)
    with pytest.raises(InputInvalid, match="before the programme began"):  # four days before the trial began
        followup.record_meeting(store, spring, "ada@example.org", START - dt.timedelta(days=4), today=START)
    followup.record_meeting(store, spring, "ada@example.org", START, today=START)  # its first day counts
    assert len(store.meetings(spring.id)) == 1
