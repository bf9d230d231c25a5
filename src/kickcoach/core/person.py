"""Who is speaking: one person, decided on the server (a login, or the local owner of the data folder).

A ``Person`` is a plain value, imported by storage, flows and the UI alike; it knows nothing of databases.
Flows use ``speaker.pair_id``, ``speaker.partner`` (``"a"`` | ``"b"``), ``speaker.person_id`` and
``speaker.name``; a facilitator has no pair and no partner. ``email`` (lower case) is the account's address,
the one key to the person's programme enrolments; the local owner and accounts without one have none.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Role = Literal["participant", "facilitator"]
PartnerId = Literal["a", "b"]
ROLES: tuple[Role, ...] = ("participant", "facilitator")
PARTNERS: tuple[PartnerId, ...] = ("a", "b")
LOCAL_PREFIX = "local:"


@dataclass(frozen=True)
class Person:
    person_id: str
    name: str
    role: Role = "participant"
    pair_id: str | None = None
    partner: PartnerId | None = None
    email: str | None = None
    display_name: str | None = None

    @property
    def is_facilitator(self) -> bool:
        return self.role == "facilitator"

    @property
    def is_local(self) -> bool:
        """The local owner of the data folder (CLI, or the UI without accounts), not a login."""
        return self.person_id.startswith(LOCAL_PREFIX)

    @property
    def other_partner(self) -> PartnerId | None:
        """The partner id of the person's partner in the pair (``None`` for a facilitator)."""
        if self.partner is None:
            return None
        return "b" if self.partner == "a" else "a"

    def label(self) -> str:
        if self.is_facilitator:
            return f"{self.name} (facilitator)"
        if self.pair_id is None:
            return f"{self.name} (participant, no pair yet)"
        return f"{self.name} (pair {self.pair_id}, partner {(self.partner or '?').upper()})"


def local_owner(pair_id: str, partner: PartnerId = "a", name: str | None = None) -> Person:
    """The person the local owner of the data folder speaks as: ``partner`` of ``pair_id`` (``a`` by default).

    Its id, ``local:<pair>:<partner>``, is not an account: no one can log in as it.
    """
    return Person(
        person_id=f"{LOCAL_PREFIX}{pair_id}:{partner}",
        name=name or f"partner {partner.upper()}",
        role="participant",
        pair_id=pair_id,
        partner=partner,
    )
