"""The template path: a goal composed from the person's words where they suffice, else from the guidance
of their goal kind; ``None`` when neither names the what, the number and the date (the flow then asks)."""

from __future__ import annotations

import datetime as dt
import re

from kickcoach.contracts.dates import time_spans
from kickcoach.contracts.models import Goal
from kickcoach.contracts.smart import Quantity, check_goal, goal_quantities, topic_words
from kickcoach.flows.smarten.blanks import BlankDraft, blank_draft, own_goal
from kickcoach.flows.smarten.context import Context
from kickcoach.flows.smarten.kinds import GENERIC_TOPIC_WORDS, MILESTONES, OWN_WORDS, Kind
from kickcoach.text.words import content_tokens, stem


def _template(ctx: Context) -> Goal | None:
    """A goal composed from the person's words where they suffice, else from their goal kind's pattern;
    ``None`` when neither names the what, the number and the date (the flow asks instead).

    Tried in order; the first whose sentence alone is specific, measurable and time-bound and holds a
    number besides the date wins:

    1. the person's sentence with the deadline ("Publish 10 articles on the team blog by …");
    2. when that is already a checkable one-off result without a number ("Run a marathon"), the same
       split into milestones ("…, in 3 milestones agreed with my peer partner");
    3. their sentence plus a number they gave in another unit ("…, reaching 500 followers");
    4. the kind's pattern with their number (when it counts the kind's unit) or the default, unless the
       kind needs a subject the person did not name ("learn more": learn what?).
    """
    kind = ctx.kind or OWN_WORDS
    deadline = _future(ctx.deadline, ctx.today) or ctx.today + dt.timedelta(weeks=kind.weeks)
    q = ctx.quantity
    # a number without a unit ("run a 10k") says nothing about how many of the kind's unit to count
    fits_kind = q is None or (q.unit is not None and _same_unit(q.unit, kind.unit))
    fill = _fill(ctx, deadline, _num(q.value) if q is not None and fits_kind else str(kind.count))
    said = own_goal(ctx.sentence)  # their words, opening with their verb ("I'd like to run…" → "run…")
    own = _with_deadline(said, deadline, ctx.today)
    candidates: list[tuple[str, str, Quantity | None, Kind]] = [(said, q.text if q is not None else said, q, kind)]
    if _core_ok(own, ctx.today) and not _has_number(own, ctx.today):
        steps = Quantity(float(MILESTONES.count), MILESTONES.unit, f"{MILESTONES.count} milestones", 0, True)
        candidates.append((MILESTONES.action.format(goal=own.rstrip("."), **fill), steps.text, steps, MILESTONES))
    if q is not None and q.counts and not fits_kind and q.text not in said:
        candidates.append((f"{said}, reaching {q.text}", q.text, q, kind))
    if ctx.kind is not None and not (kind.needs_subject and not fill["subject"]):
        kind_target = kind.target.format(**fill)
        candidates.append(
            (kind.action.format(**fill), kind_target, Quantity(float(fill["n"]), kind.unit, kind_target, 0, True), kind)
        )

    def dated(sentence: str) -> str:
        return _capitalise(_with_deadline(sentence, deadline, ctx.today))

    chosen = next((c for c in candidates if _stands_alone(dated(c[0]), ctx.today)), None)
    if chosen is None:
        return None
    sentence, target, quantity, pattern = chosen
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
    )


_SCAFFOLD = "work on get better have be less start to"  # words own_goal may add


def _stems(text: str) -> set[str]:
    return {stem(w) for w in content_tokens(text)}


def keeps_aim(goal: Goal, ctx: Context) -> bool:
    """Does the draft keep the words of what the person is aiming at ("running stays running")?"""
    mine = _stems(own_goal(_own_words(ctx))) - _stems(_SCAFFOLD)
    return mine <= _stems(f"{goal.what} {goal.target}")


def _own_words(ctx: Context) -> str:
    """The person's sentence without the deadline they named (the draft says it again as "by <date>"); other
    time words stay, they are part of the aim ("leave work by 6pm", "in under 30 minutes")."""
    sentence = ctx.sentence
    deadline = _future(ctx.deadline, ctx.today)
    for span in reversed(time_spans(sentence, ctx.today)):
        if deadline is not None and span.date == deadline:
            sentence = sentence[: span.start] + sentence[span.end :]
    return " ".join(sentence.split()).strip(" ,") or ctx.sentence


def in_own_words(goal: Goal, ctx: Context) -> Goal:
    """A kind's draft led by the person's own goal ("Write more: publish 4 articles …"), so the aim stays."""
    own = _capitalise(own_goal(_own_words(ctx)))
    what = goal.what[:1].lower() + goal.what[1:] if not re.match(r"I\b", goal.what) else goal.what
    return goal.model_copy(update={"what": f"{own}: {what}"})


def with_blanks(ctx: Context) -> tuple[Goal, BlankDraft]:
    """The person's goal in their words with a deadline and marked blanks for the numbers only they can give."""
    deadline = _future(ctx.deadline, ctx.today) or ctx.today + dt.timedelta(weeks=OWN_WORDS.weeks)
    draft = blank_draft(_own_words(ctx), deadline)
    goal = Goal(
        id="draft",
        what=draft.goal,
        how=[h.format(**_fill(ctx, deadline, "1")) for h in OWN_WORDS.how],
        target=draft.goal,
        unit=draft.unit,
        deadline=deadline,
        indicators=[f"The blanks filled in and reached by {_human(deadline)}"],
        relevant_to=ctx.relevant_to,
    )
    return goal, draft


def asking(ctx: Context) -> Goal:
    """The person's own words as the draft, with only what they said: the questions ask for the rest."""
    deadline = _future(ctx.deadline, ctx.today)
    q = ctx.quantity
    sentence = _with_deadline(ctx.sentence, deadline, ctx.today) if deadline else ctx.sentence.rstrip(" .!?") + "."
    return Goal(
        id="draft",
        what=_capitalise(sentence),
        target=q.text if q is not None else ctx.sentence,
        target_value=q.value if q is not None else None,
        unit=q.unit if q is not None else None,
        deadline=deadline,
        relevant_to=ctx.relevant_to,
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


def _fill(ctx: Context, deadline: dt.date, n: str) -> dict[str, str]:
    """Values for a kind's patterns. The learning kind names the person's subject: "learn SQL" → "SQL"."""
    subject = [
        w
        for w in re.findall(r"[A-Za-z][\w+#'-]*", ctx.sentence)
        if topic_words(w) and w.lower() not in GENERIC_TOPIC_WORDS
    ]
    topic = " ".join(subject[:3]) if ctx.kind is not None and ctx.kind.needs_subject else ""
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
