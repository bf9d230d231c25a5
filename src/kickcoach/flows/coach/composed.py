"""What a composed reply is made of: sentences, each with its MITI code, and the template filler."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from kickcoach.flows.coach import bank_files as banks
from kickcoach.knowledge.retrieve import Source


@dataclass
class Sentence:
    code: str  # SR/CR simple/complex reflection, Q question, AF affirm, GI/GC information (guidance/contract),
    # SU suggestion, OF offer, OT other
    text: str
    template: str = ""
    bullet: bool = False  # shown as a list item (suggestions, facts under a lead-in)
    quoted: bool = False  # information quoted for the person: their contract, or guidance answering their question


@dataclass
class Composed:
    sentences: list[Sentence] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    ideas: list[str] = field(default_factory=list)
    idea_ranking: dict[str, Any] = field(default_factory=dict)  # how the ideas were chosen, for the turn's record

    @property
    def text(self) -> str:
        out, previous = "", None
        for s in self.sentences:
            if s.bullet:
                out += ("\n" if previous and previous.bullet else "\n\n" if out else "") + "- " + s.text
            else:
                out += ("\n\n" if previous and previous.bullet else " " if out else "") + s.text
            previous = s
        return out.strip()

    @property
    def codes(self) -> list[str]:
        return [s.code for s in self.sentences]


def render_template(template: str, values: dict[str, str]) -> str:
    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        value = values.get(name.lower(), "")
        return value[:1].upper() + value[1:] if name[:1].isupper() else value
    text = banks.SLOT.sub(fill, template)
    return text[:1].upper() + text[1:]
