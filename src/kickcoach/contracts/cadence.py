"""The one recurrence engine for a pair's meetings, on ``dateutil.rrule`` (RFC 5545 rules).

The first meeting is the cadence's weekday on or after the start date (the start date itself without a
weekday). Weekly and fortnightly meetings repeat every 1 or 2 weeks; monthly ones on "the n-th <weekday>"
of each month (a 5th one is taken as the last), or without a weekday on the same day of the month, the
last day in months that are shorter. The review history counts meetings with :func:`meeting_dates` and
the calendar export writes :func:`rrule_text`: both read the same rule.
"""

from __future__ import annotations

import datetime as dt
import re

from dateutil.rrule import FR, MO, MONTHLY, SA, SU, TH, TU, WE, WEEKLY, rrule, weekday

from kickcoach.contracts.models import Cadence

WEEKDAYS: dict[str, weekday] = {
    "monday": MO,
    "tuesday": TU,
    "wednesday": WE,
    "thursday": TH,
    "friday": FR,
    "saturday": SA,
    "sunday": SU,
}


def first_meeting(start: dt.date, cadence: Cadence) -> dt.date:
    """The cadence's weekday on or after ``start`` (``start`` itself without a weekday)."""
    if cadence.weekday is None:
        return start
    return start + dt.timedelta(days=(WEEKDAYS[cadence.weekday].weekday - start.weekday()) % 7)


def meeting_rule(start: dt.date, cadence: Cadence, *, count: int | None = None, until: dt.date | None = None) -> rrule:
    """The meetings as a ``dateutil`` rule starting at the first meeting (midnight, local)."""
    first = first_meeting(start, cadence)
    options: dict[str, object] = {
        "dtstart": dt.datetime.combine(first, dt.time()),
        "count": count,
        "until": dt.datetime.combine(until, dt.time()) if until else None,
    }
    if cadence.frequency == "monthly":
        if cadence.weekday:
            nth = (first.day - 1) // 7 + 1
            options["byweekday"] = WEEKDAYS[cadence.weekday](nth if nth < 5 else -1)
        elif first.day > 28:  # "the 30th": the last existing day up to it, every month
            options["bymonthday"] = tuple(range(28, first.day + 1))
            options["bysetpos"] = -1
        return rrule(MONTHLY, **options)  # type: ignore[arg-type]
    interval = 2 if cadence.frequency == "fortnightly" else 1
    if cadence.weekday:
        options["byweekday"] = WEEKDAYS[cadence.weekday]
    return rrule(WEEKLY, interval=interval, **options)  # type: ignore[arg-type]


def meeting_dates(start: dt.date, cadence: Cadence, until: dt.date) -> list[dt.date]:
    """Every meeting date from ``start`` up to and including ``until``."""
    if until < start:
        return []
    return [when.date() for when in meeting_rule(start, cadence, until=until)]


def rrule_text(start: dt.date, cadence: Cadence, count: int) -> str:
    """The RRULE value for a calendar ("FREQ=WEEKLY;COUNT=12;BYDAY=TH"), from the same rule."""
    text = str(meeting_rule(start, cadence, count=count))
    value = next(line for line in text.splitlines() if line.startswith("RRULE:")).removeprefix("RRULE:")
    return re.sub(r"BYDAY=\+", "BYDAY=", value)  # "+3TH" and "3TH" mean the same; calendars write the latter
