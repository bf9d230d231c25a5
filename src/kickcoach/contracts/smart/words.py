"""The SMART checker's words: vague verbs, concrete actions, topics (lists in ``words.yaml``), with the
one stop-word list and stemmer from :mod:`kickcoach.text.words` and verb lemmas from lemminflect."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from importlib import resources
from typing import Any, NamedTuple

import yaml

from kickcoach.contracts.dates import time_spans
from kickcoach.text.morphology import base_form, verb_lemma
from kickcoach.text.words import STOP_WORDS, stem

_DATA: dict[str, Any] = yaml.safe_load(
    resources.files("kickcoach.contracts.smart").joinpath("words.yaml").read_text(encoding="utf-8")
)
_STOP = STOP_WORDS  # the one list (kickcoach.text)
_VAGUE: tuple[str, ...] = tuple(_DATA["vague"])
_VAGUE_RE = re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, _VAGUE), key=len, reverse=True)) + r")\b", re.I)
_VAGUE_WORDS = frozenset(w for phrase in _VAGUE for w in phrase.split()) - _STOP
_CONCRETE = frozenset(_DATA["concrete"].split())
_COMPLETION = frozenset(_DATA["completion"].split())
# Objects that stand for "something" and name nothing: a goal made of them is not specific.
_GENERIC_OBJECTS = frozenset(_DATA["generic_objects"].split())
_ADJECTIVES = frozenset(_DATA["adjectives"].split())
_FILLER = frozenset(_DATA["fillers"].split())
_NUMBER_WORDS: dict[str, int] = dict(_DATA["number_words"])
_MAX_PER_WEEK: dict[str, float] = dict(_DATA["max_per_week"])
_TOPICS: dict[str, str] = dict(_DATA["topics"])
_QUOTED = re.compile(r"[\"\u201c][^\"\u201d]*[\"\u201d]")


def _unquoted(text: str) -> str:
    """``text`` without quoted phrases: quoting the person's vague words names nothing new."""
    return _QUOTED.sub(" ", text)


_OBJECT_START = frozenset({"a", "an", "the", "my", "our", "first", "one", "his", "her", "their"})
_CLAUSE_SPLIT = re.compile(r"[.;:,!?()\u2014\u2013]|\s-\s|\b(?:and|then|or|by|to|will|so|also)\b", re.I)
_WORD = re.compile(r"[a-z][a-z0-9'\-]*|\d[\d,.]*(?:%|[a-z]+\b)?", re.I)


def _stem(word: str) -> str:
    return stem(word)


_TOPIC_OF = {_stem(w): topic for topic, words in _TOPICS.items() for w in words.split()}


def _words(text: str) -> list[str]:
    return [w.lower().strip("'-") for w in _WORD.findall(text)]


_PLAIN_NUMBER = re.compile(r"[\d,.]+%?")


def _content_words(text: str) -> list[str]:
    """Words that name something: not stop words, vague verbs or plain numbers ("10k" and "Q3" count)."""
    return [
        w
        for w in _words(text)
        if w not in _STOP and w not in _VAGUE_WORDS and not _PLAIN_NUMBER.fullmatch(w) and len(w) > 1
    ]


def topic_words(text: str) -> set[str]:
    """Stemmed content words of ``text``, synonyms folded into one topic key."""
    return {_TOPIC_OF.get(_stem(w), _stem(w)) for w in _content_words(text)}


def matching_need(text: str, needs: Sequence[str] = (), aims: str | None = None) -> str | None:
    """The need (or the aims) sharing most topic words with ``text``; ``None`` if none shares any."""
    mine = topic_words(text)
    scored = [(len(mine & topic_words(n)), n) for n in [*needs, *([aims] if aims else [])] if n.strip()]
    best = max(scored, default=(0, None), key=lambda s: s[0])
    return best[1] if best[0] else None


def vague_words(text: str) -> list[str]:
    """The vague verbs in ``text``, in order ("improve", "get better")."""
    return [m.group(0).lower() for m in _VAGUE_RE.finditer(text)]


def _without_dates(text: str, today: dt.date) -> str:
    for span in reversed(time_spans(text, today)):
        text = text[: span.start] + " " + text[span.end :]
    return text


def _lemmas(word: str) -> set[str]:
    """``word`` and its verb lemma ("rehearsing" -> "rehearse"), for matching the concrete verbs."""
    return {word, verb_lemma(word) or base_form(word)}


class _Action(NamedTuple):
    verb: str
    phrase: str
    has_object: bool


def _actions(text: str) -> list[_Action]:
    """Concrete verbs at the head of a clause, with up to four words after them."""
    found = []
    for clause in _CLAUSE_SPLIT.split(text):
        words = clause.split()
        while words and words[0].lower().strip("'") in _FILLER:
            words = words[1:]
        if not words:
            continue
        verbs = _lemmas(words[0].lower().strip(".,'\"")) & _CONCRETE
        if verbs:
            rest = words[1:]
            has_object = bool(rest) and (
                rest[0].lower() in _OBJECT_START or rest[0][:1].isupper() or rest[0][:1].isdigit()
            )
            phrase = words[:5]
            while len(phrase) > 1 and phrase[-1].lower() in _STOP:
                phrase.pop()
            found.append(_Action(min(verbs), " ".join(phrase).strip(".,"), has_object))
    return found


_OPENING = re.compile(
    r"^\s*(?:(?:i|we)(?:'ll| will| want to| would like to| plan to| aim to| am going to| are going to)?\s+|to\s+)?",
    re.I,
)


def leading_action(text: str) -> str | None:
    """The concrete verb that opens ``text`` ("I will publish 4 articles" → "publish"), else ``None``."""
    rest = _OPENING.sub("", text, count=1)
    first = rest.split()[0].lower().strip(".,;:'\"") if rest.split() else ""
    verbs = _lemmas(first) & _CONCRETE
    return min(verbs) if verbs else None
