"""A deterministic check that a line the app shows is whole and well-formed English: it starts with a capital,
ends on sentence punctuation, does not stop on a word that promises more ("…and.", "…possible;"), has no two
prepositions in a row ("go with for your review"), no doubled word and no unfilled slot. It cannot prove a
sentence is grammatical; it catches the ways composed and model-cut lines break, and every rule is testable.
"""

from __future__ import annotations

import re

# Words a clause or sentence may not end on ("… was boring and.", "… show me the.").
_DANGLING = re.compile(
    r"\b(?:and|or|but|nor|because|although|as|if|which|whose|the|a|an|my|your|our|their|his|its|than|so that"
    r"|of|into|onto)\s*(?:[.,;:!?]|$)",
    re.IGNORECASE,
)
# Prepositions a statement may not end on (a question may: "what is it for?").
_PREPOSITION_END = re.compile(r"\b(?:to|for|with|at|by|from|in|on|about)\s*[.!]\s*$", re.IGNORECASE)
_PREPOSITIONS = "with|for|to|at|of|by|from|into|about|on|in"
# "for at least", "of at most": the second word opens an adverb, not a phrase.
_TWO_PREPOSITIONS = re.compile(
    rf"\b(?:{_PREPOSITIONS})\s+(?:{_PREPOSITIONS})\b(?!\s+(?:least|most|all|first|last|once)\b)", re.IGNORECASE
)
_ALLOWED_PAIRS = frozenset({"up to", "in to", "on to", "from on", "out of", "to in", "for in", "on in", "for by"})
_DOUBLED = re.compile(r"\b(\w+)\s+\1\b", re.IGNORECASE)
_SLOT = re.compile(r"[{}]|\(\s*\)|\s[,.;:!?]")
_CUT = re.compile(r"(?:[;:,…]|\.\.\.|\s[-–—])\s*$")
_END = re.compile(r"[.!?][\"'”’)\]]*\s*$")


def line_problems(text: str) -> list[str]:
    """What makes ``text`` a cut-off or broken line; empty when none of the rules fires."""
    line = " ".join((text or "").split())
    if not line:
        return ["empty"]
    problems: list[str] = []
    first = line.lstrip("\"'“‘([")[:1]
    if first.isalpha() and not first.isupper():
        problems.append("does not start with a capital letter")
    if _CUT.search(line) or not _END.search(line):
        problems.append("cut off: it does not end on a full stop, question mark or exclamation mark")
    problems += [f"ends a clause on '{m.group(0).rstrip('.,;:!? ')}'" for m in _DANGLING.finditer(line)]
    if _PREPOSITION_END.search(line):
        problems.append("a statement ends on a preposition")
    pairs = [m.group(0).lower() for m in _TWO_PREPOSITIONS.finditer(line)]
    problems += [f"two prepositions in a row: '{p}'" for p in pairs if " ".join(p.split()) not in _ALLOWED_PAIRS]
    problems += [f"doubled word: '{m.group(0)}'" for m in _DOUBLED.finditer(line) if not m.group(1).isdigit()]
    if _SLOT.search(line):
        problems.append("an unfilled slot or a space before punctuation")
    return problems


def well_formed(text: str) -> bool:
    return not line_problems(text)
