"""One recurrence engine: the calendar export and the review history read the same rule."""

from __future__ import annotations

import datetime as dt

import pytest
from dateutil.rrule import rrulestr

from kickcoach.contracts.cadence import meeting_dates, rrule_text
from kickcoach.contracts.models import Cadence

START = dt.date(2026, 10, 12)  # a Monday


@pytest.mark.parametrize(
    "cadence",
    [
        Cadence(frequency="weekly", weekday="thursday"),
        Cadence(frequency="fortnightly"),
        Cadence(frequency="fortnightly", weekday="monday"),
        Cadence(frequency="monthly", weekday="thursday"),
        Cadence(frequency="monthly"),
    ],
    ids=lambda c: f"{c.frequency}-{c.weekday}",
)
def test_the_exported_rule_yields_the_counted_meetings(cadence):
    dates = meeting_dates(START, cadence, dt.date(2027, 10, 1))[:12]
    first = dt.datetime.combine(dates[0], dt.time())
    exported = [d.date() for d in rrulestr(rrule_text(START, cadence, 12), dtstart=first)]
    assert exported == dates


def test_monthly_on_a_late_day_falls_back_to_the_months_last_day():
    assert meeting_dates(dt.date(2027, 1, 31), Cadence(frequency="monthly"), dt.date(2027, 4, 30)) == [
        dt.date(2027, 1, 31),
        dt.date(2027, 2, 28),
        dt.date(2027, 3, 31),
        dt.date(2027, 4, 30),
    ]
    assert "BYSETPOS=-1" in rrule_text(dt.date(2027, 1, 31), Cadence(frequency="monthly"), 4)


def test_a_fifth_weekday_is_taken_as_the_last():
    # 29 October 2026 is the 5th Thursday; November has four: the meeting is the last one
    dates = meeting_dates(dt.date(2026, 10, 29), Cadence(frequency="monthly", weekday="thursday"), dt.date(2026, 12, 1))
    assert dates == [dt.date(2026, 10, 29), dt.date(2026, 11, 26)]


def test_no_meetings_before_the_start():
    assert meeting_dates(START, Cadence(frequency="weekly"), START - dt.timedelta(days=1)) == []
