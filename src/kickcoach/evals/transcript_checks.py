"""Mechanical checks on transcripts, the part of the reader's definitions (``evals/judging.md``) a program can
count: echo (8+ consecutive words of the person's message, pronouns turned to face them), a sentence reused
within a conversation, and a sentence opening with the same three words as one in an earlier reply. They are
proxies run on every eval; the reader still judges accuracy, invention and fit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pydantic import BaseModel

from kickcoach.flows.coach.voice import common_run

ECHO_RUN = 8  # the reader's definition of echo: 8 or more of the person's words in a row
_FACE = {"i": "you", "me": "you", "my": "your", "mine": "yours", "myself": "yourself", "i'm": "you're",
         "im": "you're", "i've": "you've", "i'd": "you'd", "i'll": "you'll", "ill": "you'll", "am": "are",
         "we": "you", "us": "you", "our": "your", "ours": "yours", "we're": "you're", "we've": "you've"}
_WORD = re.compile(r"[a-z0-9']+")
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")


def faced(text: str) -> list[str]:
    """The words of a text, lower-case, first person turned to second (so "my deck" matches "your deck")."""
    return [_FACE.get(w, w) for w in _WORD.findall(text.lower().replace("’", "'"))]


def echo_run(person: str, coach: str) -> int:
    """The longest run of consecutive words the reply shares with the person's message, once faced."""
    return common_run(faced(coach), faced(person))


def sentences(reply: str) -> list[str]:
    """The reply's own sentences: bullet lines (ideas, contract quotes) and quotations are left out."""
    lines = [ln for ln in reply.splitlines() if ln.strip() and not ln.lstrip().startswith(("-", "*", "•"))]
    return [s.strip() for s in _SENTENCE.split(" ".join(lines)) if len(_WORD.findall(s.lower())) >= 3
            and "“" not in s]


class ReplyCheck(BaseModel):
    echo: int  # longest faced run of their words
    repeated_sentence: bool  # a sentence said in an earlier reply of this conversation
    repeated_opening: bool  # a sentence opening with three words an earlier reply's sentence opened with


class Checks(BaseModel):
    replies: int
    echo: int
    repeated_sentence: int
    repeated_opening: int

    def lines(self) -> list[str]:
        def pct(n: int) -> str:
            return f"{n}/{self.replies} = {100 * n / max(self.replies, 1):.1f}%"

        return [f"echo (≥{ECHO_RUN} of their words in a row): {pct(self.echo)}",
                f"sentence reused within a conversation: {pct(self.repeated_sentence)}",
                f"sentence opening reused (same first three words): {pct(self.repeated_opening)}"]


def check_conversation(exchanges: Sequence[Mapping[str, Any]]) -> list[ReplyCheck]:
    said: set[str] = set()
    openings: set[str] = set()
    out = []
    for ex in exchanges:
        mine = sentences(str(ex["coach"]))
        heads = {" ".join(faced(s)[:3]) for s in mine}
        out.append(ReplyCheck(echo=echo_run(str(ex["person"]), str(ex["coach"])),
                              repeated_sentence=any(s in said for s in mine),
                              repeated_opening=bool(heads & openings)))
        said.update(mine)
        openings.update(heads)
    return out


def check(transcripts: Iterable[Mapping[str, Any]]) -> Checks:
    """Counts over every reply of every transcript (``{"exchanges": [{"person", "coach"}]}``)."""
    results = [c for t in transcripts for c in check_conversation(t["exchanges"])]
    return Checks(replies=len(results), echo=sum(c.echo >= ECHO_RUN for c in results),
                  repeated_sentence=sum(c.repeated_sentence for c in results),
                  repeated_opening=sum(c.repeated_opening for c in results))
