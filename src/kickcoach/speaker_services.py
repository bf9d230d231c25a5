"""``Services`` seen by one speaker: the same model, index and database, but every ``pair()`` is theirs.

Flows call ``services.pair(pair_id)``; through a ``SpeakerServices`` that returns the speaker's own view
(their pair's shared data plus their own private rows), and another pair is "not found". The UI hands each
request's flows ``services.as_speaker(person)``, so no flow needs to know how identity is decided.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

from kickcoach.person import Person
from kickcoach.services import Services
from kickcoach.storage import PairRepo

if TYPE_CHECKING:
    from langchain_chroma import Chroma
    from langchain_core.embeddings import Embeddings
    from langchain_core.language_models import BaseChatModel

    from kickcoach.flows.coach.classifier import TurnClassifier
    from kickcoach.knowledge.retriever import Retriever
    from kickcoach.safety.head import SafetyHead
    from kickcoach.safety.reply import HelpContacts
    from kickcoach.storage import Storage

T = TypeVar("T")


class _Shared(Generic[T]):
    """An attribute that is the base services' own: one database, model, index and classifier for every speaker.

    (``Services`` builds these lazily as properties, so ``__getattr__`` alone would build a second copy here.)
    """

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, obj: None, owner: type | None = None) -> _Shared[T]: ...
    @overload
    def __get__(self, obj: SpeakerServices, owner: type | None = None) -> T: ...
    def __get__(self, obj: SpeakerServices | None, owner: type | None = None) -> T | _Shared[T]:
        return self if obj is None else getattr(obj.base, self.name)


class SpeakerServices(Services):
    storage: _Shared[Storage] = _Shared()
    store: _Shared[Chroma] = _Shared()
    model: _Shared[BaseChatModel] = _Shared()
    embeddings: _Shared[Embeddings] = _Shared()
    turn_classifier: _Shared[TurnClassifier] = _Shared()
    safety_head: _Shared[SafetyHead | None] = _Shared()
    safety_contacts: _Shared[HelpContacts] = _Shared()
    retriever: _Shared[Retriever] = _Shared()

    def __init__(self, base: Services, speaker: Person) -> None:
        self.base = base
        self.settings = base.settings
        self.speaker = speaker
        self._person = speaker

    def __getattr__(self, name: str) -> Any:  # anything else (lazy models, locks) lives on the base
        if name in ("base", "_person"):
            raise AttributeError(name)
        return getattr(self.base, name)

    def index(self, *, progress: bool = False) -> dict[str, int]:
        return self.base.index(progress=progress)

    def ready_store(self) -> Chroma:
        return self.base.ready_store()

    def pair(self, pair_id: str) -> PairRepo:
        return self.base.storage.for_person(self._person, pair_id)

    def as_speaker(self, person: Person) -> Services:
        return self.base.as_speaker(person)
