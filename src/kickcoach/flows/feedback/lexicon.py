"""The feedback flow's words: lists from ``lexicon.yaml``, verb forms from :mod:`kickcoach.text.morphology`,
stems from :mod:`kickcoach.text.words` (plus the lexicon's synonyms)."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

from kickcoach.text import morphology, words
from kickcoach.text.words import STOP_WORDS

STOPWORDS = STOP_WORDS


def _load() -> dict[str, Any]:
    raw = resources.files("kickcoach.flows.feedback").joinpath("lexicon.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(raw)
    return data


_DATA = _load()


def _list(key: str) -> list[str]:
    return str(_DATA.get(key) or "").split() + list(_DATA.get(f"{key}_phrases") or [])


def words_of(block: str) -> list[str]:
    return block.split()


EVALUATIONS = _list("evaluations")
TRAIT_LABELS = _list("trait_labels") + EVALUATIONS
JUDGEMENTS = _list("judgements")
PERSON_NOUNS = _list("person_nouns")
FEELINGS = frozenset(_list("feelings"))
TIME_UNITS = frozenset(_list("time_units"))
VERBS = frozenset(_list("verbs"))
SYNONYMS: dict[str, str] = dict(_DATA.get("synonyms") or {})

# Forms that are also a base or a common noun/adjective: never read as a past tense on their own.
_AMBIGUOUS_PAST = frozenset(
    words_of("put let set cut hit hurt quit read cost shut split spread upset bet beat come run become")
)

BASE_OF: dict[str, str] = {}  # every inflected form of a known verb -> its base
for _base in sorted(VERBS):
    for _form in sorted(morphology.verb_forms(_base)):
        BASE_OF.setdefault(_form, _base)
PAST_FORMS = (
    frozenset({morphology.past(b) for b in VERBS} | {morphology.participle(b) for b in VERBS}) - _AMBIGUOUS_PAST
)
PARTICIPLES = frozenset({morphology.participle(b) for b in VERBS} | {morphology.past(b) for b in VERBS})


def known_base(word: str) -> str | None:
    """The base of a known verb form, hyphenated verbs by their last part; None for words not in the lexicon."""
    lo = word.lower()
    if lo in BASE_OF:
        return BASE_OF[lo]
    head, sep, last = lo.rpartition("-")
    if sep and last in BASE_OF:
        return head + sep + BASE_OF[last]
    return None


def base_form(word: str) -> str:
    """The base form of a verb form: lexicon verbs first, then lemminflect's lemma or rules."""
    return known_base(word) or morphology.base_form(word)


past = morphology.past
plural = morphology.plural


@cache
def stem(word: str) -> str:
    """The one stemmer (Snowball) with the lexicon's synonyms folded: "replied" and "answer" meet."""
    stemmed = words.stem(word)
    return SYNONYMS.get(stemmed, stemmed)
