"""The five SMART criteria, each ``ok`` with a one-line reason, and the clarifying questions."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields

from pydantic import BaseModel

from kickcoach.contracts.dates import find_when, parse_when
from kickcoach.contracts.models import Goal
from kickcoach.contracts.smart.quantities import _FROM_TO, _PER, _PERIOD_WEEKS, _fmt, _rate_key, _span, quantities
from kickcoach.contracts.smart.words import (
    _COMPLETION,
    _GENERIC_OBJECTS,
    _MAX_PER_WEEK,
    _NUMBER_WORDS,
    _PLAIN_NUMBER,
    _STOP,
    _VAGUE_WORDS,
    _actions,
    _content_words,
    _unquoted,
    _without_dates,
    _words,
    matching_need,
    vague_words,
)
from kickcoach.core.banks import bank_beside

CRITERIA: tuple[str, ...] = ("specific", "measurable", "achievable", "relevant", "time_bound")


class Criterion(BaseModel):
    ok: bool
    reason: str


class SmartVerdict(BaseModel):
    """The five criteria, keyed ``specific, measurable, achievable, relevant, time_bound``."""

    criteria: dict[str, Criterion]

    @property
    def passed(self) -> bool:
        return all(c.ok for c in self.criteria.values())

    @property
    def failed(self) -> list[str]:
        return [name for name in CRITERIA if not self.criteria[name].ok]



_FREQUENCY = re.compile(
    r"\b(?:once|twice|daily|weekly|fortnightly|monthly|(?:\d+|\w+) times?"
    r"|(?:every|each|per|a) (?:day|morning|evening|weekday|week|fortnight|month))\b",
    re.I,
)


@dataclass(frozen=True)
class _Draft:
    what: str
    target: str = ""
    target_value: float | None = None
    unit: str | None = None
    start_value: float = 0
    start_date: dt.date | None = None
    deadline: dt.date | None = None
    timeframe: str | None = None
    indicators: tuple[str, ...] = ()
    how: tuple[str, ...] = ()
    relevant_to: str | None = None


def _draft(goal: Goal | str) -> _Draft:
    if isinstance(goal, str):
        return _Draft(what=goal)
    shared = goal.model_dump(include={f.name for f in fields(_Draft)} - {"indicators", "how"})
    return _Draft(**shared, indicators=tuple(goal.indicators), how=tuple(goal.how))


def check_goal(goal: Goal | str, *, today: dt.date, needs: Sequence[str] = (), aims: str | None = None) -> SmartVerdict:
    """Check ``goal`` (a :class:`Goal` or just its sentence) against the five SMART criteria.

    ``needs`` and ``aims`` are the owning partner's, for the relevance rule.
    """
    d = _draft(goal)
    deadline, time_reason = _deadline(d, today)
    return SmartVerdict(
        criteria={
            "specific": _specific(d, today),
            "measurable": _measurable(d, today),
            "achievable": _achievable(d, deadline, today),
            "relevant": _relevant(d, needs, aims),
            "time_bound": time_reason,
        }
    )


def _names_something(words: Iterable[str]) -> bool:
    """Do ``words`` name a thing, not only a placeholder ("3 concrete actions", "the next steps")?"""
    return any(
        w not in _STOP
        and w not in _GENERIC_OBJECTS
        and w not in _VAGUE_WORDS
        and not _PLAIN_NUMBER.fullmatch(w)
        and w not in _NUMBER_WORDS
        for w in (w.lower().strip("'\"") for w in words)
        if w
    )


def _specific(d: _Draft, today: dt.date) -> Criterion:
    text = _without_dates(_unquoted(d.what), today)
    content = _content_words(text)
    found = _actions(text)
    # an action counts unless all it acts on is a placeholder ("Complete 3 concrete actions towards …")
    actions = [a for a in found if len(_words(a.phrase)) == 1 or _names_something(_words(a.phrase)[1:])]
    counted = [q for q in quantities(text) if q.counts and _names_something((q.unit or "").split())]
    vague = vague_words(text)
    if len(content) >= 2 and actions:
        return Criterion(ok=True, reason=f'names a concrete action: "{actions[0].phrase}"')
    if len(content) >= 2 and counted:
        return Criterion(ok=True, reason=f'names a concrete result: "{counted[0].text}"')
    if found:
        return Criterion(
            ok=False, reason=_not_met("placeholder_action", phrase=found[0].phrase)
        )
    if vague:
        said = ", ".join(f'"{v}"' for v in dict.fromkeys(vague))
        return Criterion(ok=False, reason=_not_met("vague_only", said=said))
    return Criterion(ok=False, reason=_not_met("too_general"))


def _measurable(d: _Draft, today: dt.date) -> Criterion:
    if d.target_value is not None:
        return Criterion(ok=True, reason=f"target is {_fmt(d.target_value)}" + (f" {d.unit}" if d.unit else ""))
    text = _without_dates(f"{d.what}. {d.target}", today)
    numbers = sorted(quantities(text), key=lambda q: q.unit is None)
    if numbers:
        return Criterion(ok=True, reason=f'has a number to measure: "{numbers[0].text}"')
    frequency = _FREQUENCY.search(text)
    if frequency:
        return Criterion(ok=True, reason=f'has a frequency to count: "{frequency.group(0)}"')
    done = [a for a in _actions(text) if a.verb in _COMPLETION and a.has_object]
    if done:
        return Criterion(ok=True, reason=f'has an observable result: "{done[0].phrase}"')
    counted = [i for i in d.indicators if quantities(_without_dates(i, today))]
    if counted:
        return Criterion(ok=True, reason=f'indicator has a number: "{counted[0]}"')
    return Criterion(ok=False, reason=_not_met("unmeasurable"))


def _achievable(d: _Draft, deadline: dt.date | None, today: dt.date) -> Criterion:
    basis = _pace_basis(d, today)
    if basis is None or deadline is None:
        return Criterion(ok=True, reason="no basis to doubt it")
    amount, unit, per_week, generic_jump = basis
    days = (deadline - (d.start_date or today)).days
    if per_week is None:
        if days <= 0:
            return Criterion(ok=True, reason="no basis to doubt it")
        per_week = amount / (days / 7)
        said = f"{_fmt(amount)} {unit} in {_span(days)} is about {_fmt(per_week)} a week"
    else:
        said = f"{_fmt(per_week)} {unit} a week"
    key = _rate_key(unit)
    if key and per_week > _MAX_PER_WEEK[key]:
        return Criterion(ok=False, reason=_not_met("too_fast", said=said, limit=_fmt(_MAX_PER_WEEK[key])))
    if key:
        return Criterion(ok=True, reason=f"{said} — a realistic pace")
    if generic_jump and days <= 28:
        return Criterion(
            ok=False, reason=_not_met("jump", jump=_fmt(generic_jump), span=_span(days))
        )
    return Criterion(ok=True, reason="no basis to doubt it")


def _pace_basis(d: _Draft, today: dt.date) -> tuple[float, str, float | None, float | None] | None:
    """(amount, unit, amount per week if stated as a rate, from→to multiplier) when the goal gives them."""
    if d.target_value is not None and d.unit and _rate_key(d.unit):
        gain = d.target_value - d.start_value
        return (gain, d.unit, None, None) if gain > 0 else None
    text = _without_dates(f"{d.what}. {d.target}", today)
    jump = _FROM_TO.search(text)
    if jump:
        a = float(jump["a"].replace(",", "")) * (1000 if jump["ka"] else 1)
        b = float(jump["b"].replace(",", "")) * (1000 if jump["kb"] else 1)
        if b <= a:  # a reduction ("from 6 hours to 2"): no pace to judge
            return None
        unit = next((q.unit for q in quantities(text[jump.start() :]) if q.unit and abs(q.value - b) < 1e-9), None)
        if unit and _rate_key(unit):
            return b - a, unit, None, None
        return (b - a, unit or "units", None, b / a) if a > 0 else None
    for q in quantities(text):
        if not q.counts or not _rate_key(q.unit):
            continue
        per = _PER.match(text, q.end + 1)
        weekly = q.value / _PERIOD_WEEKS[per["period"].lower()] if per else None
        return q.value, q.unit or "", weekly, None
    return None


def _relevant(d: _Draft, needs: Sequence[str], aims: str | None) -> Criterion:
    if d.relevant_to:
        return Criterion(ok=True, reason=f'serves: "{d.relevant_to}"')
    stated = [n for n in [*needs, *([aims] if aims else [])] if n.strip()]
    if not stated:
        return Criterion(ok=True, reason="no stated needs to check against")
    need = matching_need(" ".join([d.what, d.target, *d.how]), needs, aims)
    if need:
        kind = "aim" if need == aims and need not in needs else "need"
        return Criterion(ok=True, reason=f'serves the {kind} "{need}"')
    return Criterion(ok=False, reason=_not_met("unlinked", stated=stated[0]))


def _deadline(d: _Draft, today: dt.date) -> tuple[dt.date | None, Criterion]:
    if d.deadline:
        when, said = d.deadline, f"deadline {d.deadline.isoformat()}"
    elif d.timeframe:
        parsed = parse_when(d.timeframe, today)
        if parsed is None:
            return None, Criterion(
                ok=False, reason=_not_met("not_a_date", timeframe=d.timeframe)
            )
        when, said = parsed, f'"{d.timeframe}" ({parsed.isoformat()})'
    else:
        span = find_when(f"{d.what}. {d.target}", today)
        if span is None:
            return None, Criterion(ok=False, reason=_not_met("no_deadline"))
        when, said = span.date, f"deadline {span.date.isoformat()}"
    days = (when - today).days
    if days < 0:
        return when, Criterion(ok=False, reason=_not_met("passed", said=said))
    if days == 0:
        return when, Criterion(ok=False, reason=_not_met("today", said=said))
    return when, Criterion(ok=True, reason=f"{said} is {_span(days)} away")


def _not_met(key: str, **slots: object) -> str:
    """Why a criterion is not met, from the checker's bank (``lines.yaml``, group ``not_met``)."""
    return bank_beside(__file__).line("not_met", key, **slots)


def questions_for(failed: Iterable[str], goal_text: str) -> list[str]:
    """One clarifying question per failed criterion, in SMART order.

    The "specific" question quotes the goal's vague verb when it has one ("grow" can mean many things).
    """
    wanted = set(failed)
    unknown = wanted - set(CRITERIA)
    if unknown:
        raise ValueError(f"unknown SMART criteria {sorted(unknown)}; expected some of {CRITERIA}")
    questions = []
    for name in CRITERIA:
        if name not in wanted:
            continue
        vague = vague_words(goal_text)
        if name == "specific" and vague:
            questions.append(bank_beside(__file__).line("questions", "specific_vague", verb=vague[0]))
        else:
            questions.append(bank_beside(__file__).line("questions", name))
    return questions
