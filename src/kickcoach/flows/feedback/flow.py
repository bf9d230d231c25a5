"""The feedback flow: the deterministic template, and the model's rewrite through the generation pipeline."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field

from kickcoach import guard
from kickcoach.core import prompts
from kickcoach.core.banks import bank_beside
from kickcoach.core.errors import InputInvalid
from kickcoach.flows.feedback.compose import (
    FeedbackParts,
    _is_phrase,
    _sentence,
    attack_problems,
    compose,
    grammar_problems,
    key_terms,
    questions_for,
    suggested_request,
    verify,
)
from kickcoach.flows.feedback.detect import Flag, detect
from kickcoach.flows.feedback.read import _decap, _replace_attacks, _strip_fillers, read
from kickcoach.flows.feedback.skeleton import is_skeleton, skeleton_questions
from kickcoach.flows.feedback.tokens import _detokenize, _tokens
from kickcoach.llm import model_label
from kickcoach.llm.generate import Retry, generate
from kickcoach.text.words import normalise

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

MAX_CHARS = 1200  # SmolLM2's 2k context holds the prompt, the criticism and the answer


class FeedbackDraft(BaseModel):
    """What the model is asked for; code composes the text from it."""

    situation: str = Field(
        max_length=160, description='When and where it happened, from the criticism; "unknown" if not said'
    )
    behaviour: str = Field(
        min_length=3, max_length=220, description="What the person did, as a camera would record it, past tense"
    )
    impact: str = Field(
        max_length=160, description='The effect on the speaker or the work, from the criticism; "unknown" if not said'
    )
    request: str = Field(max_length=160, description='One short question asking for a change, or "none"')


class FeedbackResult(BaseModel):
    criticism: str
    rewrite: str
    flags: list[Flag]
    questions: list[str]
    verified: bool
    source: Literal["model", "template"]
    attempts: int
    behaviour: str
    parts: FeedbackParts
    problems: list[str] = Field(default_factory=list)  # why ``rewrite`` fails verification (empty when verified)
    model_problems: list[str] = Field(default_factory=list)  # why the model's last answer was not used
    model: str | None = None
    prompt: str | None = None
    guard_note: str | None = None
    error: str | None = None

    def public(self) -> dict:
        """The JSON the CLI prints."""
        return {
            "rewrite": self.rewrite,
            "flags": [f.model_dump() for f in self.flags],
            "questions": self.questions,
            "verified": self.verified,
            "source": self.source,
            "attempts": self.attempts,
            "behaviour": self.behaviour,
            "parts": self.parts.model_dump(),
        }


_UNKNOWN = re.compile(r"^\W*(?:unknown|none|n/?a|not (?:said|stated|mentioned|given|known)|no request|-)?\W*$", re.I)


def _field(value: str | None) -> str | None:
    if value is None or _UNKNOWN.match(value):
        return None
    return " ".join(value.split())


def check_input(criticism: str) -> str:
    text = " ".join((criticism or "").split())
    if not text:
        raise InputInvalid(
            "There is no criticism to rephrase", "type what you want to say to your peer", field="criticism"
        )
    if len(text) > MAX_CHARS:
        raise InputInvalid(
            f"The criticism is {len(text)} characters long (at most {MAX_CHARS})",
            "keep it to the one thing you want to give feedback on",
            field="criticism",
        )
    return text


def _context_situation(context: str | None) -> str | None:
    """The user's own words about when/where, with any attack taken out."""
    if not context or not context.strip():
        return None
    cleaned = _replace_attacks(normalise(context), detect(context))
    tokens = _strip_fillers([t for t in _tokens(cleaned) if t not in {"|JDG", "|", ".", "!"}])
    text = _detokenize(tokens).strip(" ,;")
    return text or None


# Where it happened, in the person's own words ("in the design review", "during stand-up"): a criticism that names
# no behaviour still names its setting, and the skeleton keeps it instead of a blank.
_SETTING = re.compile(
    r"\b(?:in|at|during)\s+(?:(?:the|our|my|your|this|last|every|each|today's|yesterday's|\w+day's)\s+)?"
    r"(?:[a-z][\w'-]*\s+){0,2}(?:meetings?|reviews?|retros?|retrospectives?|stand-?ups?|calls?|demos?|one-to-ones?"
    r"|workshops?|sessions?|interviews?|presentations?|planning|kick-?offs?|syncs?|huddles?|standups?)\b",
    re.IGNORECASE,
)


def _setting(text: str) -> str | None:
    found = _SETTING.search(text)
    return found.group(0) if found and not _unclean(found.group(0)) else None


def _unclean(text: str | None) -> bool:
    """Does ``text`` judge, attack or break grammar (so it must not be shown)?"""
    return bool(text) and bool(attack_problems(text or "") or grammar_problems(_sentence(text or "")))


