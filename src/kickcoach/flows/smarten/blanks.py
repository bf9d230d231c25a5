"""Drafts with marked blanks: the person's goal in their own words, a deadline, and ``[blanks]`` for the numbers
only they can give ("Improve my sales numbers from [now] to [target] by 1 March 2027"). The questions ask for
those blanks and nothing else. Frames, shapes and questions live in ``blanks.yaml``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml
from lemminflect import getAllLemmas

BLANK = re.compile(r"\[[^\[\]]+\]")


@dataclass(frozen=True)
class Blank:
    key: str
    text: str
    question: str
    sample: str


@dataclass(frozen=True)
class Frame:
    name: str
    pattern: re.Pattern[str]
    draft: str
    blanks: tuple[str, ...]
    unit: str | None


@dataclass(frozen=True)
class BlankDraft:
    """A goal sentence with marked blanks, what they are, and the question for each."""

    goal: str
    frame: str
    blanks: tuple[Blank, ...]
    questions: tuple[str, ...]
    unit: str | None


@cache
def _bank() -> dict[str, Any]:
    text = resources.files("kickcoach.flows.smarten").joinpath("blanks.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


@cache
def _preamble() -> re.Pattern[str]:
    return re.compile(re.sub(r"\s*\n\s*", "", _bank()["preamble"]), re.IGNORECASE)


@cache
def blanks() -> dict[str, Blank]:
    return {key: Blank(key=key, **value) for key, value in _bank()["blanks"].items()}


@cache
def frames() -> tuple[Frame, ...]:
    return tuple(
        Frame(
            name=f["name"],
            pattern=re.compile(f["pattern"], re.IGNORECASE),
            draft=f["draft"],
            blanks=tuple(f["blanks"]),
            unit=f.get("unit"),
        )
        for f in _bank()["frames"]
    )


def _is_verb(word: str) -> bool:
    return bool(getAllLemmas(word.lower(), upos="VERB"))


def own_goal(sentence: str) -> str:
    """The person's goal as a sentence that starts with their verb: wanting words taken off, "I'm bad at X" →
    "get better at X", a bare noun phrase given a verb ("more confidence" → "have more confidence")."""
    text = " ".join(sentence.replace("’", "'").split()).strip(" .!?;,")
    text = _preamble().sub("", text).strip(" ,")
    lowered = text[:1].lower() + text[1:] if not re.match(r"I\b", text) else text
    for shape in _bank()["shapes"]:
        match = re.match(shape["pattern"], lowered, re.IGNORECASE)
        if match:
            lowered = shape["goal"].format(**match.groupdict())
            break
    first = re.match(r"[A-Za-z'-]+", lowered)
    if first and not _is_verb(first.group(0)):
        lowered = f"work on {lowered}"
    return lowered


def blank_draft(sentence: str, deadline: dt.date) -> BlankDraft:
    """The draft for ``sentence`` (already free of date phrases) with marked blanks, due ``deadline``."""
    goal = own_goal(sentence)
    by = f"{deadline.day} {deadline:%B %Y}"
    frame = next(f for f in frames() if f.pattern.search(goal))
    draft = frame.draft
    if re.search(r"\bby\b", goal):  # "leave work by 6pm": a second "by <date>" would read as a correction
        draft = draft.replace("by {by}", "until {by}")
    text = draft.format(goal=goal, by=by)
    text = text[:1].upper() + text[1:] + "."
    chosen = tuple(blanks()[key] for key in frame.blanks)
    questions = tuple(b.question.format(by=by) for b in chosen)
    return BlankDraft(goal=text, frame=frame.name, blanks=chosen, questions=questions, unit=frame.unit)


def filled(text: str) -> str:
    """``text`` with every known blank replaced by its sample value (to check that a finished draft is SMART)."""
    samples = {b.text: b.sample for b in blanks().values()}
    return BLANK.sub(lambda m: samples.get(m.group(0), m.group(0)), text)


def has_blanks(text: str) -> bool:
    return bool(BLANK.search(text))
