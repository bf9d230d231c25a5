"""A question turned into the clause a reflection can carry: "How often should we meet?" → "how often you should
meet", "Is it normal to feel nervous?" → "whether it is normal to feel nervous"."""

from __future__ import annotations

import re

from kickcoach.flows.coach.voice import clean_clause, lower_first, to_second_person
from kickcoach.guard import split_sentences
from kickcoach.text.morphology import past, third_person

_AUX = r"(?:should|shall|can|could|would|will|do|does|did|is|are|am|was|were|have|has|might|must)"
_SUBJECT = r"(?:[Ii]|[Ww]e|[Yy]ou|[Hh]e|[Ss]he|[Tt]hey|[Ii]t|[Tt]hat|[Tt]his|(?:[Mm]y|[Oo]ur) (?:partner|manager|boss|mentor|team)|[A-Z][a-z]+)"
# The subject must be a pronoun or a name: with a longer noun phrase ("should peer mentors meet") the
# place of the verb is unknown without a parser, and the caller falls back to the topic.
_WH_QUESTION = re.compile(
    rf"^(?P<wh>(?i:what|how|when|where|why|who|which)(?:\s+(?i:often|long|much|many|\w+ly))?)\s+"
    rf"(?P<aux>(?i:{_AUX}))\s+(?P<subj>{_SUBJECT})\b(?P<rest>.*)$"
)
_YES_NO = re.compile(rf"^(?P<aux>(?i:{_AUX}))\s+(?P<subj>{_SUBJECT})\b(?P<rest>.*)$")


def indirect_question(question: str) -> str:
    """ "How often should we meet?" → "how often you should meet"; "" when the shape is not recognised."""
    asked = [s for s in split_sentences(question) if s.strip().endswith("?")]
    if len(asked) != 1:
        return ""  # no question, or several: the caller reflects the topic instead
    text = clean_clause(asked[0]).rstrip("?").strip()
    match = _WH_QUESTION.match(text)
    if match:
        clause = f"{match['wh']} {match['subj']}{_moved(match['aux'], match['rest'])}"
    elif match := _YES_NO.match(text):
        clause = f"whether {match['subj']}{_moved(match['aux'], match['rest'])}"
    else:
        return ""
    return lower_first(to_second_person(clause))


def _moved(aux: str, rest: str) -> str:
    """The auxiliary put back after the subject; "do/does/did" fold into the verb ("does Tom want" → "Tom wants")."""
    aux = aux.lower()
    if aux not in ("do", "does", "did"):
        return f" {aux}{rest}"
    words = rest.split(" ")
    if aux != "do" and len(words) > 1 and words[1].isalpha():
        words[1] = third_person(words[1]) if aux == "does" else past(words[1])
    return " ".join(words)
