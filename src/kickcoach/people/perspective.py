"""Whose contract a question is about, from the speaker's point of view ("my goals" vs "Tom's goals").

Deterministic: first-person words point at the speaker's own partner slot; "my partner", "their" or
the partner's first name point at the other one. Retrieval is then steered to that partner's clauses
and the other partner's clauses are dropped, so "What are my goals?" is answered from the speaker's goals.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from kickcoach.core.person import Person

if TYPE_CHECKING:
    from kickcoach.contracts.models import Contract
    from kickcoach.knowledge.retrieve import Source

_SELF = re.compile(r"\b(i|me|my|mine|myself|i'm|i've)\b", re.IGNORECASE)
_PARTNER = re.compile(r"\b(my partner|partner's|my mentor|my peer|their|they|them)\b", re.IGNORECASE)


def names(contract: Contract | None) -> dict[str, str]:
    if contract is None:
        return {}
    return {p.id: p.name.split()[0] for p in contract.partners}


def about_whom(message: str, speaker: Person, contract: Contract | None) -> str | None:
    """``"a"``/``"b"``: the partner the question is about; None when it is about neither in particular."""
    if speaker.partner is None:
        return None
    first = names(contract)
    other = speaker.other_partner
    other_name = first.get(other or "", "")
    own_name = first.get(speaker.partner, "")
    if other_name and re.search(rf"\b{re.escape(other_name)}\b", message, re.IGNORECASE):
        return other
    if own_name and re.search(rf"\b{re.escape(own_name)}\b", message, re.IGNORECASE):
        return speaker.partner
    if _PARTNER.search(message):
        return other
    return speaker.partner if _SELF.search(message) else None


def clause_partner(source: Source) -> str | None:
    """The partner a contract clause belongs to (ids are ``<pair>:<partner>:…``), else None."""
    if source.kind != "contract":
        return None
    parts = source.id.split(":")
    return parts[1] if len(parts) > 2 and parts[1] in ("a", "b") else None


def steer_query(message: str, speaker: Person, contract: Contract | None) -> str:
    """The retrieval query: the message plus the first name of the partner it is about."""
    whom = about_whom(message, speaker, contract)
    name = names(contract).get(whom or "")
    return f"{message} ({name})" if name else message


def for_speaker(sources: Sequence[Source], message: str, speaker: Person, contract: Contract | None) -> list[Source]:
    """The sources without the clauses of the partner the question is not about (when it is about one)."""
    whom = about_whom(message, speaker, contract)
    if whom is None:
        return list(sources)
    return [s for s in sources if clause_partner(s) in (None, whom)]
