"""The pair's meetings: the agreed cadence (``contracts.cadence``, the one recurrence engine) with any
recorded change applied (a meeting moved to another day, or cancelled), and the meetings held (reviews).

A change is a shared ``meeting`` record, ``{"date": <scheduled>, "to": <new date or null>, "note": …}``:
``to`` null cancels that meeting. Written by :func:`record_change`, read by :func:`next_meeting`.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, ValidationError

from kickcoach.contracts.cadence import meeting_rule

if TYPE_CHECKING:
    from kickcoach.contracts.models import Contract
    from kickcoach.storage import PairRepo

MEETING_KIND = "meeting"
LOOKAHEAD = 60  # scheduled meetings looked at past today, enough for a monthly cadence with a cancellation


class MeetingChange(BaseModel):
    model_config = ConfigDict(extra="ignore")
    date: dt.date  # the meeting as scheduled
    to: dt.date | None = None  # None: cancelled
    note: str = ""


class Meeting(BaseModel):
    date: dt.date
    time: dt.time | None
    duration_minutes: int
    channel: str | None
    moved_from: dt.date | None = None
    change_id: str | None = None  # the meeting record that moved it


def record_change(repo: PairRepo, scheduled: dt.date, to: dt.date | None, note: str = "") -> str:
    """Record that the meeting scheduled on ``scheduled`` moves to ``to`` (None: cancelled)."""
    change = MeetingChange(date=scheduled, to=to, note=note[:200])
    return repo.put_record(MEETING_KIND, change.model_dump(mode="json"))


def changes(repo: PairRepo) -> dict[dt.date, tuple[str, MeetingChange]]:
    """Scheduled date → the latest change recorded for it."""
    found: dict[dt.date, tuple[str, MeetingChange]] = {}
    for row in repo.records(MEETING_KIND):  # oldest first: a later change of the same meeting wins
        try:
            change = MeetingChange.model_validate(row.data)
        except ValidationError:
            continue
        found[change.date] = (row.id, change)
    return found


def upcoming(contract: Contract, recorded: dict[dt.date, tuple[str, MeetingChange]], today: dt.date,
             count: int = 2) -> list[Meeting]:
    """The next ``count`` meetings on or after ``today``, changes applied, in date order."""
    cadence = contract.cadence
    scheduled = [d.date() for d in meeting_rule(contract.start_date, cadence,
                                                until=today + dt.timedelta(days=LOOKAHEAD))]
    found: list[Meeting] = []
    for day in scheduled:
        change_id, change = recorded.get(day, (None, None))
        when, moved = day, None
        if change is not None:
            if change.to is None:
                continue
            when, moved = change.to, day
        if when >= today:
            found.append(Meeting(date=when, time=cadence.time, duration_minutes=cadence.duration_minutes,
                                 channel=cadence.channel, moved_from=moved, change_id=change_id))
    return sorted(found, key=lambda m: m.date)[:count]
