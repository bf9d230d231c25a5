"""Goal drafting: a vague goal in, a SMART goal (or the questions that get there) out.

1. The model is asked for a :class:`SmartProposal` (``prompts/contracts/smarten.v1.yaml``). Each reply
   is finished deterministically (deadline from the person's own words or a parseable phrase, the goal
   sentence made to carry that date, empty lists filled) and then checked: all five SMART criteria,
   and it must stay on the person's topic (a small model likes to copy the prompt's example). The
   problems go back to the model as fix-it lines, up to ``attempts`` calls.
2. If the model still fails (or there is no model), the *template path* composes a goal from what is
   known: the person's number, unit and deadline (from the goal and ``answers``) where given, else a
   default from a small table of goal kinds (networking, public speaking, writing, reading,
   certification, learning a skill, health, generic). A template goal always has a number and a
   deadline and passes specific, measurable and time-bound; ``questions`` then lists what the person
   should confirm: the clarifying question for each criterion their own words did not meet (plus
   any the draft itself still fails, such as relevance to their needs).

``answers`` carries the person's replies to earlier questions, keyed by criterion (``time_bound``,
case and spaces ignored) or by the friendlier ``what``, ``target``, ``deadline``, ``when``, ``why``,
``need``. Replies under any other key are kept as notes: they still count as the person's words (a
date in "note: before my review in March" is their deadline) but answer no particular question.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from langchain_core.language_models import BaseChatModel
from pydantic import BaseModel, ValidationError

from kickcoach.contracts.dates import find_when, parse_when, time_spans
from kickcoach.contracts.models import Goal, dotted, validation_problems
from kickcoach.contracts.smart import (
    CRITERIA,
    Criterion,
    Quantity,
    SmartVerdict,
    check_goal,
    goal_quantities,
    leading_action,
    matching_need,
    questions_for,
    topic_words,
)
from kickcoach.errors import InputInvalid
from kickcoach.llm.structured import structured_call
from kickcoach.prompts import load

MAX_GOAL_CHARS = 400


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
    source: Literal["model", "template"]
    attempts: int
    prompt: str | None = None  # the prompt version used ("contracts/smarten@v1"), None without a model

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


_ANSWER_KEYS = {name: name for name in CRITERIA} | {
    "what": "specific",
    "target": "measurable",
    "deadline": "time_bound",
    "when": "time_bound",
    "why": "relevant",
    "need": "relevant",
}


@dataclass(frozen=True)
class _Kind:
    """A goal kind for the template path; ``{n} {by} {target} {topic} {in_topic} {subject} {it}`` are filled in."""

    name: str
    pattern: str
    count: int
    unit: str
    weeks: int
    action: str
    target: str
    how: tuple[str, ...]
    indicators: tuple[str, ...]


_KINDS = (
    _Kind(
        name="networking",
        pattern=r"\bnetwork|\bcontacts?\b|\bconnections?\b|\brelationships?\b|linkedin|\bmeet(?:ing)? (?:\w+ )?people",
        count=6,
        unit="people",
        weeks=8,
        action="Meet {n} new people in my field for coffee by {by}, and follow up with each within a week",
        target="{n} new people met for coffee",
        how=(
            "List 10 people I'd like to meet and ask my peer partner for introductions",
            "Book one coffee a week",
            "Send a follow-up note within a week of each coffee",
        ),
        indicators=(
            "{target} by {by}",
            "A follow-up sent within 7 days of each coffee",
            "At least 2 new contacts agree to stay in touch",
        ),
    ),
    _Kind(
        name="public speaking",
        pattern=r"\bspeak|\bpresent|\btalks?\b|\bspeech|\bpitch|\baudience|\bkeynote",
        count=3,
        unit="presentations",
        weeks=10,
        action="Give {n} presentations of at least 10 minutes to a live audience by {by}, "
        "rehearsing each with my peer partner first",
        target="{n} presentations given",
        how=(
            "Volunteer for a speaking slot at a team meeting",
            "Rehearse each talk with my peer partner and ask for feedback",
            "Record one practice run and watch it back",
        ),
        indicators=(
            "{target} by {by}",
            "Each talk rehearsed at least twice beforehand",
            "Rated 4 out of 5 or higher by at least one listener",
        ),
    ),
    _Kind(
        name="writing",
        pattern=r"\bwrit|\bblog|\barticles?\b|\bpublish|\bnewsletter|\bessays?\b|\bposts?\b",
        count=4,
        unit="articles",
        weeks=8,
        action="Publish {n} articles of at least 800 words by {by}",
        target="{n} articles published",
        how=(
            "Block two hours a week for writing",
            "Send each draft to my peer partner for feedback before publishing",
            "Keep a running list of article ideas",
        ),
        indicators=("{target} by {by}", "One draft finished every two weeks", "Each draft reviewed by my peer partner"),
    ),
    _Kind(
        name="reading",
        pattern=r"\bread\b|\breading\b|\bbooks?\b",
        count=4,
        unit="books",
        weeks=12,
        action="Read {n} books related to my work by {by}, and share 1 takeaway from each with my peer partner",
        target="{n} books read",
        how=(
            "Read for 20 minutes on at least 4 days a week",
            "Pick the next book with my peer partner's suggestions",
            "Write down 1 takeaway as I finish each book",
        ),
        indicators=(
            "{target} by {by}",
            "1 takeaway shared for each book",
            "A reading log kept and shown at peer meetings",
        ),
    ),
    _Kind(
        name="certification",
        pattern=r"\bcertif|\bexams?\b|\bqualification",
        count=2,
        unit="practice tests",
        weeks=12,
        action="Pass the{subject} certification exam by {by}, after scoring at least 80% on {n} full practice tests",
        target="{n} practice tests passed and the exam passed",
        how=(
            "Book the exam date now",
            "Study for 3 hours a week from the official study guide",
            "Review wrong answers from each practice test with my peer partner",
        ),
        indicators=("Exam booked within 2 weeks", "{n} practice tests scored at 80% or higher", "Exam passed by {by}"),
    ),
    _Kind(
        name="learning a skill",
        pattern=r"\blearn|\bstudy|\bcourses?\b|\bskills?\b|\bmaster\b|\bsql\b|\bpython\b|\bexcel\b|\blanguage|\btraining",
        count=20,
        unit="practice exercises",
        weeks=12,
        action="Complete {n} hands-on practice exercises{in_topic} by {by}, and use {it} in 1 real piece of work",
        target="{n} practice exercises completed",
        how=(
            "Set aside three 30-minute practice sessions a week",
            "Pick a real task at work to use {it} on",
            "Show my progress to my peer partner at each meeting",
        ),
        indicators=(
            "{target} by {by}",
            "1 real piece of work done with {it}",
            "Progress shown to my peer partner at each meeting",
        ),
    ),
    _Kind(
        name="health",
        pattern=r"\bhealth|\bfit|\bexercis|\bgym\b|\brun\b|\brunning|\bwalk|\bworkout|\bweight\b|\bactive\b|\bstronger|\benergy",
        count=3,
        unit="sessions a week",
        weeks=8,
        action="Exercise for at least 30 minutes {n} times a week, every week until {by}",
        target="{n} exercise sessions of 30 minutes a week",
        how=(
            "Put the sessions in my calendar at the start of each week",
            "Tell my peer partner how many sessions I did at each meeting",
            "Keep a 20-minute back-up session for busy days",
        ),
        indicators=(
            "{n} sessions logged every week until {by}",
            "No more than 1 missed week",
            "Progress reported at each peer meeting",
        ),
    ),
)
_GENERIC = _Kind(
    name="generic",
    pattern=r"$^",
    count=3,
    unit="actions",
    weeks=12,
    action='Complete {n} concrete actions towards "{topic}", agreed with my peer partner, by {by}',
    target="{n} agreed actions completed",
    how=(
        "Agree the {n} actions with my peer partner at our next meeting",
        "Do one action at a time and report on it at each meeting",
    ),
    indicators=("{target} by {by}", "Each action reported at a peer meeting"),
)
_GENERIC_TOPIC_WORDS = frozenset(
    "skill skills course courses more new better language languages knowledge "
    "certification certificate exam qualification".split()
)


@dataclass(frozen=True)
class _Context:
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
    kind: _Kind


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
    ctx = _context(vague_goal, today, needs, aims, answers or {})
    made, prompt_id = 0, None
    if model is not None:
        prompt = load("contracts/smarten")
        prompt_id = prompt.id
        messages = prompt.render(
            today=today.isoformat(),
            example_deadline=(today + dt.timedelta(weeks=12)).isoformat(),
            goal=ctx.vague,
            context=_prompt_context(ctx),
        )
        result = structured_call(model, messages, SmartProposal, check=lambda p: _problems(p, ctx), attempts=attempts)
        made = result.attempts
        if result.value is not None:
            what = " ".join(result.value.what.split()) or ctx.sentence
            goal = _finish(result.value, ctx)
            return _result(goal, _capitalise(what), ctx, [], "model", made, prompt_id)
    goal = _template(ctx)
    failed = set(_check(_person_goal(ctx), ctx).failed) | set(_check(goal, ctx).failed)
    questions = questions_for(failed, ctx.vague)
    return _result(goal, _capitalise(ctx.sentence), ctx, questions, "template", made, prompt_id)


# --- context --------------------------------------------------------------------------------------
def _context(
    vague_goal: str, today: dt.date, needs: Sequence[str], aims: str | None, answers: Mapping[str, str]
) -> _Context:
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
    scores = [(len(re.findall(k.pattern, person_text, re.I)), -i, k) for i, k in enumerate(_KINDS)]
    best = max(scores, key=lambda s: s[:2])
    return _Context(
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
        kind=best[2] if best[0] else _GENERIC,
    )


def _pick(found: list[Quantity]) -> Quantity | None:
    """The first number that counts something ("10 people"), else the first number at all."""
    return next((q for q in found if q.counts), found[0] if found else None)


def _prompt_context(ctx: _Context) -> str:
    lines = []
    if ctx.needs or ctx.aims:
        lines.append("Needs: " + "; ".join([*ctx.needs, *([ctx.aims] if ctx.aims else [])]))
    lines += [f"{name.replace('_', ' ')}: {text}" for name, text in ctx.answers.items()]
    lines += [f"note: {text}" for text in ctx.notes]
    return "\n".join(lines)


def _person_goal(ctx: _Context) -> Goal:
    """The person's own words as a goal, to see which criteria they left open."""
    target = ctx.quantity.text if ctx.quantity else ctx.sentence
    return Goal(
        id="person", what=ctx.person_text, target=target, deadline=ctx.deadline, relevant_to=ctx.answers.get("relevant")
    )


