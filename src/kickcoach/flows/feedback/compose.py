"""Composing feedback from its parts and verifying it: no attack left, the behaviour kept, and grammatical."""

from __future__ import annotations

import re

from lemminflect import getAllLemmas
from pydantic import BaseModel

from kickcoach.core.banks import bank_beside
from kickcoach.flows.feedback.detect import detect
from kickcoach.flows.feedback.lexicon import PAST_FORMS, known_base, stem
from kickcoach.flows.feedback.read import _cap, _decap, behaviour_of, read
from kickcoach.flows.feedback.skeleton import blank_question, skeleton
from kickcoach.flows.feedback.tokens import (
    _SITUATION_STARTS,
    _SUBJECTS,
    _WEEKDAYS,
    _WHEN_STARTS,
    _detokenize,
    _tokens,
    has_time_ref,
)
from kickcoach.text.words import content_tokens, normalise, tokens


class FeedbackParts(BaseModel):
    """The four parts of a piece of feedback; None means "not known yet" (and becomes a question)."""

    situation: str | None = None
    behaviour: str | None = None
    impact: str | None = None
    request: str | None = None


_PHRASE_STARTS = _SITUATION_STARTS | _WHEN_STARTS | {"as", "once", "since", "last"}


def _sentence(text: str) -> str:
    text = text.strip().rstrip(",;:")
    return text if text.endswith((".", "!", "?")) else text + "."


def _is_phrase(situation: str) -> bool:
    first = situation.split(" ", 1)[0].lower().strip(",")
    return first in _PHRASE_STARTS or bool(re.fullmatch(_WEEKDAYS, first))


def compose(parts: FeedbackParts, *, want_request: bool = False) -> str:
    """The feedback text from its parts: "{Situation}, {behaviour}. {Impact}. [{Request}]".

    Without a situation it opens "I noticed that …" unless the behaviour names its own time; an impact
    that does not start with "that/it/this" is introduced with "As a result,". Nothing is invented here:
    a missing part is left out (the caller turns it into a question).
    """
    behaviour = (parts.behaviour or "").strip().rstrip(".")
    sentences: list[str] = []
    if not behaviour:  # nothing observable to say: the skeleton with blanks, never an empty opener
        situation = parts.situation if parts.situation and _is_phrase(parts.situation) else None
        return skeleton(situation)
    if parts.situation:
        situation = parts.situation.strip().rstrip(".,;:")
        if _is_phrase(situation):
            sentences.append(_sentence(f"{_cap(situation)}, {_decap(behaviour)}"))
        else:
            sentences += [_sentence(_cap(situation)), _sentence(_cap(behaviour))]
    elif has_time_ref(behaviour):
        sentences.append(_sentence(_cap(behaviour)))
    else:
        sentences.append(_sentence(f"I noticed that {_decap(behaviour)}"))
    if parts.impact:
        impact = re.sub(
            r"^(?:as a result|so|and so|which meant|which means)\s*,?\s*", "", parts.impact.strip(), flags=re.I
        )
        first = impact.split(" ", 1)[0].lower()
        if first in {"that", "it", "this"}:
            impact = "That " + impact.split(" ", 1)[1] if " " in impact else impact
            sentences.append(_sentence(impact))
        elif impact:
            sentences.append(_sentence(f"As a result, {_decap(impact)}"))
    if want_request and parts.request:
        request = parts.request.strip()
        sentences.append(_cap(request) if request.endswith(("?", ".")) else _cap(request) + "?")
    return " ".join(sentences)


def key_terms(text: str) -> dict[str, str]:
    """The content words of ``text`` by stem -> one surface form ("email" -> "emails")."""
    terms: dict[str, str] = {}
    for word in content_tokens(text):
        terms.setdefault(stem(word), word)
    return terms


def behaviour_terms(original: str) -> dict[str, str]:
    """The key terms a fair rewrite of ``original`` must keep: its behaviour and situation clauses."""
    reading = read(original)
    return key_terms(" ".join(c.text for c in reading.clauses if c.role in {"behaviour", "situation"}))


def missing_terms(original: str, rewrite: str) -> list[str]:
    """Key terms of the original's behaviour that the rewrite lost (surface forms, in order)."""
    present = {stem(w) for w in tokens(rewrite)}
    return [word for key, word in behaviour_terms(original).items() if key not in present]


def _line(group: str, key: str, **slots: object) -> str:
    """A line of the feedback flow's bank (``lines.yaml``)."""
    return bank_beside(__file__).line(group, key, **slots)


