"""``Services`` seen by one speaker: the same model, index and database, but every ``pair()`` is theirs.

Flows call ``services.pair(pair_id)``; through a ``SpeakerServices`` that returns the speaker's own view
(their pair's shared data plus their own private rows), and another pair is "not found". The UI hands each
request's flows ``services.as_speaker(person)``, so no flow needs to know how identity is decided.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kickcoach.people.person import Person
from kickcoach.services import Services
from kickcoach.storage import PairRepo

if TYPE_CHECKING:
    from kickcoach.storage import Storage


class SpeakerServices(Services):
    def __init__(self, base: Services, speaker: Person) -> None:
        self.base = base
        self.settings = base.settings
        self.speaker = speaker
        self._person = speaker

    def __getattr__(self, name: str) -> Any:  # anything else (lazy models, locks) lives on the base
        if name in ("base", "_person"):
            raise AttributeError(name)
        return getattr(self.base, name)

    @property
    def storage(self) -> Storage:
        return self.base.storage

    @property
    def store(self) -> Any:
        return self.base.store

    @property
    def model(self) -> Any:
        return self.base.model

    @property
    def embeddings(self) -> Any:
        return self.base.embeddings

    def index(self, *, progress: bool = False) -> dict[str, int]:
        return self.base.index(progress=progress)

    def ready_store(self) -> Any:
        return self.base.ready_store()

    def pair(self, pair_id: str) -> PairRepo:
        return self.base.storage.for_person(self._person, pair_id)

    def as_speaker(self, person: Person) -> Services:
        return self.base.as_speaker(person)
