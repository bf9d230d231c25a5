"""The cohort's phrasing habits: lead-ins and tails that many items share ("I'd like to learn …", "… is my weak spot").

Which skill an item names should not depend on the sentence around it: "I can teach X" would otherwise lean
towards *teaching* and "keen to learn X" towards *study skills* when items are assigned to concepts
(concepts.py). No fixed list of fillers is needed: over one side of a cohort (all offers, or all needs), a
run of up to ``MAX_AFFIX_WORDS`` words that starts (or ends) at least ``MIN_SHARE`` of the distinct items, and
at least ``MIN_ITEMS``, followed by at least ``MIN_VARIETY`` different words, is a template. Only runs with
a function word (pronoun, preposition, auxiliary …) or only punctuation count, so a frequent skill word
("management", "learning") is never taken for filler. Stripping never empties an item.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

MIN_SHARE = 0.02
MIN_ITEMS = 5
MIN_VARIETY = 5
MAX_AFFIX_WORDS = 8
_TOKEN = re.compile(r"[\w'’+#/.-]*\w[\w'’+#]*|[^\w\s]")
FUNCTION_WORDS = frozenset("""
i me my mine myself we our us you your it its this that these those a an the to of in on at for with from by about
into onto over under up out as is am are was were be been being have has had do does did can could would should will
shall may might must and or but so if than then when where what which who how why not no someone anyone something
anything here there i'm i've i'd i'll let's
""".split())


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower().replace("’", "'"))


def _is_filler(words: tuple[str, ...]) -> bool:
    return any(w in FUNCTION_WORDS for w in words) or all(not w[0].isalnum() for w in words)


@dataclass(frozen=True)
class Habits:
    """The templates found on one side of a cohort: word runs that lead into, or trail, many items."""

    prefixes: frozenset[tuple[str, ...]]
    suffixes: frozenset[tuple[str, ...]]

    def bare(self, text: str) -> str:
        """``text`` without the lead-in and tail it shares with the cohort (lower-cased, one space between words)."""
        words = tokens(text)
        for _ in range(2):  # "Could someone help me with X?" has both a lead-in and a tail
            for length in range(min(MAX_AFFIX_WORDS, len(words) - 1), 0, -1):
                if tuple(words[:length]) in self.prefixes:
                    words = words[length:]
                    break
            for length in range(min(MAX_AFFIX_WORDS, len(words) - 1), 0, -1):
                if tuple(words[-length:]) in self.suffixes:
                    words = words[:-length]
                    break
        return " ".join(words)


def habits(items: Iterable[str], *, min_share: float = MIN_SHARE, min_items: int = MIN_ITEMS,
           min_variety: int = MIN_VARIETY) -> Habits:
    """The lead-ins and tails that at least ``min_share`` (and ``min_items``) of the distinct ``items`` share."""
    distinct: Sequence[list[str]] = [tokens(t) for t in dict.fromkeys(" ".join(t.lower().split()) for t in items)]
    needed = max(min_items, min_share * len(distinct))
    found: list[frozenset[tuple[str, ...]]] = []
    for leading in (True, False):
        counts: Counter[tuple[str, ...]] = Counter()
        following: dict[tuple[str, ...], set[str]] = defaultdict(set)
        for words in distinct:
            for length in range(1, min(MAX_AFFIX_WORDS, len(words) - 1) + 1):
                run = tuple(words[:length]) if leading else tuple(words[-length:])
                counts[run] += 1
                following[run].add(words[length] if leading else words[-length - 1])
        found.append(frozenset(run for run, count in counts.items()
                               if count >= needed and len(following[run]) >= min_variety and _is_filler(run)))
    return Habits(found[0], found[1])