# A sentence or clause may not end on a word that promises more ("… was boring and.").
_DANGLING = re.compile(
    r"\b(?:and|or|but|nor|because|as|if|which|who|whose|the|a|an|my|your|our|their|his|her|than)\s*(?:[.,;:!?]|$)",
    re.I,
)
# "and which …", "but as if …": a conjunction joined to a clause that has lost its head.
_ORPHAN_CLAUSE = re.compile(r"\b(?:and|but|or)\s+(?:which|who|whom|whose|as\s+if|as\s+though)\b", re.I)
_TWO_CONJUNCTIONS = re.compile(r"\b(?:and|but|or|so)\s*,?\s+(?:and|but|or|so)\b", re.I)
# Where a clause must open with its subject: a sentence start, "I noticed that …", "when …", "because …".
_SUBJECT_SLOTS = [
    re.compile(prefix + r"(?P<word>[A-Za-z][A-Za-z']*)", re.IGNORECASE)
    for prefix in (
        r"(?:^|[.!?]\s+)",
        r"\b(?:noticed|saw|heard|seemed)\s+that\s+",
        r"\b(?:when|because|after|before|while|since|if|until)\s+",
    )
]
_FINITE = frozenset(
    "did didn't don't doesn't was wasn't were weren't is isn't are aren't am has hasn't have haven't had hadn't "
    "couldn't wouldn't won't can't shouldn't".split()
)


def _finite_verb(word: str) -> bool:
    """Is ``word`` a finite verb that cannot be read as anything else (a noun, an adjective)?"""
    lo = normalise(word).lower()
    if lo in _FINITE:
        return True
    if lo not in PAST_FORMS:
        return False
    readings = getAllLemmas(lo)
    return "NOUN" not in readings and "ADJ" not in readings


def grammar_problems(text: str) -> list[str]:
    """What makes ``text`` ungrammatical, in words a model can act on; empty when none is found.

    Every verb needs a subject where a clause starts ("I noticed that didn't prepare …" has none), and
    no sentence or clause may end on a conjunction or determiner or join a headless clause.
    """
    problems: list[str] = []
    norm = normalise(text)
    for match in (m for slot in _SUBJECT_SLOTS for m in slot.finditer(norm)):
        if _finite_verb(match.group("word")):
            problems.append(_line("grammar", "no_subject", word=match.group("word")))
    for match in _DANGLING.finditer(norm):
        problems.append(_line("grammar", "dangling", word=match.group().rstrip(".,;:!? ")))
    for regex in (_ORPHAN_CLAUSE, _TWO_CONJUNCTIONS):
        problems += [_line("grammar", "headless", words=m.group()) for m in regex.finditer(norm)]
    return list(dict.fromkeys(problems))


def attack_problems(rewrite: str) -> list[str]:
    """The attacks, judgement words and absolutes left in ``rewrite``, as fixes."""
    return [_line("attack", f.kind, text=f.text) for f in detect(rewrite)]


def verify(original: str, rewrite: str) -> list[str]:
    """Problems with ``rewrite`` as feedback on ``original``; empty means verified.

    No attack or judgement left, grammatical, and every key term of the original's behaviour kept.
    """
    problems = attack_problems(rewrite) + grammar_problems(rewrite)
    missing = missing_terms(original, rewrite)
    if missing:
        behaviour = behaviour_of(original) or "what the person did"
        problems.append(f"name the behaviour: {behaviour} (keep the words: {', '.join(missing)})")
    return problems


def questions_for(parts: FeedbackParts, *, situation_given: bool = False) -> list[str]:
    """Questions for what the feedback still lacks: what exactly was done, when, and the effect."""
    questions: list[str] = []
    if not parts.behaviour:
        questions.append(blank_question("behaviour"))
    if not situation_given and not has_time_ref(f"{parts.situation or ''} {parts.behaviour or ''}"):
        questions.append(blank_question("situation"))
    if not parts.impact:
        questions.append(blank_question("impact"))
    return questions


def suggested_request(behaviour: str | None) -> str | None:
    """A request built from the behaviour: "you didn't X" -> "Next time, could you X?"."""
    if not behaviour:
        return None
    missed = re.match(r"you didn't (.+?)(?:,|\.|$)", behaviour, flags=re.I)
    if missed:
        tokens = _tokens(missed.group(1))
        for i in range(1, len(tokens)):  # "before you pushed it" -> "before you push it"
            if tokens[i - 1].lower() in _SUBJECTS and tokens[i].lower() in PAST_FORMS:
                tokens[i] = known_base(tokens[i]) or tokens[i]
        return _line("request", "next_time", action=_detokenize(tokens))
    return _line("request", "agree")
