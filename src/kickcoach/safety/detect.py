"""The safety check: does this text say that someone is at risk, being harmed or harassed, or in an emergency?

Rules, not a model: a missed crisis must be explainable and fixable, and the check runs first on every turn, so it
must cost well under a millisecond. The text is normalised (case, quotes, text-speak), ordinary figures of
speech ("this deadline is killing me") and explicit denials ("I'd never hurt myself") are blanked, then each
category's patterns run in the bank's order. Content lives in ``banks/signals.yaml``.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import yaml
from pydantic import BaseModel, ConfigDict

if TYPE_CHECKING:
    from kickcoach.safety.head import SafetyHead

BANK = Path(__file__).with_name("banks") / "signals.yaml"
MAX_CHECKED_CHARS = 8000  # longer text is checked in its first and last 4,000 characters (inputs are capped below this)

Category = Literal[
    "suicide_selfharm", "harm_to_others", "abuse_or_violence", "harassment_at_work", "discrimination",
    "medical_emergency", "legal_emergency",
]

class SafetyVerdict(BaseModel):
    """What the check heard. ``category`` is None when nothing was heard; ``matched`` is the words that decided it."""

    model_config = ConfigDict(frozen=True)

    category: Category | None = None
    matched: str = ""
    version: int = 0
    source: Literal["rule", "head", ""] = ""
    score: float = 0.0  # the head's risk probability (0 when it did not run)
    certain: bool = False  # a rule heard it; the learned head alone never is, and its flag gets the gentle check-in

    @property
    def flagged(self) -> bool:
        return self.category is not None


class _Signals(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int
    spelled: list[tuple[str, str]]
    figures: list[str]
    denials: list[str]
    categories: dict[Category, dict[Literal["patterns"], list[str]]]


@cache
def _bank() -> _Signals:
    return _Signals.model_validate(yaml.safe_load(BANK.read_text(encoding="utf-8")))


@cache
def _spelled() -> list[tuple[re.Pattern[str], str]]:
    """Text-speak spelled out before matching, so one pattern serves "im", "i'm" and "I’m"."""
    return [(re.compile(pattern), replacement) for pattern, replacement in _bank().spelled]


@cache
def _signals() -> tuple[int, list[re.Pattern[str]], list[tuple[Category, list[re.Pattern[str]]]]]:
    bank = _bank()
    blank = [re.compile(p, re.IGNORECASE) for p in (*bank.figures, *bank.denials)]
    ordered = [(name, [re.compile(p, re.IGNORECASE) for p in entry["patterns"]]) for name, entry in bank.categories.items()]
    return bank.version, blank, ordered


def signals_version() -> int:
    return _signals()[0]


_HEDGES = re.compile(r"\b(?:just|really|simply|honestly|probably|maybe|actually|literally|kind of|sort of|kinda|sorta)\b")


def normalise(text: str) -> str:
    """Lower case, straight quotes, text-speak spelled out, whitespace collapsed."""
    out = text.lower()
    for pattern, replacement in _spelled():
        out = pattern.sub(replacement, out)
    return out.strip()


def _blanked(text: str, patterns: list[re.Pattern[str]]) -> str:
    for pattern in patterns:
        text = pattern.sub(lambda m: " " * len(m.group(0)), text)
    return text


def check(text: str | None, head: SafetyHead | None = None) -> SafetyVerdict:
    """The first category whose patterns match ``text`` once figures of speech and denials are blanked; else,
    with a ``head``, what the learned head hears in the same blanked text."""
    if not text or not text.strip():
        return SafetyVerdict()
    if len(text) > MAX_CHECKED_CHARS:
        text = f"{text[: MAX_CHECKED_CHARS // 2]} . {text[-MAX_CHECKED_CHARS // 2 :]}"
    version, blank, ordered = _signals()
    heard = _blanked(normalise(text), blank)
    # the patterns also hear the words without hedges ("better off if I just wasn't around"): a hedge changes
    # nothing they listen for, and some are written with one, so both readings are tried
    for reading in dict.fromkeys((heard, " ".join(_HEDGES.sub(" ", heard).split()))):
        for category, patterns in ordered:
            for pattern in patterns:
                found = pattern.search(reading)
                if found:
                    return SafetyVerdict(category=category, matched=found.group(0).strip()[:120], version=version,
                                         source="rule", certain=True)
    left = " ".join(heard.split())
    if head is None or len(left) < 3:
        return SafetyVerdict(version=version)
    category_heard, score = head.read(left)
    if category_heard is None:
        return SafetyVerdict(version=version, score=round(score, 4))
    # The head alone is never certain: out of its training voices it can be sure and wrong (0.99 on a request for
    # ideas about what to cut from a talk), and a full help reply is followed by reminders; the gentle check-in
    # names the same real help and lets the conversation go on when it misread.
    return SafetyVerdict(category=category_heard, matched=left[:120], version=version, source="head",
                         score=round(score, 4), certain=False)
