"""Numbers in goal text: what they count ("10 articles", "4 blog posts"), percentages, ratings, and
a usual pace per week for the things people count."""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

from kickcoach.contracts.smart.words import _ADJECTIVES, _MAX_PER_WEEK, _NUMBER_WORDS, _STOP, _without_dates
from kickcoach.text.morphology import singular

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_QUANTITY = re.compile(
    rf"(?<![\w/.])(?P<num>{_NUM}|{'|'.join(_NUMBER_WORDS)})(?P<k>k\b)?(?P<pct>\s?%|\s?percent\b)?"
    rf"(?P<rating>\s?(?:/|out of)\s?\d+)?",
    re.I,
)
_FROM_TO = re.compile(rf"\bfrom (?P<a>{_NUM})(?P<ka>k\b)? (?:\w+ )?to (?P<b>{_NUM})(?P<kb>k\b)?", re.I)
_PER = re.compile(r"\b(?:a|an|per|every|each) (?P<period>day|week|month)\b", re.I)
_PERIOD_WEEKS = {"day": 1 / 7, "week": 1.0, "month": 4.35}


class Quantity(NamedTuple):
    """A number found in text: ``value``, its ``unit`` (may be None), the matched text and where it ends.

    ``counts`` is true when the number counts the unit ("4 articles"), false for a percentage, a
    rating ("4/5") or a size ("10-minute talk").
    """

    value: float
    unit: str | None
    text: str
    end: int
    counts: bool


def quantities(text: str) -> list[Quantity]:
    """Numbers with the noun they count: "10,000 followers", "4 blog posts", "30%", "4/5"."""
    found = []
    for m in _QUANTITY.finditer(text):
        raw = m["num"].lower()
        value = float(_NUMBER_WORDS.get(raw) or raw.replace(",", "")) * (1000 if m["k"] else 1)
        unit_words: list[str] = []
        end = m.end()
        compound = re.match(r"-([a-z]+)", text[m.end() :], re.I)
        if compound:  # "10-minute talk": the number sizes something, it does not count it
            unit_words, end = [compound.group(1).lower()], m.end() + compound.end()
        elif m["pct"]:
            unit_words = ["percent"]
        elif m["rating"]:
            unit_words = ["out of " + re.sub(r"\D", "", m["rating"])]
        else:
            for wm in list(re.finditer(r"\S+", text[m.end() :]))[:4]:
                token = wm.group(0)
                word = token.strip(".,;:!?()\"'").lower()
                if word in _ADJECTIVES and not unit_words:
                    continue
                # one noun ("10 articles"), or two when the second is the counted thing ("4 blog posts")
                if not word or word in _STOP or word[0].isdigit() or (unit_words and _rate_key(word) is None):
                    break
                unit_words.append(word)
                end = m.end() + wm.start() + len(token.rstrip(".,;:!?()\"'"))
                if _rate_key(word) or token != token.rstrip(".,;:!?()\"'") or len(unit_words) == 2:
                    break
        if raw in _NUMBER_WORDS and not unit_words:
            continue  # "one" alone is a pronoun more often than a count
        counts = bool(unit_words) and not (compound or m["pct"] or m["rating"])
        found.append(Quantity(value, " ".join(unit_words) or None, text[m.start() : end], end, counts))
    return found


def goal_quantities(text: str, today: dt.date) -> list[Quantity]:
    """:func:`quantities` outside deadline phrases ("31" and "2027" in "by 31 March 2027" are not targets)."""
    return quantities(_without_dates(text, today))


def _rate_key(unit: str | None) -> str | None:
    for word in reversed((unit or "").lower().split()):
        for form in (word, singular(word)):
            if form in _MAX_PER_WEEK:
                return form
    return None


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if abs(value - round(value)) < 0.05 or abs(value) >= 100 else f"{value:,.1f}"


def _span(days: float) -> str:
    if days < 7:
        return f"{days:.0f} day" + ("s" if round(days) != 1 else "")
    weeks = round(days / 7)
    return f"{weeks} week" + ("s" if weeks != 1 else "")
