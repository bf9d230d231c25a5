"""Deadlines and follow-up per pair: agreement by its due date, action plan by the second meeting, meetings
against the cadence, and the monthly private check-in. Nudges list what is due; ``nudges_ics`` exports them.

All of it is computed from the programme tables (``ProgrammeStore``); ``sync_agreements`` copies whether and
when each agreement was signed from the contract store, the only place it reads outside them.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from icalendar import Calendar, Todo

from kickcoach.core.banks import text_bank
from kickcoach.core.errors import InputInvalid
from kickcoach.programme.cohorts import Programme
from kickcoach.programme.store import ProgrammeStore
from kickcoach.programme.tables import CheckinRow, ProgrammePairRow

if TYPE_CHECKING:
    from kickcoach.services import Services

NO_MEETING_DAYS = 30
"""A pair with no meeting for this many days (since the last one, or since publication) is at risk."""
FAIRNESS_GAP = 2
"""Partners whose "are our contributions equal?" scores differ by this much (1–5 scale) are at risk."""
LOW_EQUAL = 2
"""Either partner scoring contributions this equal or less (1–5) puts the pair at risk."""
SCORE_RANGE = range(1, 6)

NUDGES = Path(__file__).with_name("data") / "nudges.yaml"


@dataclass
class PairStatus:
    row: ProgrammePairRow
    signed_on_time: bool | None  # None: not due yet and not signed
    meetings_held: int
    meetings_expected: int
    last_meeting: dt.date | None
    next_meeting_due: dt.date
    action_plan: str  # done | late | due | overdue
    latest_month: str | None = None
    going: dict[str, int] = field(default_factory=dict)  # email → score in the latest month (both answered, if any)
    equal: dict[str, int] = field(default_factory=dict)
    fairness_gap: int | None = None
    comments: list[str] = field(default_factory=list)
    risks: list[str] = field(default_factory=list)


def month_key(day: dt.date) -> str:
    return f"{day:%Y-%m}"


def month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def pair_status(programme: Programme, row: ProgrammePairRow, meetings: Sequence[Any],
                checkins: Sequence[Any], today: dt.date) -> PairStatus:
    """``meetings`` and ``checkins``: rows with the attributes of ``MeetingRow`` / ``CheckinRow``."""
    start = row.published_on or today
    due = row.agreement_due or programme.agreement_due
    held = sorted(m.held_on for m in meetings if start <= m.held_on <= today)
    last = held[-1] if held else None
    period = programme.period_days
    signed = row.agreement_signed_on
    on_time = (signed <= due) if signed else (False if today > due else None)
    plan_meetings = sorted(m.held_on for m in meetings if m.action_plan)
    if plan_meetings:
        action = "done" if len(held) < 2 or plan_meetings[0] <= held[1] else "late"
    else:
        action = "overdue" if len(held) >= 2 else "due"
    status = PairStatus(row, on_time, len(held), max(0, (today - start).days // period), last,
                        (last or start) + dt.timedelta(days=period), action)
    by_month: dict[str, dict[str, Any]] = defaultdict(dict)
    for c in checkins:
        by_month[c.month][c.email] = c
    both = [m for m, answers in by_month.items() if len(answers) == 2]
    latest = max(both) if both else (max(by_month) if by_month else None)
    if latest:
        answers = by_month[latest]
        status.latest_month = latest
        status.going = {e: c.going for e, c in answers.items()}
        status.equal = {e: c.equal for e, c in answers.items()}
        status.comments = [c.improve_text for c in answers.values() if c.improve_text]
        if len(answers) == 2:
            status.fairness_gap = abs(answers[row.a_email].equal - answers[row.b_email].equal) \
                if {row.a_email, row.b_email} <= set(answers) else None
    if signed is None and today > due:
        status.risks.append(f"agreement unsigned past its due date ({due})")
    if (today - (last or start)).days >= NO_MEETING_DAYS:
        status.risks.append(f"no meeting in {(today - (last or start)).days} days")
    if status.fairness_gap is not None and status.fairness_gap >= FAIRNESS_GAP:
        status.risks.append(f"fairness gap of {status.fairness_gap} between the partners")
    if status.equal and min(status.equal.values()) <= LOW_EQUAL:
        status.risks.append("a partner finds the contributions unequal")
    return status


def statuses(store: ProgrammeStore, programme: Programme, today: dt.date) -> list[PairStatus]:
    rows = store.pairs(programme.id, ("published",))
    meetings: dict[int, list[Any]] = defaultdict(list)
    for m in store.meetings(programme.id):
        meetings[m.programme_pair_id].append(m)
    checkins: dict[int, list[Any]] = defaultdict(list)
    for c in store.checkins(programme.id):
        checkins[c.programme_pair_id].append(c)
    return [pair_status(programme, r, meetings[r.id], checkins[r.id], today) for r in rows]


# --- nudges ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Nudge:
    pair_id: str
    who: tuple[str, ...]
    kind: str  # agreement | action_plan | meeting | checkin
    due: dt.date
    message: str
    overdue: bool


def nudges_for(status: PairStatus, today: dt.date) -> list[Nudge]:
    row = status.row
    both = (row.a_email, row.b_email)
    pair_id = row.pair_id or str(row.id)
    nudge = text_bank(NUDGES).group("nudge")
    found = []
    due = row.agreement_due or today
    if row.agreement_signed_on is None:
        found.append(Nudge(pair_id, both, "agreement", due, nudge["agreement"].format(due=due), today > due))
    if status.action_plan in ("due", "overdue"):
        when = status.next_meeting_due if status.action_plan == "due" else (status.last_meeting or today)
        found.append(Nudge(pair_id, both, "action_plan", when, nudge["action_plan"],
                           status.action_plan == "overdue"))
    found.append(Nudge(pair_id, both, "meeting", status.next_meeting_due, nudge["meeting"].format(due=status.next_meeting_due),
                       today > status.next_meeting_due))
    this_month = month_key(today)
    answered = set(status.going) if status.latest_month == this_month else set()
    missing = tuple(e for e in both if e not in answered)
    if missing:
        found.append(Nudge(pair_id, missing, "checkin", month_end(today),
                           nudge["checkin"], False))
    return found


def nudges(store: ProgrammeStore, programme: Programme, today: dt.date,
           pair_statuses: Sequence[PairStatus] | None = None) -> list[Nudge]:
    found = statuses(store, programme, today) if pair_statuses is None else pair_statuses
    return [n for s in found for n in nudges_for(s, today)]


def nudges_ics(programme: Programme, items: Sequence[Nudge]) -> str:
    """Each nudge as a to-do with its due date (VTODO), so it lands in a calendar or task list."""
    cal = Calendar()
    cal.add("prodid", "-//kickcoach//programme nudges//EN")
    cal.add("version", "2.0")
    for n in items:
        todo = Todo()
        todo.add("uid", f"{programme.id}-{n.pair_id}-{n.kind}-{n.due}-{'-'.join(n.who)}@kickcoach")
        todo.add("dtstamp", dt.datetime.combine(n.due, dt.time(), tzinfo=dt.UTC))
        todo.add("summary", f"{programme.name}: {n.message}")
        todo.add("due", n.due)
        todo.add("description", f"Pair {n.pair_id}; for {', '.join(n.who)}" + (" (overdue)" if n.overdue else ""))
        cal.add_component(todo)
    return cal.to_ical().decode("utf-8")


# --- recording meetings and check-ins ----------------------------------------------------------------
def record_meeting(store: ProgrammeStore, programme: Programme, pair_key: str, held_on: dt.date, *,
                   action_plan: bool = False, today: dt.date | None = None) -> ProgrammePairRow:
    row = store.pair(programme.id, pair_key)
    if row.state != "published":
        raise InputInvalid(f"Pair {pair_key} is {row.state}", "meetings are recorded for published pairs")
    if held_on > (today or dt.date.today()):
        raise InputInvalid(f"The meeting date {held_on} is in the future", "record a meeting once it has happened")
    if held_on < programme.trial_start:
        raise InputInvalid(f"The meeting date {held_on} is before the programme began ({programme.trial_start})",
                           "record meetings held during the programme")
    store.add_meeting(row.id, held_on, action_plan)
    return row


def record_checkin(store: ProgrammeStore, programme: Programme, email: str, *, going: int, equal: int,
                   going_text: str = "", improve_text: str = "", today: dt.date | None = None) -> CheckinRow:
    """A partner's private answer for this month (answering again the same month replaces it)."""
    row = store.pair(programme.id, email)
    if row.state != "published":
        raise InputInvalid(f"{email}'s pair is {row.state}", "check-ins start once your pair is published")
    for name, value in (("going", going), ("equal", equal)):
        if value not in SCORE_RANGE:
            raise InputInvalid(f"{name} must be a whole number from 1 to 5, got {value}", "answer 1 (poor) to 5 (great)",
                               field=name)
    checkin = CheckinRow(programme_pair_id=row.id, email=email.strip().lower(), month=month_key(today or dt.date.today()),
                         going=going, equal=equal, going_text=going_text.strip()[:2000],
                         improve_text=improve_text.strip()[:2000])
    store.save_checkin(checkin)
    return checkin


def sync_agreements(services: Services, store: ProgrammeStore, programme: Programme) -> int:
    """Copy signature dates of published pairs' agreements into the programme tables; returns how many changed.

    Reads each agreement's status and signatures only (not its goals or notes), so the dashboard never has to.
    """
    from sqlalchemy import select

    from kickcoach.contracts.service import load_contract
    from kickcoach.storage.models import ContractVersion

    waiting = {r.pair_id: r for r in store.pairs(programme.id, ("published",)) if r.agreement_signed_on is None and r.pair_id}
    if not waiting:
        return 0
    with services.storage.session() as s:  # status column only: which agreements have been signed at all
        signed = set(s.scalars(select(ContractVersion.pair_id).where(
            ContractVersion.pair_id.in_(list(waiting)), ContractVersion.status.in_(["signed", "active", "closed"]))))
    changed = 0
    for pair_id in sorted(signed):
        row = waiting[pair_id]
        contract = load_contract(services, pair_id)
        if contract is not None and {s.partner for s in contract.signatures} == {"a", "b"}:
            store.update_pair(row.id, agreement_signed_on=max(s.signed_at for s in contract.signatures).date())
            changed += 1
    return changed
