"""The one sentence splitter: model output, user messages and streams (``SentenceStream``).

Hand-written rather than taken from a library (pysbd was the candidate) for three reasons:

1. The guard rebuilds the reply from the sentences it keeps, so it needs exact pieces:
   ``"".join(segments(text)) == text`` always holds (each piece carries its trailing whitespace).
2. The streaming guard must know when a boundary is final. Here every boundary is decided by the text
   before it plus the first non-space character after it, so in a growing buffer every segment except
   the last is already settled and can be judged and released.
3. Model output is list-heavy: every line (bullet or numbered item) must be its own unit. pysbd is not a
   project dependency and has had no release since 2021.

Rules:
- A line break always ends a sentence (list items, paragraphs).
- ``!``, ``?`` and ``…`` followed by whitespace end a sentence.
- ``.`` followed by whitespace ends a sentence unless the word before it is a known abbreviation
  ("e.g.", "Dr.", "vs."), a single-letter initial ("J."), a list number opening its sentence ("1."),
  or the next word starts in lower case (an abbreviation we do not know). "3.5" never splits (no space).
- Closing quotes and brackets after the punctuation stay with the sentence they close.
"""

from __future__ import annotations

import re
from itertools import pairwise

# Abbreviations that (almost) never end a sentence; compared lower-cased, without the final period.
_ABBREVIATIONS = frozenset(
    {"mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "vs", "e.g", "i.e", "cf", "approx", "fig", "dept"}
)
_END = re.compile(r"""(?:[.!?…]+["'”’)\]*_]*)(?P<space>\s+)(?=\S)""")
_NEWLINE = re.compile(r"\n\s*(?=\S)")
_WORD_BEFORE = re.compile(r"(\S+)$")
_LIST_NUMBER = re.compile(r"^[(\[]?\d{1,3}$")


def _period_ends_sentence(sentence_so_far: str, next_char: str) -> bool:
    """Decide a boundary after a run of periods; ``sentence_so_far`` runs from the sentence start to it."""
    if next_char.islower():
        return False
    match = _WORD_BEFORE.search(sentence_so_far)
    if not match:
        return True
    word = match.group(1).lstrip("\"'“‘([*_").lower()
    if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()) or (word == "no" and next_char.isdigit()):
        return False
    return not (_LIST_NUMBER.match(word) and not sentence_so_far[: match.start()].strip())


def boundaries(text: str) -> list[int]:
    """Start offsets of every sentence after the first, ascending.

    Candidates are taken left to right so that each decision sees only its own sentence (from the last
    boundary on) and the next non-space character: the same decision whether ``text`` is a whole reply
    or a stream buffer that starts at a sentence start.
    """
    hard = {m.end() for m in _NEWLINE.finditer(text)}
    soft = {m.end(): m for m in _END.finditer(text)}
    cuts: list[int] = []
    start = 0
    for position in sorted(hard | soft.keys()):
        if position not in hard:
            match = soft[position]
            punct = text[match.start() : match.start("space")].rstrip("\"'”’)]*_")
            if not set(punct) & set("!?…") and not _period_ends_sentence(text[start : match.start()], text[position]):
                continue
        cuts.append(position)
        start = position
    return cuts


def segments(text: str) -> list[str]:
    """Exact pieces of ``text``, one per sentence, each with its trailing whitespace.

    ``"".join(segments(text)) == text``. Leading whitespace belongs to the first piece. An empty text
    gives an empty list.
    """
    if not text:
        return []
    cuts = [0, *boundaries(text), len(text)]
    return [text[a:b] for a, b in pairwise(cuts) if b > a]


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text``, stripped of surrounding whitespace, list markers kept ("- Try X")."""
    return [piece.strip() for piece in segments(text) if piece.strip()]


class SentenceStream:
    """Sentences out of a growing text, each released once its boundary is settled.

    ``feed`` takes the next chunk and returns the sentences (exact pieces, trailing whitespace kept) that
    are now final; ``close`` returns what is left. However the text is chunked, the pieces joined equal
    the text and equal :func:`segments` of the whole, because every boundary is decided by the text up
    to the next sentence's first non-space character.
    """

    def __init__(self) -> None:
        self._buffer = ""

    def feed(self, chunk: str) -> list[str]:
        self._buffer += chunk
        pieces = segments(self._buffer)
        if len(pieces) < 2:
            return []
        settled = pieces[:-1]
        self._buffer = pieces[-1]
        return settled

    def close(self) -> list[str]:
        rest, self._buffer = self._buffer, ""
        return [rest] if rest else []
