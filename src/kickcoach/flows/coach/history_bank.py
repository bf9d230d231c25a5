"""The bank of the coach's history answers and accountability opening (``banks/history.yaml``), and what a
question asks about: a commitment, progress on a goal, the next meeting, or what is due."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict
from rapidfuzz import process
from rapidfuzz.distance import OSA

from kickcoach.contracts.models import Contract, Goal
from kickcoach.text.words import content_words

BANK = Path(__file__).with_name("banks") / "history.yaml"
Asks = Literal["my_commitments", "partner_commitments", "progress", "next_meeting", "due"]
ORDER = ("commitments", "due_strong", "next_meeting", "due", "progress")
"""What a question asks, checked in this order: a question naming a commitment is about it even when it
says "due" or "next meeting"; one saying due, overdue or deadline is answered with the due list (the next
meeting is in it); then the meeting; then the softer words for what is due ("coming up", "pending"); progress last."""


class HistoryBank(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: int
    asks: dict[str, list[str]]
    due_list: str
    advice_words: str
    partner_words: str
    self_words: str
    question_words: str
    goal_ordinals: dict[str, str]
    goal_generic: list[str]
    spelled: list[tuple[str, str]]
    typo_words: list[str]
    answers: dict[str, Any]
    opening: dict[str, str]


@cache
def bank() -> HistoryBank:
    return HistoryBank.model_validate(yaml.safe_load(BANK.read_text(encoding="utf-8")))


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def matches(pattern: str, text: str) -> bool:
    return bool(_compiled(pattern).search(text))


TYPO_EDITS = 1  # a word of TYPO_MIN_LETTERS or more this many edits (OSA) from a bank word is taken for it
TYPO_MIN_LETTERS = 5


@cache
def _spelled() -> list[tuple[re.Pattern[str], str]]:
    return [(re.compile(pattern, re.IGNORECASE), replacement) for pattern, replacement in bank().spelled]


def _corrected(match: re.Match[str]) -> str:
    word = match.group(0)
    lower = word.lower()
    if len(lower) < TYPO_MIN_LETTERS or lower in bank().typo_words:
        return word
    close = process.extractOne(lower, bank().typo_words, scorer=OSA.distance, score_cutoff=TYPO_EDITS)
    return str(close[0]) if close else word


@cache
def spelled_out(text: str) -> str:
    """``text`` with straight quotes, text-speak spelled out ("wat r my actions" -> "what are my actions") and
    near misses of the bank's key words corrected ("comit" -> "commit"), so one pattern serves every spelling."""
    out = text.replace("\u2019", "'").replace("\u2018", "'")
    for pattern, replacement in _spelled():
        out = pattern.sub(replacement, out)
    return re.sub(r"[A-Za-z]+", _corrected, out)


_INTERJECTION = re.compile(r"^\W*(?:(?:wait|ok|okay|so|hmm+|um+|oh|also|and|right|btw|sorry|quick q(?:uestion)?|"
                           r"actually|anyway|hey)\b[\s,.!:;-]*)+", re.IGNORECASE)


def is_question(text: str) -> bool:
    """Does it ask ("wait whens my next draft due", "ok. what did I say I'd do?")? An interjection before the
    question word does not hide it."""
    text = spelled_out(text.strip())
    return matches(bank().question_words, text) or matches(bank().question_words, _INTERJECTION.sub("", text))


def asks_due_list(text: str) -> bool:
    """Does the message ask for the list of what is due, and for no ideas ("any reminders for me?")?"""
    text = spelled_out(text)
    return matches(bank().due_list, text) and not matches(bank().advice_words, text)


def topic(text: str) -> str | None:
    """"commitments", "due", "next_meeting" or "progress": the first whose patterns match, or None."""
    text = spelled_out(text)
    for key in ORDER:
        if any(matches(p, text) for p in bank().asks[key]):
            return key.removesuffix("_strong")
    return None


def about_partner(text: str, partner_name: str) -> bool:
    """Is the question about the partner ("what did Tom commit to", "how is my mentor doing")?

    A partner named with "I" or "me" in the question is an object ("what did I promise Tom?"), unless the
    partner is the subject ("did Tom do what he said").
    """
    text = spelled_out(text)
    # "toms list", "priyas tasks": a possessive typed without its apostrophe still names the partner
    named = bool(partner_name) and re.search(rf"\b{re.escape(partner_name)}(?:'?s)?\b", text, re.IGNORECASE)
    mentioned = named or matches(bank().partner_words, text)
    if not mentioned:
        return False
    nouns = r"(?:he|she|they|my\s+(?:partner|mentor|mentee|peer|buddy|pair|colleague|counterpart|teammate))"
    subject = rf"(?:{re.escape(partner_name)}|{nouns})" if partner_name else nouns
    if re.search(rf"\b(?:did|does|has|is|was|will|can|should)\s+{subject}\b|\b{subject}(?:'s|s\b|\s+said|\s+commit|\s+promis|"
                 rf"\s+agreed|\s+planned|\s+signed|\s+owes|\s+has|\s+is|'d|\s+had|\s+got|\s+managed|\s+kept)\b", text, re.IGNORECASE):
        return True
    return not matches(bank().self_words, text)


def goal_asked(contract: Contract | None, partner: str, text: str) -> Goal | None:
    """The partner's goal the question names: by number ("goal 2", "my second goal") or by its words."""
    if contract is None:
        return None
    goals = contract.partner(partner).goals
    for goal_id, pattern in bank().goal_ordinals.items():
        if matches(pattern, text):
            return next((g for g in goals if g.id == goal_id), None)
    generic = content_words(" ".join(bank().goal_generic))
    names = content_words(" ".join(p.name for p in contract.partners))
    words = content_words(text) - generic - names
    best: tuple[int, Goal | None] = (0, None)
    for goal in goals:
        told = content_words(" ".join([goal.what, goal.target, goal.unit or "", *goal.indicators, *goal.how]))
        shared = len(words & told)
        if shared > best[0]:
            best = (shared, goal)
    return best[1]