def _check(goal: Goal, ctx: _Context) -> SmartVerdict:
    return check_goal(goal, today=ctx.today, needs=ctx.needs, aims=ctx.aims)


# --- model path -----------------------------------------------------------------------------------
_FIX = {
    "specific": "goal: start with an action verb (publish, present, meet, complete …) and say what it is about",
    "measurable": 'goal and target_value: include a number to count, e.g. "6 people"',
    "achievable": "target_value: {reason}; pick a smaller number or a later deadline",
    "relevant": 'goal: connect it to the need "{need}"',
    "time_bound": "deadline: give a date after {today} as YYYY-MM-DD",
}


def _problems(proposal: SmartProposal, ctx: _Context) -> list[str]:
    """Fix-it lines for the model: why this proposal is not yet a SMART goal for this person.

    Beyond the five criteria the sentence must stand on its own (open with an action verb, carry its
    number, no past dates), stay on the person's topic, and hold no placeholders ("[product]", "#tags"):
    small models produce all of these, and the template path is better than passing them on.
    """
    try:
        goal = _finish(proposal, ctx)
    except ValidationError as exc:
        return [f"{dotted(path)}: {message}" for path, message, _ in validation_problems(exc)]
    verdict = _check(goal, ctx)
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


def _finish(p: SmartProposal, ctx: _Context) -> Goal:
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
    return Goal(
        id="draft",
        what=_capitalise(sentence),
        how=_clean(p.how)
        or [h.format(**_fill(ctx, deadline or ctx.today, _num(value) or str(ctx.kind.count))) for h in ctx.kind.how],
        target=target,
        target_value=value,
        unit=unit,
        deadline=deadline,
        indicators=_clean(p.indicators) or [f"{target} by {by}"],
        relevant_to=ctx.relevant_to or matching_need(f"{sentence} {target}", ctx.needs, ctx.aims),
    )


