"""Who a request speaks as, resolved once at the edge (the UI's login, the CLI's ``--as``, the API) and passed down.

A ``TurnContext`` is frozen: the person, their pair and partner slot, their own view of the pair's data (shared
rows plus their private ones: the one choke point for isolation) and the clock. Flows take it as given and never
work out again who is speaking.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kickcoach.core.person import PartnerId, Person, local_owner

if TYPE_CHECKING:
    from kickcoach.storage import PairRepo, Storage


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class TurnContext:
    person: Person
    pair_id: str
    slot: PartnerId
    repo: PairRepo  # this person's view of their pair
    clock: Callable[[], dt.datetime] = field(default=_now, compare=False)

    @classmethod
    def of(cls, storage: Storage, person: Person, pair_id: str | None = None,
           clock: Callable[[], dt.datetime] = _now) -> TurnContext:
        """``person`` speaking in their own pair (``pair_id``, when given, must be theirs: else "not found")."""
        repo = storage.for_person(person, pair_id)
        return cls(person=person, pair_id=repo.pair_id, slot=person.partner or "a", repo=repo, clock=clock)

    @classmethod
    def local(cls, storage: Storage, pair_id: str, slot: PartnerId = "a",
              clock: Callable[[], dt.datetime] = _now) -> TurnContext:
        """The local owner of the data folder speaking as partner ``slot`` of ``pair_id`` (CLI, evals)."""
        return cls.of(storage, local_owner(pair_id, slot), pair_id, clock)
