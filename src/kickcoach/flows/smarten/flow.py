"""The flow: the model drafts under a JSON schema, the checks decide, the template or questions otherwise."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Literal

from langchain_core.language_models import BaseChatModel
from pydantic import BaseModel, ValidationError

from kickcoach.contracts.dates import parse_when, time_spans
from kickcoach.contracts.models import Goal, dotted, validation_problems
from kickcoach.contracts.smart import (
    Criterion,
    check_goal,
    goal_quantities,
    leading_action,
    matching_need,
    questions_for,
    topic_words,
)
from kickcoach.core.prompts import load
from kickcoach.flows.smarten.context import Context, check, context, prompt_context
from kickcoach.flows.smarten.kinds import OWN_WORDS
from kickcoach.flows.smarten.template import (
    _capitalise,
    _clean,
    _fill,
    _future,
    _human,
    _num,
    _template,
    _with_deadline,
    in_own_words,
    keeps_aim,
    with_blanks,
)
from kickcoach.llm.generate import Retry, generate


class SmartProposal(BaseModel):
    """What the model fills in (sent as the JSON schema of the reply)."""

    goal: str
    what: str
    how: list[str]
    target: str
    target_value: float | None
    unit: str | None
    deadline: str
    indicators: list[str]


class SmartenResult(BaseModel):
    """The drafted goal, its SMART check, and what to ask the person (the CLI prints this as JSON)."""

    goal: str
    what: str
    how: list[str]
    target: str
    target_value: float | None = None
    unit: str | None = None
    deadline: str | None
    indicators: list[str]
    relevant_to: str | None = None
    criteria: dict[str, Criterion]
    questions: list[str]
    blanks: list[str] = []  # the marked blanks in ``goal`` ("[now]", "[target]"), each asked by one question
    source: Literal["model", "template"]
    attempts: int
    prompt: str | None = None  # the prompt version used ("contracts/smarten@v1"), None without a model
    error: str | None = None  # the backend failed and the template was used

    @property
    def passed(self) -> bool:
        return all(c.ok for c in self.criteria.values())

    def to_goal(self, goal_id: str) -> Goal:
        """The draft as a contract :class:`Goal` with id ``goal_id``."""
        return Goal(
            id=goal_id,
            what=self.goal,
            how=self.how,
            target=self.target,
            target_value=self.target_value,
            unit=self.unit,
            deadline=dt.date.fromisoformat(self.deadline) if self.deadline else None,
            indicators=self.indicators,
            relevant_to=self.relevant_to,
        )


def smarten(
    model: BaseChatModel | None,
    vague_goal: str,
    *,
    today: dt.date,
    needs: Sequence[str] = (),
    aims: str | None = None,
    answers: Mapping[str, str] | None = None,
    attempts: int = 2,
) -> SmartenResult:
    """Draft a SMART goal from ``vague_goal`` with ``model`` (``None``: template only); see the module doc."""
    ctx = context(vague_goal, today, needs, aims, answers or {})

    def from_template() -> SmartenResult:
        goal = _template(ctx)
        if goal is not None and not keeps_aim(goal, ctx):
            goal = in_own_words(goal, ctx)
        if goal is None or not keeps_aim(goal, ctx):
            drafted, blanks = with_blanks(ctx)
            # the blanks' questions, and the needs question when the goal serves none of the stated needs
            asked = [*blanks.questions, *questions_for(set(check(drafted, ctx).failed) & {"relevant"}, ctx.vague)]
            result = _result(drafted, _capitalise(ctx.sentence), ctx, asked, "template", 0, None)
            return result.model_copy(update={"blanks": [b.text for b in blanks.blanks]})
        failed = check(goal, ctx).failed  # a draft that passes asks nothing
        return _result(goal, _capitalise(ctx.sentence), ctx, questions_for(failed, ctx.vague), "template", 0, None)

    def from_model(proposal: SmartProposal) -> SmartenResult:
        problems = _problems(proposal, ctx)
        if problems:
            raise Retry(*problems)
        what = " ".join(proposal.what.split()) or ctx.sentence
        goal = _finish(proposal, ctx)
        if not keeps_aim(goal, ctx):  # the model's wording, led by the person's own goal so the aim stays
            goal = in_own_words(goal, ctx)
        return _result(goal, _capitalise(what), ctx, [], "model", 0, None)

    if model is None:
        return from_template()
    prompt = load("contracts/smarten")
    messages = prompt.render(
        today=today.isoformat(),
        example_deadline=(today + dt.timedelta(weeks=12)).isoformat(),
        goal=ctx.vague,
        context=prompt_context(ctx),
    )
    gen = generate(model, messages, SmartProposal, check=from_model, fallback=from_template, attempts=attempts)
    return gen.value.model_copy(update={"attempts": gen.attempts, "prompt": prompt.id, "error": gen.error})


# --- model path -----------------------------------------------------------------------------------
_FIX = {
    "specific": "goal: start with an action verb (publish, present, meet, complete …) and say what it is about",
    "measurable": 'goal and target_value: include a number to count, e.g. "6 people"',
    "achievable": "target_value: {reason}; pick a smaller number or a later deadline",
    "relevant": 'goal: connect it to the need "{need}"',
    "time_bound": "deadline: give a date after {today} as YYYY-MM-DD",
}


def _problems(proposal: SmartProposal, ctx: Context) -> list[str]:
    """Fix-it lines for the model: why this proposal is not yet a SMART goal for this person.

    Beyond the five criteria the sentence must stand on its own (open with an action verb, carry its
    number, no past dates), stay on the person's topic, and hold no placeholders ("[product]", "#tags"):
    small models produce all of these, and the template path is better than passing them on.
    """
    try:
        goal = _finish(proposal, ctx)
    except ValidationError as exc:
        return [f"{dotted(path)}: {message}" for path, message, _ in validation_problems(exc)]
    verdict = check(goal, ctx)
    stated = [*ctx.needs, *([ctx.aims] if ctx.aims else [])]
    problems = [
        _FIX[name].format(
            reason=verdict.criteria[name].reason, need=stated[0] if stated else "", today=ctx.today.isoformat()
        )
        for name in verdict.failed
    ]
    sentence = " ".join(proposal.goal.split())
    if not 4 <= len(sentence.split()) <= 40:
        problems.append("goal: write one sentence of 5 to 30 words")
    if verdict.criteria["specific"].ok and leading_action(sentence) is None:
        problems.append(_FIX["specific"])
    if verdict.criteria["measurable"].ok and not check_goal(goal.what, today=ctx.today).criteria["measurable"].ok:
        problems.append('goal: put the number in the sentence itself, e.g. "Meet 6 new people …"')
    past = [sentence[s.start : s.end] for s in time_spans(sentence, ctx.today) if s.date <= ctx.today]
    if past:
        problems.append(f'goal: "{past[0]}" is not after today ({ctx.today.isoformat()})')
    texts = [sentence, proposal.what, proposal.target, *proposal.how, *proposal.indicators]
    if any(_PLACEHOLDER.search(t) for t in texts):
        problems.append("all fields: replace placeholders, brackets and hashtags with real words")
    if len(proposal.what.split()) > 15:
        problems.append("what: say the action in a few words")
    if not any(goal_quantities(i, ctx.today) for i in goal.indicators):
        problems.append("indicators: give at least one with a number you can count")
    mine = topic_words(ctx.person_text)
    if mine and not mine & topic_words(f"{goal.what} {proposal.what} {goal.target}"):
        problems.append(f'goal: keep to the person\'s own goal "{ctx.vague}"; do not copy the example')
    return problems


_PLACEHOLDER = re.compile(r"[\[\]{}<>@]|(?<![A-Za-z])#|\bX{2,}\b|\.\.\.|…")


def _finish(p: SmartProposal, ctx: Context) -> Goal:
    """The proposal made whole, deterministically: the person's deadline wins, the sentence carries it."""
    sentence = " ".join(p.goal.split()) or " ".join(p.what.split())
    deadline = _future(ctx.deadline, ctx.today) or _future(parse_when(p.deadline, ctx.today), ctx.today)
    if deadline is None and sentence:
        deadline = next((s.date for s in time_spans(sentence, ctx.today) if s.date > ctx.today), None)
    if deadline:
        sentence = _with_deadline(sentence, deadline, ctx.today)
    value, unit = p.target_value, (p.unit or "").strip() or None
    if value is None:
        counted = [q for q in goal_quantities(f"{p.target}. {sentence}", ctx.today) if q.counts]
        if counted:
            value, unit = counted[0].value, unit or counted[0].unit
    target = " ".join(p.target.split()) or (f"{_num(value)} {unit or ''}".strip() if value is not None else sentence)
    by = _human(deadline) if deadline else "the deadline"
    kind = ctx.kind or OWN_WORDS
    return Goal(
        id="draft",
        what=_capitalise(sentence),
        how=_clean(p.how)
        or [h.format(**_fill(ctx, deadline or ctx.today, _num(value) or str(kind.count))) for h in kind.how],
        target=target,
        target_value=value,
        unit=unit,
        deadline=deadline,
        indicators=_clean(p.indicators) or [f"{target} by {by}"],
        relevant_to=ctx.relevant_to or matching_need(f"{sentence} {target}", ctx.needs, ctx.aims),
    )


def _result(
    goal: Goal,
    what: str,
    ctx: Context,
    questions: list[str],
    source: Literal["model", "template"],
    attempts: int,
    prompt: str | None,
) -> SmartenResult:
    verdict = check(goal, ctx)
    copied = goal.model_dump(include={"how", "target", "target_value", "unit", "indicators", "relevant_to"})
    return SmartenResult(
        **copied,
        goal=goal.what,
        what=what,
        deadline=goal.deadline.isoformat() if goal.deadline else None,
        criteria=verdict.criteria,
        questions=questions,
        source=source,
        attempts=attempts,
        prompt=prompt,
    )