# --- template path --------------------------------------------------------------------------------
def _template(ctx: _Context) -> Goal:
    """A goal composed from the person's words where they suffice, else from their goal kind's pattern.

    Tried in order; the first whose sentence alone is specific, measurable and time-bound and holds a
    number besides the date wins:

    1. the person's sentence with the deadline ("Publish 10 articles on the team blog by …");
    2. when that is already a checkable one-off result without a number ("Run a marathon"), the same
       split into milestones ("…, in 3 milestones agreed with my peer partner");
    3. their sentence plus a number they gave in another unit ("…, reaching 500 followers");
    4. the kind's pattern with their number (when it counts the kind's unit) or the default.
    """
    kind = ctx.kind
    deadline = _future(ctx.deadline, ctx.today) or ctx.today + dt.timedelta(weeks=kind.weeks)
    q = ctx.quantity
    fits_kind = q is None or q.unit is None or _same_unit(q.unit, kind.unit)
    fill = _fill(ctx, deadline, _num(q.value) if q is not None and fits_kind else str(kind.count))
    own = _with_deadline(ctx.sentence, deadline, ctx.today)
    candidates: list[tuple[str, str, Quantity | None, _Kind]] = [
        (ctx.sentence, q.text if q is not None else ctx.sentence, q, kind)
    ]
    if _core_ok(own, ctx.today) and not _has_number(own, ctx.today):
        steps = Quantity(float(_MILESTONES.count), _MILESTONES.unit, f"{_MILESTONES.count} milestones", 0, True)
        candidates.append((_MILESTONES.action.format(goal=own.rstrip("."), **fill), steps.text, steps, _MILESTONES))
    if q is not None and q.counts and not fits_kind and q.text not in ctx.sentence:
        candidates.append((f"{ctx.sentence}, reaching {q.text}", q.text, q, kind))
    kind_target = kind.target.format(**fill)
    candidates.append(
        (kind.action.format(**fill), kind_target, Quantity(float(fill["n"]), kind.unit, kind_target, 0, True), kind)
    )

    def dated(sentence: str) -> str:
        return _capitalise(_with_deadline(sentence, deadline, ctx.today))

    sentence, target, quantity, pattern = next(
        (c for c in candidates if _stands_alone(dated(c[0]), ctx.today)), candidates[-1]
    )
    what = dated(sentence)
    return Goal(
        id="draft",
        what=what,
        how=[h.format(**fill) for h in pattern.how],
        target=target,
        target_value=quantity.value if quantity is not None else None,
        unit=quantity.unit if quantity is not None else None,
        deadline=deadline,
        indicators=[i.format(target=target, **fill) for i in pattern.indicators],
        relevant_to=ctx.relevant_to,
    )  # the last candidate, the kind's pattern, passes by construction (tested)


