"""The coach's one line per partner turn and per summary: the model writes a JSON sentence through the
generation pipeline (:func:`kickcoach.llm.generate.generate`), checked by :func:`_sentence_problems`
(plain words, spoken to the person, about what they reported), then the suggestion guard; a deterministic
template (a reflection and an open question) replaces it when the model fails or writes garbage."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

from kickcoach import guard
from kickcoach.core import prompts
from kickcoach.core.banks import bank_beside
from kickcoach.core.errors import KickcoachError
from kickcoach.flows.review.steps import FAIR_SCORE, CoachLine, FairnessAnswer, GoalAnswer, Review
from kickcoach.history.progress import GoalProgress, number
from kickcoach.llm import model_label
from kickcoach.llm.generate import Retry, generate
from kickcoach.text.sentences import split_sentences
from kickcoach.text.words import content_words

if TYPE_CHECKING:
    from kickcoach.flows.review.views import ReviewSummary
    from kickcoach.services import Services



def _line(key: str, **slots: object) -> str:
    """A line of the review's bank (``lines.yaml``, group ``line``)."""
    return bank_beside(__file__).line("line", key, **slots)


MODE_ASKED = _line("mode_asked")
MODE_NOT_ASKED = _line("mode_not_asked")
MAX_LINE_WORDS = 40
_QUOTE_CHARS = 80
MODEL_ATTEMPTS = 1
"""One call per line, no re-ask: the line is optional and the template is good, while a re-ask doubles the
wait at the end of a turn (SmolLM2 on two cores takes seconds per call) and rarely fixes a small model."""


def coach_line(
    services: Services,
    use_model: bool,
texts: list[str],
    facts: str,
    key: str,
    prompt: prompts.Prompt,
    render: Callable[[str], list[Any]],
    fallback: Callable[[bool], str],
) -> CoachLine:
    """Ask the model for one sentence; keep it only if it is clean, guard it, else use the template."""
    verdicts = [guard.asked([], t) for t in texts]
    hit = next((v for v in verdicts if v.asked), None)
    asked = hit is not None
    reason = hit.reason if hit else (verdicts[0].reason if verdicts else "no text")
    user_text = "\n".join(texts)
    candidate, error, label = "", None, None
    if use_model:
        try:
            model = services.model
        except Exception as exc:  # noqa: BLE001 - no model must never lose the review
            error = str(exc) if isinstance(exc, KickcoachError) else f"{type(exc).__name__}: {exc}"
        else:
            label = model_label(model)

            def checked(value: _Sentence) -> str:
                problems = _sentence_problems(value, facts)
                if problems:
                    raise Retry(*problems)
                return _first_sentences(value.sentence)

            messages = render(MODE_ASKED if asked else MODE_NOT_ASKED)
            gen = generate(model, messages, _Sentence, check=checked, fallback=lambda: "", attempts=MODEL_ATTEMPTS)
            candidate = gen.value
            if gen.source != "model":
                error = gen.error or "; ".join(gen.problems) or "no usable sentence"
    text, report = guard.filter_text(candidate, asked, user_message=user_text) if candidate else ("", None)
    source = "model"
    # Nothing of the model's left (the guard's generic reflection does not count): use the template.
    if report is None or report.reflected or not _has_content(text):
        source = "fallback"
        fallback_text, fallback_report = guard.filter_text(fallback(asked), asked, user_message=user_text)
        offer = (
            guard.PERMISSION_OFFER
            if report is not None and report.removed and guard.PERMISSION_OFFER not in fallback_text
            else ""
        )
        text = " ".join(t for t in (fallback_text.strip(), offer) if t)
        report = report if report is not None and report.removed else fallback_report
    return CoachLine(
        text=text.strip(),
        source=source,
        asked=asked,
        asked_reason=reason,
        removed=list(report.removed) if report else [],
        note=report.note() if report else None,
        key=key,
        prompt=prompt.id if use_model else None,
        model=label,
        error=error,
    )



def _quote(text: str) -> str:
    """The first sentence of ``text``, cut at a word boundary to a readable length."""
    first = (guard.split_sentences(text) or [text])[0].strip().rstrip(".!?")
    if len(first) > _QUOTE_CHARS:
        first = first[:_QUOTE_CHARS].rsplit(" ", 1)[0] + "…"
    return first


