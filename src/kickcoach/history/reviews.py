"""The pair's weekly reviews as the coach reads them: commitments (and whether they were kept), progress
against the agreed path, blockers and fairness, one ``ReviewFacts`` per review, oldest first.

A read model of the stored ``review`` record (``flows/review_steps.Review`` writes it): only the fields the
coach reads, unknown ones ignored, so history sits below the flows. Reviews are shared by the pair: both
partners' turns are readable by either partner (the one choke point, ``PairRepo``, decides).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kickcoach.history.progress import GoalProgress, GoalRef, assess

if TYPE_CHECKING:
    from kickcoach.storage import PairRepo

REVIEW_KIND = "review"


class _Stored(BaseModel):
    model_config = ConfigDict(extra="ignore")


class _Carried(_Stored):
    id: str
    partner: Literal["a", "b"]
    goal_id: str | None = None
    text: str
    from_date: dt.date


class _StoredReview(_Stored):
    date: dt.date
    status: str = "in_progress"
    partners: dict[str, str]
    goals: list[GoalRef]
    steps: list[str]
    answers: dict[str, dict[str, Any]] = Field(default_factory=dict)
    carried: list[_Carried] = Field(default_factory=list)


class Commitment(BaseModel):
    """A commitment made at a review: ``done`` is the mark the next review's check-in gave it (None: not yet)."""

    id: str  # as the next review lists it: "a-g1-1"
    partner: Literal["a", "b"]
    goal_id: str | None
    text: str
    made_on: dt.date
    review_id: str
    done: bool | None = None
    marked_on: dt.date | None = None


class FairnessSide(BaseModel):
    gave: str = ""
    got: str = ""
    hours: float | None = None
    fair: str | None = None


class ReviewFacts(BaseModel):
    review_id: str
    date: dt.date
    status: str
    names: dict[str, str]  # partner → first name
    commitments: list[Commitment]
    progress: list[GoalProgress]  # every goal, reported or not
    blockers: dict[str, list[str]]  # partner → what got in the way
    fairness: dict[str, FairnessSide]
    marks: dict[str, bool]  # this review's check-in marks of the last review's commitments


def _facts(review_id: str, r: _StoredReview) -> ReviewFacts:
    commitments: list[Commitment] = []
    blockers: dict[str, list[str]] = {p: [] for p in r.partners}
    for step in r.steps:
        answer = r.answers.get(step)
        partner = step.split(".")[0]
        if answer is None or partner not in ("a", "b"):
            continue
        goal_id = step.split(".", 1)[1] if "." in step else None
        prefix = f"{partner}-{goal_id}" if goal_id else partner
        for n, text in enumerate(answer.get("commitments") or [], start=1):
            commitments.append(Commitment(id=f"{prefix}-{n}", partner=partner, goal_id=goal_id, text=str(text),
                                          made_on=r.date, review_id=review_id))
        if answer.get("blockers"):
            blockers[partner].append(str(answer["blockers"]).strip().rstrip("."))
    progress = []
    for goal in r.goals:
        value = (r.answers.get(goal.key) or {}).get("progress")
        progress.append(assess(goal, r.date, float(value) if isinstance(value, int | float) else None))
    fair = r.answers.get("fairness") or {}
    fairness = {p: FairnessSide.model_validate(fair[p]) for p in ("a", "b") if isinstance(fair.get(p), dict)}
    marks = (r.answers.get("checkin") or {}).get("commitments") or {}
    return ReviewFacts(review_id=review_id, date=r.date, status=r.status,
                       names={p: n.split()[0] for p, n in r.partners.items()}, commitments=commitments,
                       progress=progress, blockers=blockers, fairness=fairness,
                       marks={str(k): bool(v) for k, v in marks.items()})


def read_reviews(repo: PairRepo) -> list[ReviewFacts]:
    """Every review with at least one answer, oldest first; each commitment carries the mark the next review
    gave it (the next review's check-in lists the commitments by id)."""
    found: list[ReviewFacts] = []
    for row in repo.records(REVIEW_KIND):
        try:
            stored = _StoredReview.model_validate(row.data)
        except ValidationError:
            continue
        if stored.answers:
            found.append(_facts(row.id, stored))
    found.sort(key=lambda f: f.date)
    for earlier, later in zip(found, found[1:], strict=False):
        for c in earlier.commitments:
            if c.id in later.marks:
                c.done, c.marked_on = later.marks[c.id], later.date
    return found
