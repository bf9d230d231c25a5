"""The weekly review's steps, the answers each takes, and the saved review record.

A review of one pair on one date walks these steps, in order:

1. ``checkin`` — how both arrive; the commitments from the last review are marked done / not done.
2. partner a's turn — one step per goal, id ``a.<goal id>`` (``a.g1``): progress value, wins, what wasted
   time or energy, blockers (fear, procrastination, distractions), commitments for next week. A partner
   without goals gets one step ``a`` with the same questions minus the progress value.
3. partner b's turn — the same, ``b.<goal id>``: the roles flip, b reports and a listens.
4. ``fairness`` — what each gave and got this period (skills, contacts, time) and whether it feels fair.
5. ``summary`` — the computed summary; answering it (an optional note) finishes the review.

The step list and the goals are copied from the contract when the review begins, so a review read back
later shows what was agreed at the time. Answers are validated here (pydantic, unknown fields rejected)
and raise ``InputInvalid`` naming the field (``a.g1.progress``); question wording is deterministic.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

from kickcoach.contracts.models import Contract
from kickcoach.core.banks import bank_beside
from kickcoach.core.errors import InputInvalid, NotFound
from kickcoach.flows.review.answers import (
    ANSWER_MODELS,
    FAIR_SCORE,
    SKIP,
    CheckinAnswer,
    FairnessAnswer,
    FairnessSide,
    FairVerdict,
    GoalAnswer,
    SummaryAnswer,
    TurnAnswer,
    _Answer,
    parse_number,
)
from kickcoach.history.progress import GoalProgress, GoalRef, assess, number

RECORD_KIND = "review"
StepKind = Literal["checkin", "goal", "turn", "fairness", "summary"]

__all__ = [
    "FAIR_SCORE",
    "RECORD_KIND",
    "SKIP",
    "CheckinAnswer",
    "FairVerdict",
    "FairnessAnswer",
    "FairnessSide",
    "GoalAnswer",
    "StepKind",
    "SummaryAnswer",
    "TurnAnswer",
    "parse_number",
]


# --- the record --------------------------------------------------------------------------------------
class CarriedCommitment(BaseModel):
    """A commitment made in an earlier review, listed at the next one's check-in.

    ``id`` is ``<partner>-<goal id>-<n>`` (``a-g1-1``: partner a's first commitment on goal g1), or
    ``<partner>-<n>`` for a partner without goals.
    """

    id: str
    partner: Literal["a", "b"]
    partner_name: str
    goal_id: str | None = None
    text: str
    from_date: dt.date


class CoachLine(BaseModel):
    """One line the coach added (a partner-turn reflection or the summary line), with how it was made.

    ``key`` fingerprints the answers it was made from, so an edited answer makes a new one.
    """

    text: str
    source: Literal["model", "fallback"]
    asked: bool = False
    asked_reason: str = ""
    removed: list[str] = []
    note: str | None = None
    key: str
    prompt: str | None = None
    model: str | None = None
    error: str | None = None


class Review(BaseModel):
    """A review as saved with ``PairRepo.put_record("review", …)``; every step is saved as it is answered."""

    schema_version: Literal[1] = 1
    date: dt.date
    status: Literal["in_progress", "done"] = "in_progress"
    contract_version: int
    contract_start: dt.date
    partners: dict[str, str]
    offers: dict[str, list[str]] = Field(default_factory=dict)
    goals: list[GoalRef]
    steps: list[str]
    answers: dict[str, dict[str, Any]] = Field(default_factory=dict)
    drafts: dict[str, dict[str, Any]] = Field(default_factory=dict)
    skipped: list[str] = Field(default_factory=list)
    current: str
    carried: list[CarriedCommitment] = Field(default_factory=list)
    coach: dict[str, CoachLine] = Field(default_factory=dict)
    demo: bool = False
    started_at: dt.datetime
    finished_at: dt.datetime | None = None

    # --- steps ---------------------------------------------------------------------------------
    def kind(self, step: str) -> StepKind:
        if step in ("checkin", "fairness", "summary"):
            return step  # type: ignore[return-value]
        return "turn" if step in ("a", "b") else "goal"

    def require_step(self, step: str) -> str:
        if step not in self.steps:
            raise NotFound(f"This review has no step {step!r}", f"steps: {', '.join(self.steps)}")
        return step

    def index(self, step: str) -> int:
        return self.steps.index(self.require_step(step))

    def is_open(self, step: str) -> bool:
        return step not in self.answers and step not in self.skipped

    def first_open(self) -> str:
        """The first step neither answered nor skipped; the summary once all are (where a resume lands)."""
        return next((s for s in self.steps if self.is_open(s)), self.steps[-1])

    def next_step(self, step: str) -> str:
        return self.steps[min(self.index(step) + 1, len(self.steps) - 1)]

    def previous_step(self, step: str) -> str:
        return self.steps[max(self.index(step) - 1, 0)]

    def partner_of(self, step: str) -> str | None:
        kind = self.kind(step)
        return step.split(".")[0] if kind in ("goal", "turn") else None

    def turn_steps(self, partner: str) -> list[str]:
        return [s for s in self.steps if self.partner_of(s) == partner]

    def goal(self, step: str) -> GoalRef | None:
        return next((g for g in self.goals if g.key == step), None)

    def partner_name(self, partner: str) -> str:
        return self.partners[partner]

    # --- answers -------------------------------------------------------------------------------
    def answer(self, step: str) -> Any:
        """The validated answer model of ``step``, or None when it is not answered."""
        raw = self.answers.get(step)
        return None if raw is None else ANSWER_MODELS[self.kind(step)].model_validate(raw)

    def goal_answers(self, partner: str | None = None) -> list[tuple[str, TurnAnswer]]:
        found = []
        for step in self.steps:
            if self.kind(step) in ("goal", "turn") and (partner is None or self.partner_of(step) == partner):
                answer = self.answer(step)
                if answer is not None:
                    found.append((step, answer))
        return found

    def progress(self) -> list[GoalProgress]:
        """Every goal's reported value against its planned path on the review date (unreported ones too)."""
        rows = []
        for goal in self.goals:
            answer = self.answer(goal.key)
            rows.append(assess(goal, self.date, answer.progress if isinstance(answer, GoalAnswer) else None))
        return rows

    def marks(self) -> dict[str, bool]:
        checkin = self.answer("checkin")
        return dict(checkin.commitments) if isinstance(checkin, CheckinAnswer) else {}

    def new_commitments(self) -> list[CarriedCommitment]:
        """The commitments made in this review, with the ids the next review lists them under."""
        made = []
        for step, answer in self.goal_answers():
            partner = self.partner_of(step)
            assert partner is not None
            goal = self.goal(step)
            prefix = f"{partner}-{goal.goal_id}" if goal else partner
            for n, text in enumerate(answer.commitments, start=1):
                made.append(
                    CarriedCommitment(
                        id=f"{prefix}-{n}",
                        partner=partner,
                        partner_name=self.partner_name(partner),
                        goal_id=goal.goal_id if goal else None,
                        text=text,
                        from_date=self.date,
                    )
                )
        return made

    def fairness(self) -> FairnessAnswer | None:
        answer = self.answer("fairness")
        return answer if isinstance(answer, FairnessAnswer) else None

    def answered_count(self) -> int:
        return sum(1 for s in self.steps if s in self.answers)


def new_review(
    contract: Contract, date: dt.date, carried: list[CarriedCommitment], now: dt.datetime, *, demo: bool = False
) -> Review:
    """A fresh review of ``contract`` on ``date``: goals and steps copied from the contract as it is now."""
    goals: list[GoalRef] = []
    steps = ["checkin"]
    for partner in contract.partners:
        for goal in partner.goals:
            copied = goal.model_dump(include={"what", "target", "unit", "target_value", "start_value", "deadline"})
            ref = GoalRef(
                partner=partner.id,
                partner_name=partner.name,
                goal_id=goal.id,
                start_date=goal.start_date or contract.start_date,
                indicators=list(goal.indicators),
                **copied,
            )
            goals.append(ref)
            steps.append(ref.key)
        if not partner.goals:
            steps.append(partner.id)
    steps += ["fairness", "summary"]
    return Review(
        date=date,
        contract_version=contract.version,
        contract_start=contract.start_date,
        partners={p.id: p.name for p in contract.partners},
        offers={p.id: list(p.offers) for p in contract.partners},
        goals=goals,
        steps=steps,
        current="checkin",
        carried=carried,
        demo=demo,
        started_at=now,
    )


def validate_answer(review: Review, step: str, raw: dict[str, Any] | None) -> _Answer:
    """Check ``raw`` for ``step``; ``InputInvalid`` names the field (``a.g1.progress``) and the fix."""
    kind = review.kind(review.require_step(step))
    model = ANSWER_MODELS[kind]
    if raw is not None and not isinstance(raw, dict):
        raise InputInvalid(
            f"{step}: expected the step's fields ({', '.join(model.model_fields)}), got {type(raw).__name__}",
            f"give {step} as a mapping of those fields, or write `{SKIP}`",
            field=step,
        )
    try:
        answer = model.model_validate(raw or {})
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join([step, *(str(p) for p in first["loc"])])
        cause = (first.get("ctx") or {}).get("error")
        message = str(cause) if cause else first["msg"]
        fix = _FIXES.get(first["type"], "correct this value")
        if first["type"] == "extra_forbidden":
            fix = f"fields here: {', '.join(model.model_fields)}"
        raise InputInvalid(f"{where}: {message}", fix, field=where) from exc
    if isinstance(answer, CheckinAnswer):
        known = {c.id for c in review.carried}
        unknown = sorted(set(answer.commitments) - known)
        if unknown:
            listed = ", ".join(sorted(known)) or "none (this is the first review, or the last one made none)"
            raise InputInvalid(
                f"checkin.commitments: no commitment {', '.join(unknown)} from the last review",
                f"commitments to mark: {listed}",
                field="checkin.commitments",
            )
    return answer


_FIXES = {
    "literal_error": "use one of the values listed",
    "greater_than_equal": "give a value of 0 or more",
    "less_than_equal": "give a smaller value",
    "dict_type": "give a mapping of commitment id to done / not done",
    "list_type": "give a list, or text with one item per line",
}


# --- questions (deterministic templates) ---------------------------------------------------------
class Question(BaseModel):
    """One input of a step: ``name`` is the answer field, ``kind`` tells a UI which widget to use."""

    name: str
    label: str
    kind: Literal["text", "number", "lines", "choice", "marks"]
    choices: list[str] = []


def _line(key: str, **slots: object) -> str:
    """A line of the review's bank (``lines.yaml``, group ``steps``)."""
    return bank_beside(__file__).line("steps", key, **slots)


CHECKIN_INTRO = _line("checkin_intro")
TURN_QUESTIONS = [
    Question(name="wins", label=_line("wins"), kind="text"),
    Question(name="waste", label=_line("waste"), kind="text"),
    Question(name="blockers", label=_line("blockers"), kind="text"),
    Question(name="commitments", label=_line("commitments"), kind="lines"),
]
FAIR_CHOICES = ["yes", "mostly", "no"]


def step_title(review: Review, step: str) -> str:
    kind = review.kind(step)
    if kind == "checkin":
        return "Check-in"
    if kind == "fairness":
        return "Fairness check"
    if kind == "summary":
        return "Summary"
    partner = review.partner_of(step)
    assert partner is not None
    name = review.partner_name(partner)
    goal = review.goal(step)
    if goal is None:
        return f"{name}'s turn"
    steps = review.turn_steps(partner)
    return f"{name}'s turn · goal {steps.index(step) + 1} of {len(steps)}: {goal.what}"


def step_intro(review: Review, step: str) -> str:
    """Who speaks and what the step is for: the roles flip between the partners' turns."""
    kind = review.kind(step)
    if kind == "checkin":
        if review.carried:
            return CHECKIN_INTRO + _line("checkin_carried")
        return CHECKIN_INTRO
    if kind == "fairness":
        return _line("fairness_intro", a=review.partner_name("a"), b=review.partner_name("b"))
    if kind == "summary":
        return _line("summary_intro")
    partner = review.partner_of(step)
    assert partner is not None
    other = "b" if partner == "a" else "a"
    return _line("turn_intro", speaker=review.partner_name(partner), mentor=review.partner_name(other))


def progress_question(goal: GoalRef) -> Question:
    unit = _line("unit", unit=goal.unit) if goal.unit else ""
    indicator = _line("indicators", indicators="; ".join(goal.indicators)) if goal.indicators else ""
    if goal.target_value is not None:
        by = _line("by", deadline=goal.deadline.isoformat()) if goal.deadline else ""
        target = _line("target", target=number(goal.target_value), unit=unit, by=by, start=number(goal.start_value))
    else:
        target = _line("target_text", target=goal.target)
    return Question(name="progress", label=_line("progress", unit=unit, target=target, indicator=indicator), kind="number")


def questions(review: Review, step: str) -> list[Question]:
    kind = review.kind(step)
    if kind == "checkin":
        found = [Question(name="note", label="How are you both arriving?", kind="text")]
        if review.carried:
            found.append(Question(name="commitments", label="Last time's commitments: which did you do?", kind="marks"))
        return found
    if kind == "goal":
        goal = review.goal(step)
        assert goal is not None
        return [progress_question(goal), *TURN_QUESTIONS]
    if kind == "turn":
        return list(TURN_QUESTIONS)
    if kind == "fairness":
        found = []
        for partner in ("a", "b"):
            name = review.partner_name(partner)
            found += [
                Question(name=f"{partner}.gave", label=f"What did {name} give (skills, contacts, time)?", kind="text"),
                Question(name=f"{partner}.got", label=f"What did {name} get?", kind="text"),
                Question(name=f"{partner}.hours", label=f"Hours {name} gave this period", kind="number"),
                Question(
                    name=f"{partner}.fair",
                    label=f"Does the trade feel fair to {name}?",
                    kind="choice",
                    choices=FAIR_CHOICES,
                ),
            ]
        return found
    return [Question(name="note", label="Anything to add?", kind="text")]