# --- model output checks -------------------------------------------------------------------------------
class _Sentence(BaseModel):
    sentence: str = Field(min_length=8, max_length=300)


_MARKUP = re.compile(r"[{}<>\[\]|#*_`\\]")
_FIRST_PERSON = re.compile(r"\b(?:i|i'm|i've|i'll|i'd|me|my|mine|we|we're|we'll|us|our)\b", re.I)
_ADDRESS = re.compile(
    r"\b(?:you|you're|you've|your|yours)\b|^(?:it )?(?:sounds|seems|looks) (?:like|as if)\b|^it feels like\b", re.I
)
_META = re.compile(r"\b(?:json|sentences?|system|prompts?|instructions?|facts|reply with)\b", re.I)
_WORD = re.compile(r"[A-Za-z']+")


_COMMON = frozenset(
    "that this with your have been were what they them from will week weeks about there their which would could "
    "should more some into than then just like also very much really sounds seems looks it's you're you've".split()
)


def _content(text: str) -> set[str]:
    """Words that carry meaning (the one stop-word list and stemmer), not the commonest reflection words."""
    return {w for w in content_words(text) if len(w) >= 3 and w not in _COMMON}


def _sentence_problems(value: _Sentence, facts: str | None = None) -> list[str]:
    """Reasons to reject a model sentence, written so the model could fix them: a full plain sentence,
    spoken to the person ("you" or a reflection such as "It sounds like …", never "I"), about what they
    reported (it shares a content word with ``facts``)."""
    text = value.sentence.strip()
    words = _WORD.findall(text)
    problems = []
    if len(words) < 4:
        problems.append("sentence: write a full sentence of at least 4 words")
    if len(text.split()) > MAX_LINE_WORDS:
        problems.append(f"sentence: keep it under {MAX_LINE_WORDS} words")
    if _MARKUP.search(text):
        problems.append("sentence: plain words only, no brackets, markup or placeholders")
    letters = sum(c.isalpha() for c in text)
    if letters < 0.6 * len(text.replace(" ", "")):
        problems.append("sentence: write words, not numbers or symbols")
    if _META.search(text):
        problems.append("sentence: speak to the person; do not mention these instructions")
    if not _ADDRESS.search(text):
        problems.append('sentence: speak to them ("you", "it sounds like …"), reflecting what they reported')
    if _FIRST_PERSON.search(text):
        problems.append("sentence: do not talk about yourself; reflect what they said")
    if facts is not None and not _content(text) & _content(facts):
        problems.append("sentence: stay with what they reported; use their own words")
    lowered = [w.lower() for w in words]
    trigrams = [tuple(lowered[i : i + 3]) for i in range(len(lowered) - 2)]
    if len(trigrams) != len(set(trigrams)):
        problems.append("sentence: do not repeat yourself")
    return problems


def _first_sentences(text: str, limit: int = 2) -> str:
    """At most ``limit`` distinct sentences (a small model repeats itself)."""
    kept: list[str] = []
    for sentence in split_sentences(text.strip()):
        clean = sentence.strip()
        if clean and clean.lower() not in (k.lower() for k in kept):
            kept.append(clean)
        if len(kept) >= limit:
            break
    return " ".join(kept)


def _has_content(text: str) -> bool:
    rest = text.replace(guard.PERMISSION_OFFER, "").strip()
    return len(_WORD.findall(rest)) >= 4


# --- templates -------------------------------------------------------------------------------------------
def _partner_facts(review: Review, partner: str) -> str:
    """The facts of a partner's turn in plain lines, for the model to reflect."""
    lines = []
    for step, answer in review.goal_answers(partner):
        goal = review.goal(step)
        if goal and isinstance(answer, GoalAnswer):
            progress = next(p for p in review.progress() if p.partner == goal.partner and p.goal_id == goal.goal_id)
            lines.append(f"Goal: {goal.what} Progress: {progress.text}.")
        for label, text in (
            ("Wins", answer.wins),
            ("Wasted time or energy", answer.waste),
            ("Blockers", answer.blockers),
        ):
            if text:
                lines.append(f"{label}: {text}")
        if answer.commitments:
            lines.append("Commitments: " + "; ".join(answer.commitments))
    return "\n".join(lines)


