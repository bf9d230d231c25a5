"""Words: tokens, the one stop-word list, the one stemmer (Snowball English) and content words.

``stem`` folds a word's inflections together ("answered", "answers", "answering" -> "answer"); irregular
verb forms are first taken to their lemma ("took" -> "take") so that they meet their base too.
``content_words`` is what every overlap, grounding and keeps-the-words check compares.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

import snowballstemmer

from kickcoach.text.morphology import verb_lemma

_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'\u2019:/_-]*")
_STEMMER = snowballstemmer.stemmer("english")


def _load_stop_words() -> frozenset[str]:
    text = resources.files("kickcoach.text").joinpath("data/stop_words.txt").read_text(encoding="utf-8")
    lines = (line for line in text.splitlines() if not line.lstrip().startswith("#"))
    return frozenset(word.lower() for line in lines for word in line.split())


STOP_WORDS: frozenset[str] = _load_stop_words()


_STRAIGHT = str.maketrans("\u2019\u2018\u201c\u201d", "''\"\"")


def normalise(text: str) -> str:
    """Same-length normalisation (curly quotes to straight), so spans found in the result index ``text``."""
    return text.translate(_STRAIGHT)


def tokens(text: str) -> list[str]:
    """The words of ``text`` in order, surface forms, apostrophes inside words kept ("didn't", "Tom's")."""
    return [w.strip("'") for w in _WORD.findall(normalise(text)) if w.strip("'")]


def is_stop_word(word: str) -> bool:
    return word.lower().strip("'") in STOP_WORDS


@cache
def stem(word: str) -> str:
    """The Snowball stem of ``word``, lower-cased; "PRs" -> "pr", "Tom's" -> "tom", "took" -> "take"."""
    raw = normalise(word).strip("'\".,;:!?()")
    if len(raw) > 2 and raw.endswith("s") and raw[:-1].isupper():
        raw = raw[:-1]  # "PRs", "APIs"
    lo = raw.lower().removesuffix("'s")
    if len(lo) > 2 and lo.endswith("s") and lo[-2].isdigit():
        lo = lo[:-1]  # "1:1s", "1990s"
    lemma = verb_lemma(lo)
    if lemma and lemma != lo:
        return str(_STEMMER.stemWord(lemma))  # "took" -> "take"; regular forms stem the same either way
    return str(_STEMMER.stemWord(lo))


def content_tokens(text: str) -> list[str]:
    """The words of ``text`` that are not stop words and contain a letter, in order."""
    return [w for w in tokens(text) if not is_stop_word(w) and re.search(r"[A-Za-z]", w)]


def content_words(text: str) -> frozenset[str]:
    """The stems of the content words of ``text``."""
    return frozenset(stem(w) for w in content_tokens(text))


def content_terms(text: str) -> dict[str, str]:
    """Content words by stem -> the first surface form seen ("email" -> "emails")."""
    terms: dict[str, str] = {}
    for word in content_tokens(text):
        terms.setdefault(stem(word), word)
    return terms


# Beyond the stop-word list: words every request and chat turn shares, which say nothing about its topic
# ("tips", "week", "help").
CHAT_WORDS = frozenset(
    "above anyone anything below cannot else further he'd he'll he's here's herself himself how's itself "
    "let's now right say says said she'd she'll she's something that's there's they'd they'll they're "
    "they've think wanted we'd we'll we're we've what's when's where's who's why's yeah yes you'd you'll "
    "you've yourselves ok okay sure thanks thank please maybe kind sort know feel feeling felt go going "
    "made take took great bad help advice tip tips idea ideas suggestion suggestions suggest recommend "
    "option options anyway actually honestly work week day helpful useful perfect awesome cool nice fine "
    "glad sense appreciate appreciated".split()
)
_BACKTICK = str.maketrans("`", "'")


@cache
def _chat_stems() -> frozenset[str]:
    return frozenset(stem(w) for w in CHAT_WORDS)


def topic_words(text: str) -> frozenset[str]:
    """What a chat turn is about: its :func:`content_words` less :data:`CHAT_WORDS` and words under three
    letters (the guard scopes a request's topic with them, retrieval boosts matching headings)."""
    return frozenset(w for w in content_words(text.translate(_BACKTICK)) if len(w) > 2 and w not in _chat_stems())