_MILESTONES = _Kind(
    name="milestones",
    pattern=r"$^",
    count=3,
    unit="milestones",
    weeks=12,
    action="{goal}, in 3 milestones agreed with my peer partner",
    target="3 milestones",
    how=(
        "Agree the 3 milestones and their dates with my peer partner at our next meeting",
        "Review progress on the current milestone at each meeting",
    ),
    indicators=("{target} reached by {by}", "Each milestone reviewed at a peer meeting"),
)


def _core_ok(sentence: str, today: dt.date) -> bool:
    """The sentence alone is specific, measurable and time-bound."""
    verdict = check_goal(sentence, today=today)
    return all(verdict.criteria[c].ok for c in ("specific", "measurable", "time_bound"))


def _has_number(sentence: str, today: dt.date) -> bool:
    """A number with what it measures ("6 people", "30%", "4/5"), outside the deadline phrase."""
    return any(q.unit for q in goal_quantities(sentence, today))


def _stands_alone(sentence: str, today: dt.date) -> bool:
    return _core_ok(sentence, today) and _has_number(sentence, today)


def _fill(ctx: _Context, deadline: dt.date, n: str) -> dict[str, str]:
    """Values for a kind's patterns. The learning kind names the person's subject: "learn SQL" → "SQL"."""
    subject = [
        w
        for w in re.findall(r"[A-Za-z][\w+#'-]*", ctx.sentence)
        if topic_words(w) and w.lower() not in _GENERIC_TOPIC_WORDS
    ]
    topic = " ".join(subject[:3]) if ctx.kind.name in ("learning a skill", "certification") else ""
    return {
        "n": n,
        "by": _human(deadline),
        "topic": _quotable(ctx.sentence, ctx.today),
        "in_topic": f" in {topic}" if topic else "",
        "subject": f" {topic}" if topic else "",
        "it": topic or "what I learn",
    }