def _at(p: GoalProgress) -> str:
    unit = f" {p.unit}" if p.unit else ""
    assert p.progress is not None
    return (
        f"{number(p.progress)} of {number(p.target_value)}{unit}"
        if p.target_value is not None
        else f"{number(p.progress)}{unit}"
    )


def _partner_fallback(review: Review, partner: str, asked: bool) -> str:
    """The template line: one reflective sentence from the numbers and their words, one open question,
    and — only when they asked — what the other partner offered in the contract.

    It opens with "It sounds like", the reflection form the guard's detector recognises, so the template
    is never mistaken for advice."""
    answered = review.goal_answers(partner)
    steps = {step for step, _ in answered}
    reported = [
        p
        for p in review.progress()
        if p.partner == partner and f"{partner}.{p.goal_id}" in steps and p.progress is not None
    ]
    behind = [p for p in reported if p.behind]
    compared = [p for p in reported if p.behind is not None]
    if behind:
        facts = _line("and").join(_line("behind", at=_at(p), planned=number(p.planned or 0)) for p in behind[:2])
    elif len(compared) > 1:
        facts = _line("all_on_path", count=len(compared))
    elif compared:
        facts = _line("on_path", at=_at(compared[0]))
    elif reported:
        facts = _line("at", at=_at(reported[0]))
    else:
        facts = _line("shared")
    blockers = next((a.blockers for _, a in answered if a.blockers), "")
    wins = next((a.wins for _, a in answered if a.wins), "")
    extras = []
    if wins:
        extras.append(_line("win", quote=_quote(wins)))
    if blockers:
        extras.append(_line("blocker", quote=_quote(blockers)))
    sentence = _line("reflection", facts=facts, extras=_line("with") + _line("and").join(extras) if extras else "")
    question = _line("question_blocked") if blockers else _line("question")
    text = f"{sentence} {question}"
    other = "b" if partner == "a" else "a"
    offers = review.offers.get(other) or []
    if asked and offers:
        listed = _line("or").join(o.rstrip(".") for o in offers[:2])
        text += _line("offered", who=review.partner_name(other), listed=listed)
    return text


def _summary_fallback(summary: ReviewSummary) -> str:
    """The template summary line: the week's numbers as one reflection, then one open question."""
    compared = [p for p in summary.progress if p.behind is not None]
    unpathed = sum(1 for p in summary.progress if p.progress is not None and p.behind is None)
    bank = bank_beside(__file__)
    parts = []
    if compared:
        more = bank.line("summary_line", "unpathed", count=unpathed) if unpathed else ""
        parts.append(bank.line("summary_line", "on_path", good=len(compared) - len(summary.behind), count=len(compared),
                               unpathed=more))
    if summary.commitments_marked:
        parts.append(bank.line("summary_line", "kept", kept=summary.commitments_kept, marked=summary.commitments_marked))
    week = (bank.line("summary_line", "week", parts=_line("and").join(parts)) if parts
            else bank.line("summary_line", "no_figures"))
    return bank.line("summary_line", "line", week=week)


def _fairness_text(review: Review, fairness: FairnessAnswer | None) -> str:
    if fairness is None:
        return "Fairness not discussed this time."
    verdicts = {p: getattr(fairness, p).fair for p in ("a", "b")}
    if all(v == "yes" for v in verdicts.values()):
        return "Both feel the trade is fair."
    parts = []
    for p, verdict in verdicts.items():
        name = review.partner_name(p)
        if verdict is None:
            parts.append(f"{name} did not say whether it feels fair")
        else:
            parts.append(
                f"{name}: {'fair' if verdict == 'yes' else 'mostly fair' if verdict == 'mostly' else 'not fair'}"
            )
    return "Fairness: " + "; ".join(parts) + "."


def fairness_score(fairness: FairnessAnswer | None, partner: str) -> float | None:
    """yes = 1, mostly = 0.5, no = 0; None when not answered."""
    if fairness is None:
        return None
    verdict = getattr(fairness, partner).fair
    return None if verdict is None else FAIR_SCORE[verdict]
