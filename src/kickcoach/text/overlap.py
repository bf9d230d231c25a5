"""How much two texts share, by ``difflib`` over word tokens.

- :func:`longest_common_run`: the longest run of tokens two sequences share (leak checks).
- :func:`similarity`: ``SequenceMatcher.ratio`` over lower-cased tokens (0..1, near-duplicate checks).
- :func:`share_from`: the share of one text's content words that another text contains (grounding).
"""

from __future__ import annotations

from collections.abc import Sequence
from difflib import SequenceMatcher

from kickcoach.text.words import content_words, tokens


def longest_common_run(a: Sequence[str], b: Sequence[str]) -> int:
    """Length of the longest run of items that ``a`` and ``b`` share, in order and contiguous."""
    if not a or not b:
        return 0
    matcher = SequenceMatcher(None, list(a), list(b), autojunk=False)
    return matcher.find_longest_match(0, len(a), 0, len(b)).size


def longest_shared_run(a: str, b: str) -> int:
    """:func:`longest_common_run` over the lower-cased words of two texts."""
    return longest_common_run([w.lower() for w in tokens(a)], [w.lower() for w in tokens(b)])


def similarity(a: str, b: str) -> float:
    """How alike two texts are, word by word (1.0 the same words in the same order)."""
    left, right = [w.lower() for w in tokens(a)], [w.lower() for w in tokens(b)]
    if not left and not right:
        return 1.0
    return SequenceMatcher(None, left, right, autojunk=False).ratio()


def share_from(value: str, source: str) -> float:
    """The share of ``value``'s content words (by stem) that ``source`` also has; 0.0 when it has none."""
    terms = content_words(value)
    if not terms:
        return 0.0
    return len(terms & content_words(source)) / len(terms)
