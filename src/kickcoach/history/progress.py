"""Progress against the agreed path: numbers are data, compared with a straight line from start to target.

The planned path of a goal runs in a straight line from ``start_value`` on its start date (the goal's
``start_date``, else the contract's) to ``target_value`` on its ``deadline``: before the start it is the
start value, after the deadline the target. A goal without a numeric target or without a deadline has no
path; its progress is recorded but never compared.

**Behind** (the rule the summary, the history and the JSON output all use): with
``range = |target_value - start_value|``, a reported value is behind when it trails the planned value by
more than ``BEHIND_TOLERANCE`` (10 %) of the range, in the goal's direction:

* rising goal (target above start): ``actual < planned - 0.10 * range``
* falling goal (target below start, e.g. "zero requests"): ``actual > planned + 0.10 * range``

It is **ahead** when it leads by more than the same tolerance, else **on track**; it is **done** once it
reaches the target. A goal whose target equals its start value (range 0) has no path to trail.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel

from kickcoach.history.wording import wording

BEHIND_TOLERANCE = 0.10
"""Share of the start→target range a value may trail the planned path before it counts as behind."""

PathStatus = Literal["done", "ahead", "on_track", "behind", "no_path", "not_reported"]


class GoalRef(BaseModel):
    """A goal as the contract stated it when the review began (reviews keep their own copy).

    ``start_date`` is already resolved: the goal's own, else the contract's start date.
    """

    partner: Literal["a", "b"]
    partner_name: str
    goal_id: str
    what: str
    target: str
    unit: str | None = None
    target_value: float | None = None
    start_value: float = 0.0
    start_date: dt.date
    deadline: dt.date | None = None
    indicators: list[str] = []

    @property
    def key(self) -> str:
        """``"a.g1"``: the partner and goal id, also the id of the goal's review step."""
        return f"{self.partner}.{self.goal_id}"

    @property
    def has_path(self) -> bool:
        return self.target_value is not None and self.deadline is not None


class GoalProgress(BaseModel):
    """One goal's reported value on one date, next to the planned value and the verdict."""

    partner: Literal["a", "b"]
    partner_name: str
    goal_id: str
    what: str
    unit: str | None
    date: dt.date
    progress: float | None
    planned: float | None
    target_value: float | None
    start_value: float
    deadline: dt.date | None
    status: PathStatus
    behind: bool | None
    gap: float | None
    """How far behind the planned value (in the goal's direction, positive = behind); None without both values."""
    text: str


def planned_value(goal: GoalRef, on: dt.date) -> float | None:
    """The value the straight-line path expects on ``on``, or None when the goal has no path."""
    if goal.target_value is None or goal.deadline is None:
        return None
    if on <= goal.start_date:
        return goal.start_value
    if on >= goal.deadline:
        return goal.target_value
    share = (on - goal.start_date).days / (goal.deadline - goal.start_date).days
    return goal.start_value + (goal.target_value - goal.start_value) * share


def assess(goal: GoalRef, on: dt.date, progress: float | None) -> GoalProgress:
    """Compare a reported value with the planned path (the rules are in the module docstring)."""
    exact = planned_value(goal, on)
    # Rounded once here, so the JSON, the table and the sentence all show the same planned value.
    planned = None if exact is None else round(exact, 2)
    status: PathStatus
    gap: float | None = None
    if progress is None:
        status = "not_reported"
    elif planned is None or goal.target_value is None or goal.target_value == goal.start_value:
        status = "no_path"
    else:
        direction = 1.0 if goal.target_value > goal.start_value else -1.0
        gap = direction * (planned - progress)
        tolerance = BEHIND_TOLERANCE * abs(goal.target_value - goal.start_value)
        if direction * (progress - goal.target_value) >= 0:
            status = "done"
        elif gap > tolerance:
            status = "behind"
        elif gap < -tolerance:
            status = "ahead"
        else:
            status = "on_track"
    behind = None if status in ("no_path", "not_reported") else status == "behind"
    copied = goal.model_dump(
        include={"partner", "partner_name", "goal_id", "what", "unit", "target_value", "start_value", "deadline"}
    )
    return GoalProgress(
        **copied,
        date=on,
        progress=progress,
        planned=planned,
        status=status,
        behind=behind,
        gap=None if gap is None else round(gap, 2),
        text=describe(goal, status, progress, planned),
    )


def number(value: float) -> str:
    """``5.0`` → ``"5"``, ``5.79`` → ``"5.8"``: one decimal at most, no trailing zero."""
    rounded = round(value, 1)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:.1f}"


def describe(goal: GoalRef, status: PathStatus, progress: float | None, planned: float | None) -> str:
    """ "3 of 10 articles; on the agreed path you'd be at 5" — the line a person reads."""
    say = wording().progress
    if progress is None:
        return say["none"]
    unit = say["unit"].format(unit=goal.unit) if goal.unit else ""
    if goal.target_value is None:
        return say["no_target"].format(value=f"{number(progress)}{unit}")
    reached = say["reached"].format(progress=number(progress), target=number(goal.target_value), unit=unit)
    if status == "no_path":
        return say["no_path"].format(reached=reached)
    assert planned is not None
    key = status if status in ("done", "behind", "ahead") else "on_path"
    return say[key].format(reached=reached, planned=number(planned))
