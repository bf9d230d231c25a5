"""What the review flow shows: the current step (:class:`StepView`) and the computed summary."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field

from kickcoach.flows.review.steps import CarriedCommitment, CoachLine, FairnessAnswer, Question, StepKind
from kickcoach.history.progress import GoalProgress


class CheckedCommitment(BaseModel):
    """A commitment from the last review with its mark from this review's check-in (None = not marked)."""

    id: str
    partner_name: str
    text: str
    done: bool | None


class CoachNote(BaseModel):
    label: str
    text: str
    note: str | None = None


class ReviewSummary(BaseModel):
    """The computed summary of one review; ``lines`` are the deterministic sentences a person reads."""

    review_id: str
    date: dt.date
    status: str
    partners: dict[str, str]
    answered: int
    skipped: int
    total: int
    progress: list[GoalProgress]
    behind: list[str]
    commitments_checked: list[CheckedCommitment]
    commitments_kept: int
    commitments_marked: int
    commitments_next: list[CarriedCommitment]
    fairness: FairnessAnswer | None
    fairness_text: str
    lines: list[str]
    coach: dict[str, CoachLine]
    note: str = ""
    demo: bool = False


class StepView(BaseModel):
    """What a UI or the CLI shows for the current step of a review."""

    review_id: str
    date: dt.date
    status: str
    partners: dict[str, str]
    step: str
    kind: StepKind
    index: int = Field(description="1-based position of the step")
    total: int
    progress_label: str
    title: str
    intro: str
    questions: list[Question]
    values: dict[str, Any]
    answered: bool
    skipped: bool
    goal: GoalProgress | None = None
    carried: list[CheckedCommitment] = []
    coach: list[CoachNote] = []
    summary: ReviewSummary | None = None
    resumed: bool = False
    demo: bool = False
    safety: str | None = None  # the help reply, when the safety check heard risk in this answer (shown first)