def _quotable(sentence: str, today: dt.date) -> str:
    """The person's words without date-like phrases, so a quoted topic never reads as a second deadline."""
    for span in reversed(time_spans(sentence, today)):
        sentence = sentence[: span.start] + sentence[span.end :]
    sentence = re.sub(r"\b(?:by|in|within|until|before|on)\s+\d+\w*", "", sentence, flags=re.I)
    return " ".join(sentence.split()) or "my goal"


def _same_unit(unit: str, kind_unit: str) -> bool:
    return bool(topic_words(unit) & topic_words(kind_unit))


# --- small helpers --------------------------------------------------------------------------------
def _result(
    goal: Goal,
    what: str,
    ctx: _Context,
    questions: list[str],
    source: Literal["model", "template"],
    attempts: int,
    prompt: str | None,
) -> SmartenResult:
    verdict = _check(goal, ctx)
    return SmartenResult(
        goal=goal.what,
        what=what,
        how=goal.how,
        target=goal.target,
        target_value=goal.target_value,
        unit=goal.unit,
        deadline=goal.deadline.isoformat() if goal.deadline else None,
        indicators=goal.indicators,
        relevant_to=goal.relevant_to,
        criteria=verdict.criteria,
        questions=questions,
        source=source,
        attempts=attempts,
        prompt=prompt,
    )


def _with_deadline(sentence: str, deadline: dt.date, today: dt.date) -> str:
    """``sentence`` naming ``deadline``: kept if it does, a conflicting "by …" replaced, else "by <date>" added.

    Other time phrases ("follow up within a week") stay: they are about steps, not the deadline.
    """
    sentence = sentence.rstrip(" .!?")
    spans = time_spans(sentence, today)
    if any(s.date == deadline for s in spans):
        return sentence + "."
    by = f"by {_human(deadline)}"
    for s in spans:
        phrase = sentence[s.start : s.end].lower()
        if (
            s.date < today
            or s.date > deadline
            or phrase.startswith(("by ", "before ", "until ", "no later than ", "on "))
        ):
            return f"{sentence[: s.start]}{by}{sentence[s.end :]}."
    return f"{sentence} {by}."


def _future(when: dt.date | None, today: dt.date) -> dt.date | None:
    return when if when and when > today else None


def _human(when: dt.date) -> str:
    return f"{when.day} {when:%B %Y}"


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:g}" if value != int(value) else str(int(value))


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _clean(items: list[str]) -> list[str]:
    return list(dict.fromkeys(" ".join(i.split()) for i in items if i and i.strip()))
