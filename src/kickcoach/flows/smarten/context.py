"""What the person said, gathered once: their sentence, answers, deadline, number, need and goal kind."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from kickcoach.contracts.dates import find_when, parse_when
from kickcoach.contracts.models import Goal
from kickcoach.contracts.smart import CRITERIA, Quantity, SmartVerdict, check_goal, goal_quantities, matching_need
from kickcoach.core.errors import InputInvalid
from kickcoach.flows.smarten.kinds import KINDS, Kind

MAX_GOAL_CHARS = 400

_ANSWER_KEYS = {name: name for name in CRITERIA} | {
    "what": "specific",
    "target": "measurable",
    "deadline": "time_bound",
    "when": "time_bound",
    "why": "relevant",
    "need": "relevant",
}


@dataclass(frozen=True)
class Context:
    vague: str
    today: dt.date
    needs: tuple[str, ...]
    aims: str | None
    answers: Mapping[str, str]  # replies keyed by criterion
    notes: tuple[str, ...]  # replies under any other key
    sentence: str  # the person's goal in their words: the "specific" answer, else the vague goal
    person_text: str  # everything the person said, one part per sentence
    deadline: dt.date | None  # a date the person named (may be past)
    quantity: Quantity | None  # a number the person named
    relevant_to: str | None
    kind: Kind | None  # None: no kind of goal matches the person's words


def context(
    vague_goal: str, today: dt.date, needs: Sequence[str], aims: str | None, answers: Mapping[str, str]
) -> Context:
    vague = " ".join(vague_goal.split())
    if not re.search(r"\w", vague):
        raise InputInvalid(
            "The goal has no words in it", "write a few words about what you want to achieve", field="goal"
        )
    if len(vague) > MAX_GOAL_CHARS:
        raise InputInvalid(
            f"The goal is {len(vague)} characters long",
            f"keep it to a sentence or two (under {MAX_GOAL_CHARS})",
            field="goal",
        )
    said: dict[str, str] = {}
    notes: list[str] = []
    for key, value in answers.items():
        text = " ".join((value or "").split())
        name = _ANSWER_KEYS.get(re.sub(r"[\s-]+", "_", key.strip().lower()))
        if text and name:
            said[name] = text
        elif text:  # a reply under another heading still says something about the goal: keep it as a note
            notes.append(text)
    sentence = next(t for t in (said.get("specific", ""), vague) if re.search(r"\w", t)).rstrip(" .!?")
    person_text = ". ".join([vague.rstrip(" .!?"), *(said[c] for c in CRITERIA if c in said), *notes])

    deadline = None
    if "time_bound" in said:
        span = find_when(said["time_bound"], today)
        deadline = parse_when(said["time_bound"], today) or (span.date if span else None)
    if deadline is None:
        span = find_when(person_text, today)
        deadline = span.date if span else None

    replies = [said[key] for key in ("measurable", "achievable") if key in said] + notes
    quantity = _pick([q for text in replies for q in goal_quantities(text, today)]) or _pick(
        goal_quantities(sentence, today)
    )
    relevant_to = said.get("relevant") or matching_need(person_text, needs, aims)
    scores = [(len(re.findall(k.pattern, person_text, re.I)), -i, k) for i, k in enumerate(KINDS)]
    best = max(scores, key=lambda s: s[:2])
    return Context(
        vague=vague,
        today=today,
        needs=tuple(needs),
        aims=aims,
        answers=said,
        notes=tuple(notes),
        sentence=sentence,
        person_text=person_text,
        deadline=deadline,
        quantity=quantity,
        relevant_to=relevant_to,
        kind=best[2] if best[0] else None,
    )


def _pick(found: list[Quantity]) -> Quantity | None:
    """The first number that counts something ("10 people"), else the first number at all."""
    return next((q for q in found if q.counts), found[0] if found else None)


def prompt_context(ctx: Context) -> str:
    lines = []
    if ctx.needs or ctx.aims:
        lines.append("Needs: " + "; ".join([*ctx.needs, *([ctx.aims] if ctx.aims else [])]))
    lines += [f"{name.replace('_', ' ')}: {text}" for name, text in ctx.answers.items()]
    lines += [f"note: {text}" for text in ctx.notes]
    return "\n".join(lines)


def person_goal(ctx: Context) -> Goal:
    """The person's own words as a goal, to see which criteria they left open."""
    target = ctx.quantity.text if ctx.quantity else ctx.sentence
    return Goal(
        id="person", what=ctx.person_text, target=target, deadline=ctx.deadline, relevant_to=ctx.answers.get("relevant")
    )


def check(goal: Goal, ctx: Context) -> SmartVerdict:
    return check_goal(goal, today=ctx.today, needs=ctx.needs, aims=ctx.aims)
