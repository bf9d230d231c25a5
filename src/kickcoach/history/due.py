"""What is due for a pair, from its shared history only: the next meeting, open commitments (made at the latest
review, not yet marked), goal deadlines and the contract's review date within ``HORIZON_DAYS``, an agreement not
signed by both, and no meeting logged for ``NO_MEETING_DAYS``.

Every item has a stable ``key`` (the email digest sends each key once per person) and names the partners it
concerns. Nothing here reads a private row: the items come from the contract and the reviews.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel

from kickcoach.history.wording import day, short_day, wording

if TYPE_CHECKING:
    from kickcoach.contracts.models import Contract
    from kickcoach.history.meetings import Meeting
    from kickcoach.history.reviews import ReviewFacts

HORIZON_DAYS = 60
"""Goal deadlines and the contract's review date are due items from this many days ahead (and once past)."""
NO_MEETING_DAYS = 30
"""No review for this many days since the last one is an item: the programme's
"at least monthly contact" rule (``programme.followup.NO_MEETING_DAYS`` is the same figure)."""
DueKind = Literal["meeting", "commitment", "goal_deadline", "contract_review", "agreement", "no_meeting", "programme"]
"""``programme``: a programme's nudge (``programme.reminders`` adds them for an enrolled person)."""


class DueItem(BaseModel):
    key: str  # stable: the same item on every run (sent once)
    kind: DueKind
    partners: list[Literal["a", "b"]]  # whom it concerns
    date: dt.date | None
    text: str
    overdue: bool
    source: str  # what it was read from: "contract:cadence", "review:<id>", "contract:goal:a.g1", …


def due_items(contract: Contract | None, reviews: list[ReviewFacts], upcoming: list[Meeting],
              today: dt.date) -> list[DueItem]:
    w = wording().due
    found: list[DueItem] = []
    both: list[Literal["a", "b"]] = ["a", "b"]
    nxt = upcoming[0] if upcoming else None
    if nxt is not None:
        moved = w["moved"].format(from_date=day(nxt.moved_from)) if nxt.moved_from else ""
        found.append(DueItem(key=f"meeting:{nxt.date}", kind="meeting", partners=both, date=nxt.date,
                             text=w["meeting"].format(date=day(nxt.date), moved=moved), overdue=False,
                             source=f"meeting:{nxt.change_id}" if nxt.change_id else "contract:cadence"))
    latest = reviews[-1] if reviews else None
    if latest is not None:
        for c in latest.commitments:
            if c.done is None:
                found.append(DueItem(key=f"commitment:{c.review_id}:{c.id}", kind="commitment", partners=[c.partner],
                                     date=nxt.date if nxt else None, overdue=False, source=f"review:{c.review_id}",
                                     text=w["commitment"].format(made=short_day(c.made_on), text=c.text.rstrip("."))))
    if contract is not None:
        horizon = today + dt.timedelta(days=HORIZON_DAYS)
        for partner, goal in contract.all_goals():
            if goal.deadline and goal.deadline <= horizon and goal.status not in ("done", "dropped"):
                found.append(DueItem(key=f"goal_deadline:{partner.id}.{goal.id}:{goal.deadline}", kind="goal_deadline",
                                     partners=[partner.id], date=goal.deadline, overdue=goal.deadline < today,
                                     source=f"contract:goal:{partner.id}.{goal.id}",  # the target: a noun phrase
                                     text=w["goal_deadline"].format(date=day(goal.deadline), text=goal.target.rstrip("."))))
        if contract.review_date and contract.review_date <= horizon:
            found.append(DueItem(key=f"contract_review:{contract.review_date}", kind="contract_review", partners=both,
                                 date=contract.review_date, overdue=contract.review_date < today, source="contract:review_date",
                                 text=w["contract_review"].format(date=day(contract.review_date))))
        if contract.status == "draft":
            found.append(DueItem(key=f"agreement:v{contract.version}", kind="agreement", partners=both, date=None,
                                 overdue=False, source="contract:status", text=w["agreement"]))
        idle = (today - latest.date).days if latest else 0  # reviews are the record of meetings: none, no count
        if latest and idle >= NO_MEETING_DAYS:
            found.append(DueItem(key=f"no_meeting:{latest.date}", kind="no_meeting", partners=both, date=None, overdue=True,
                                 source=f"review:{latest.review_id}",
                                 text=w["no_meeting"].format(days=idle)))
    return sorted(found, key=lambda i: (not i.overdue, i.date or today))