def template(criticism: str, *, want_request: bool = False, context: str | None = None) -> FeedbackResult:
    """The deterministic rewrite: the user's own words without the attacks, plus questions for the gaps."""
    text = check_input(criticism)
    reading = read(text)
    given = _context_situation(context)
    behaviour, situation = _tidy(reading.behaviour, reading.situation)
    if given:
        situation = (
            f"{given}, {_decap(situation)}" if situation and _is_phrase(situation) and _is_phrase(given) else given
        )
    if not behaviour and not situation:
        situation = _setting(text)  # "You were snippy in the design review" → "In the design review, you [...]"
    parts = FeedbackParts(
        situation=situation,
        behaviour=behaviour or None,
        impact=reading.impact,
        request=suggested_request(behaviour) if want_request else None,
    )
    # A situation or impact that cannot be said cleanly is left out (and asked about), not shown.
    unclean = {name for name in ("situation", "impact") if _unclean(getattr(parts, name))}
    parts = parts.model_copy(update=dict.fromkeys(unclean))
    rewrite = compose(parts, want_request=want_request)
    problems = verify(text, rewrite)
    if _unclean(rewrite):
        # The user's words do not make clean feedback: ask instead of showing a judging or broken text.
        parts = FeedbackParts()
        rewrite = compose(parts)
    skeletal = is_skeleton(rewrite)
    situation_known = bool(given) or (skeletal and not rewrite.startswith("When ["))
    return FeedbackResult(
        criticism=text,
        rewrite=rewrite,
        flags=detect(text),
        questions=(
            skeleton_questions(situation_known=situation_known)
            if skeletal
            else questions_for(parts, situation_given=bool(given))
        ),
        verified=skeletal or not problems,  # names the behaviour, or is the skeleton with blanks
        source="template",
        attempts=0,
        behaviour=behaviour,
        parts=parts,
        problems=[] if skeletal else problems,
    )


_TRAILING = re.compile(r"[\s,;]+(?:and|but|or|so|because|as|since|while|which)\s*$", re.IGNORECASE)
# A label taken out between the subject and a "whenever …" clause: "you get defensive whenever I …" read as
# "you whenever I …" (and put in the past as "you whenevered …"): the clause is the situation, not a behaviour.
_SUBJECT_THEN_WHEN = re.compile(r"^you\s+(?:when|whenever|while|after|before)\w*\s+(?P<rest>.+)$", re.IGNORECASE)


def _tidy(behaviour: str, situation: str | None) -> tuple[str, str | None]:
    """The behaviour without what removing an attack left dangling ("you were late and" → "you were late")."""
    text = _TRAILING.sub("", (behaviour or "").strip())
    stranded = _SUBJECT_THEN_WHEN.match(text)
    if stranded:
        return "", situation or f"when {stranded.group('rest')}"
    return text, situation


GROUNDED_SHARE = 0.5  # a situation or impact the model gives must take this share of its words from the user


def _grounded(value: str, source: str) -> bool:
    """At least ``GROUNDED_SHARE`` of ``value``'s content words come from ``source`` (the user's own words)."""
    terms = set(key_terms(value))
    return bool(terms) and len(terms & set(key_terms(source))) >= GROUNDED_SHARE * len(terms)


def _parts_from(draft: FeedbackDraft, want_request: bool) -> FeedbackParts:
    return FeedbackParts(
        situation=_field(draft.situation),
        behaviour=_field(draft.behaviour),
        impact=_field(draft.impact),
        request=_field(draft.request) if want_request else None,
    )


def rephrase(
    model: BaseChatModel,
    criticism: str,
    *,
    want_request: bool = False,
    context: str | None = None,
    attempts: int = 2,
) -> FeedbackResult:
    """Ask the model for the four parts, compose and verify; re-ask once; else the template.

    The model's parts must pass ``verify`` once composed, and a situation or impact it gives must be
    mostly the user's words (else it is made up). Without ``want_request`` the request is dropped and
    the composed text goes through the suggestion guard; if the guard finds advice in it, the template
    is used instead (situation, behaviour and impact are never advice). A backend failure is not an
    error here: the user gets the template, and ``error`` says why.
    """
    text = check_input(criticism)
    fallback = template(text, want_request=want_request, context=context)
    source_words = f"{text} {context or ''}"
    prompt = prompts.load("feedback/rephrase")
    avoid = ", ".join(dict.fromkeys(f.text.lower() for f in fallback.flags)) or "nothing"
    messages = prompt.render(
        criticism=text,
        situation=fallback.parts.situation or "unknown",
        behaviour=fallback.behaviour or "unknown",
        impact=fallback.parts.impact or "unknown",
        avoid=avoid,
        request_rule=REQUEST_ASKED if want_request else REQUEST_NOT_ASKED,
        example_request=EXAMPLE_REQUEST if want_request else "none",
    )

    situation_given = bool(_context_situation(context))

    def check(draft: FeedbackDraft) -> FeedbackResult:
        parts = _parts_from(draft, want_request)
        problems: list[str] = []
        if not parts.behaviour:
            problems.append('behaviour: describe what the person did, starting with "you"')
        for name in ("situation", "impact"):
            value = getattr(parts, name)
            if value and not _grounded(value, source_words):
                problems.append(f'{name}: the criticism does not say this; write "unknown"')
        rewrite = compose(parts, want_request=want_request)
        problems += verify(text, rewrite)
        if problems:
            raise Retry(*problems)
        return FeedbackResult(
            criticism=text,
            rewrite=rewrite,
            flags=fallback.flags,
            questions=questions_for(parts, situation_given=situation_given),
            verified=True,
            source="model",
            attempts=0,
            behaviour=fallback.behaviour,
            parts=parts,
        )

    def advice_note(result: FeedbackResult) -> str | None:
        """The model slipped advice into a part nobody asked for: its wording is not used at all."""
        if want_request:
            return None
        _, report = guard.filter_text(result.rewrite, asked=False, user_message=text)
        return report.note()

    gen = generate(
        model, messages, FeedbackDraft, check=check, fallback=lambda: fallback, attempts=attempts, guard=advice_note
    )
    return gen.value.model_copy(
        update={
            "model": model_label(model),
            "prompt": prompt.id,
            "attempts": gen.attempts,
            "model_problems": gen.problems,
            "guard_note": gen.guard_note,
            "error": gen.error,
        }
    )


REQUEST_ASKED = bank_beside(__file__).line("prompt", "request_asked")
REQUEST_NOT_ASKED = bank_beside(__file__).line("prompt", "request_not_asked")
EXAMPLE_REQUEST = bank_beside(__file__).line("prompt", "example_request")
