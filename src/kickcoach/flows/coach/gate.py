"""The quality gate for model wording: model text replaces the engine's reply only when it passes every check.

Checks (each failure is named, so the eval can count them):
- ``markup``: tags, markdown emphasis or headings, code fences, template brackets;
- ``length``: 1 to ``MAX_SENTENCES`` sentences and at most ``MAX_WORDS`` words;
- ``persona``: no "as an AI", "language model", no talking about prompts or instructions;
- ``valence``: no cheerful opener ("I'm glad…", "Great!") to a negative or mixed message;
- ``facts``: every number and every capitalised name in the text occurs in what the coach was given
  (the person's words, the engine's draft, the sources, the contract);
- ``on_topic``: at least ``MIN_SHARED`` content words shared with the person's message and the draft;
- ``question``: no more questions than the plan has (one);
- ``repeat``: no sentence said earlier in the conversation;
- ``kept``: every citation, list item count and number of the engine's draft is still there (a rewording may
  not drop the suggestions a person asked for, or the facts of their contract);
- ``advice``: when the person did not ask, no sentence the guard's strict detector calls a suggestion.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pydantic import BaseModel, Field

from kickcoach import guard
from kickcoach.flows.coach.understand import is_cheerful
from kickcoach.guard.requests import content_words

MAX_SENTENCES = 5
MAX_WORDS = 110
MIN_SHARED = 2
_MARKUP = re.compile(r"<[^>]{1,80}>|\*\*|__|^#{1,6}\s|```|\[[A-Za-z_ ]+\]|\{[a-z_]+\}", re.MULTILINE)
_PERSONA = re.compile(r"\b(?:as an ai|an ai (?:model|assistant)|language model|my (?:instructions|prompt|training)|"
                      r"system prompt|i cannot browse|openai)\b", re.IGNORECASE)
_NUMBER = re.compile(r"\b\d+(?:[.,:]\d+)?\b")
_CITATION = re.compile(r"\(([^()]+? › [^()]+)\)")
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b([A-Z][a-z]{2,})\b")


class GateVerdict(BaseModel):
    passed: bool
    failed: list[str] = Field(default_factory=list)

    def __bool__(self) -> bool:
        return self.passed


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in guard.split_sentences(text) if s.strip()]


def _known_tokens(texts: Iterable[str]) -> tuple[set[str], set[str]]:
    joined = " ".join(texts)
    return set(_NUMBER.findall(joined)), {w.lower() for w in re.findall(r"[A-Za-z][a-z]+", joined)}


def check(text: str, *, message: str, draft: str, given: Iterable[str], asked: bool, negative: bool,
          said_before: set[str], max_questions: int = 1) -> GateVerdict:
    """Judge model wording ``text`` for the reply to ``message`` (see the module doc)."""
    failed: list[str] = []
    sentences = _sentences(text)
    if _MARKUP.search(text):
        failed.append("markup")
    if not 1 <= len(sentences) <= MAX_SENTENCES or len(text.split()) > MAX_WORDS:
        failed.append("length")
    if _PERSONA.search(text):
        failed.append("persona")
    if negative and any(is_cheerful(s) for s in sentences):
        failed.append("valence")
    numbers, words = _known_tokens([message, draft, *given])
    invented = [n for n in _NUMBER.findall(text) if n not in numbers]
    invented += [w for s in sentences for w in _NAME.findall(s) if w.lower() not in words]
    if invented:
        failed.append("facts")
    shared = content_words(text) & (content_words(message) | content_words(draft))
    if len(shared) < MIN_SHARED:
        failed.append("on_topic")
    if text.count("?") > max_questions:
        failed.append("question")
    if any(s in said_before for s in sentences if guard.PERMISSION_OFFER not in s):
        failed.append("repeat")
    if not asked and any(guard.is_suggestion(s, strict=True) for s in sentences if not guard.is_offer(s)):
        failed.append("advice")
    citations = set(_CITATION.findall(draft))
    bullets = sum(line.lstrip().startswith("- ") for line in draft.splitlines())
    if not citations <= set(_CITATION.findall(text)) or not set(_NUMBER.findall(draft)) <= set(_NUMBER.findall(text)) \
            or sum(line.lstrip().startswith("- ") for line in text.splitlines()) < bullets:
        failed.append("kept")
    return GateVerdict(passed=not failed, failed=failed)
