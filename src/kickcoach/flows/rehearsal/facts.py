"""The facts of the person's ask, read from their own lines: what they want, the project, the people, the dates,
the numbers and what they offer in return. The boss's concerns name these ("If you lead the migration, who takes
your support tickets in release week?"); nothing here is invented, every slot is a phrase the person wrote.
Patterns and stop lists live in ``facts.yaml``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, Field

from kickcoach.flows.rehearsal.checks import sentences
from kickcoach.flows.rehearsal.library import NOT_NAMES
from kickcoach.flows.rehearsal.state import ASK

FACTS_FILE = Path(__file__).parent / "facts.yaml"
MAX_SLOT_WORDS = 6  # a quoted fact is a short phrase, not the person's whole sentence
# A person's name as people write them: "Sam", "Jo-Anne", "O'Neill" (sentence starters are not names).
NAME = rf"(?-i:(?!(?:{NOT_NAMES})\b)[A-Z](?:'[A-Z])?[a-z]+(?:-[A-Z][a-z]+)?)"


class AskFacts(BaseModel):
    """What the person's own lines say about the ask; every value is their wording (second person where needed)."""

    project: str = ""  # "the data migration"
    duty: str = ""  # what they hand over: "your support tickets"
    person: str = ""  # who takes it: "Sam"
    people: list[str] = Field(default_factory=list)
    date: str = ""  # as an adverbial: "in release week", "on Thursday", "for two weeks"
    number: str = ""  # "12%", "£3,000"
    offer: str = ""  # "hand your support tickets to Sam for two weeks"
    want: str = ""  # the ask itself as a phrase, when nothing else names it: "a raise", "being promoted to senior"

    def slots(self) -> dict[str, str]:
        return {
            "project": self.project,
            "duty": self.duty,
            "person": self.person,
            "when": self.date,
            "figure": self.number,
            "offer": self.offer,
        }

    def words(self) -> set[str]:
        """The content words of the facts, lower case (to tell whether a boss line names them)."""
        text = " ".join([self.project, self.duty, self.person, *self.people, self.date, self.number, self.offer, self.want])
        return {w for w in re.findall(r"[a-z0-9£$€%']+", text.lower()) if w not in _data()["stop"]}


@cache
def _data() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(FACTS_FILE.read_text(encoding="utf-8"))
    data["stop"] = frozenset(data["stop"].split())
    return data


@cache
def _pattern(key: str) -> re.Pattern[str]:
    return re.compile(re.sub(r"\s*\n\s*", "", _data()["patterns"][key]).replace("{name}", NAME), re.IGNORECASE)


def _second_person(phrase: str) -> str:
    swap = {"my": "your", "i": "you", "me": "you", "mine": "yours", "our": "the", "myself": "yourself"}
    return " ".join(swap.get(w.lower(), w) for w in phrase.split())


def _trim(phrase: str) -> str:
    """Up to ``MAX_SLOT_WORDS`` words, never ending on a function word ("the data migration for" → "the data migration")."""
    words = phrase.strip(" ,.;:!?—–-").split()[:MAX_SLOT_WORDS]
    stop = _data()["trailing"]
    while words and words[-1].lower() in stop:
        words.pop()
    return " ".join(words)


def _first(key: str, texts: Iterable[str], *, trim: bool = True) -> str:
    for text in texts:
        for match in _pattern(key).finditer(text.replace("’", "'")):
            found = next((v for v in match.groupdict().values() if v), "")
            if found and _trim(found):
                return _trim(found) if trim else found.strip()
    return ""


_WEEKDAY = re.compile(r"^(?:monday|tuesday|wednesday|thursday|friday)(?:'s)?$", re.IGNORECASE)


def _when(phrase: str) -> str:
    """The date as an adverbial that reads on its own: "Thursday" → "on Thursday", "release week" → "in release week"."""
    if not phrase or re.match(r"^(?:by|until|before|in|on|from|for|next|this)\b", phrase, re.IGNORECASE):
        return phrase
    if _WEEKDAY.match(phrase):
        return f"on {phrase}"
    if re.search(r"\b(?:days|weeks|months)$", phrase, re.IGNORECASE):
        return f"for {phrase}"
    return f"in {phrase}"


def _project(texts: list[str]) -> str:
    found = _first("project", texts, trim=False) or _first("subject", texts, trim=False)
    inner = re.search(r"\bof (?P<x>(?:the|our|my|this) .+)$", found, re.IGNORECASE)  # "the next phase of the migration"
    return _second_person(_trim(inner.group("x") if inner else found))


def _ask_first(lines: list[str]) -> list[str]:
    """The sentences of ``lines``, the first one that makes the ask put first: in a long ask ("The queue has doubled.
    Nobody owns triage. I'd like to own the triage rota."), the ask's own sentence names what it is about."""
    split = [s for line in lines for s in sentences(line)]
    ask = next((s for s in split if ASK.search(s.replace("’", "'"))), None)
    return ([ask] if ask else []) + [s for s in split if s is not ask]


def read_facts(texts: Iterable[str]) -> AskFacts:
    """The facts in ``texts`` (the ask, the details, the person's lines; earliest first)."""
    lines = _ask_first([" ".join(t.split()) for t in texts if t and t.strip()])
    offer = _first("offer", lines)
    duty = _first("duty", lines)
    not_people = set(_data()["not_people"])
    places = {m.group(1) for t in lines for m in re.finditer(rf"\b(?:in|at)\s+({NAME})", t)}  # "in Berlin"
    not_people |= places
    people = [p for p in dict.fromkeys(m.group(0) for t in lines for m in re.finditer(NAME, t)) if p not in not_people]
    project = _project(lines)
    people = [p for p in people if p not in project.split()]  # "the Dublin team": a place, not a person
    person = next((p for p in [_first("person", lines)] if p and p not in not_people and p in people), people[0] if people else "")
    return AskFacts(
        project=project,
        duty=_second_person(duty) if _second_person(duty) != project else "",
        person=person,
        people=people,
        date=_when(_first("date", lines)),
        number=_first("number", lines),
        offer=_second_person(offer),
    )


def names_facts(line: str, facts: AskFacts) -> bool:
    """Does the boss ``line`` name at least one of the person's facts?"""
    said = set(re.findall(r"[a-z0-9£$€%']+", line.lower()))
    return bool(said & facts.words())


def fact_lines(style: str, concern: str) -> list[str]:
    """The bank's fact-naming lines for ``concern``: the style's own first, then the shared ones."""
    data = _data()
    own = (data["lines"].get(style) or {}).get(concern, [])
    return [*own, *[line for line in data["shared"].get(concern, []) if line not in own]]
