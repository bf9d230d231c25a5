"""The app's parts, built once from settings and shared by the UI, the CLI and the evals.

Everything heavy (the model, embeddings, the index) is built lazily on first use.
"""

from __future__ import annotations

import logging
import threading
from functools import cached_property
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

from kickcoach.core.config import Settings, get_settings
from kickcoach.core.person import Person, local_owner
from kickcoach.storage import PairRepo, Storage

if TYPE_CHECKING:
    from langchain_chroma import Chroma
    from langchain_core.embeddings import Embeddings
    from langchain_core.language_models import BaseChatModel

    from kickcoach.contracts.models import Contract
    from kickcoach.flows.coach.classifier import TurnClassifier
    from kickcoach.knowledge.retriever import Retriever
    from kickcoach.safety.head import SafetyHead
    from kickcoach.safety.reply import HelpContacts, SafetyNotice

log = logging.getLogger(__name__)


class Services:
    speaker: Person | None = None
    """Who the pair data is read and written as; None: the local owner of the data folder (partner a)."""

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        model: BaseChatModel | None = None,
        embeddings: Embeddings | None = None,
    ) -> None:
        self.settings = settings or get_settings()
        self._model = model
        self._embeddings = embeddings
        self._lock = threading.Lock()
        self._guidance_synced = False

    @cached_property
    def storage(self) -> Storage:
        self.settings.ensure_home()
        return Storage(self.settings.db_url)

    @property
    def model(self) -> BaseChatModel:
        with self._lock:
            if self._model is None:
                from kickcoach.llm import build_chat_model

                self._model = build_chat_model(self.settings)
            return self._model

    @property
    def embeddings(self) -> Embeddings:
        with self._lock:
            if self._embeddings is None:
                from kickcoach.knowledge.embeddings import build_embeddings

                self._embeddings = build_embeddings(self.settings.embeddings, self.settings.cache_dir)
            return self._embeddings

    @cached_property
    def store(self) -> Chroma:
        from kickcoach.knowledge.store import open_store

        return open_store(self.settings, self.embeddings)

    def index(self, *, progress: bool = False) -> dict[str, int]:
        """Bring the guidance index up to date (cheap when nothing changed: hashes are compared). The encoders
        are warmed by ``bootstrap.warm`` first, where the app starts."""
        from kickcoach.knowledge.ingest import sync_guidance

        counts = sync_guidance(self.store, progress=progress)
        self._guidance_synced = True
        return counts

    @cached_property
    def safety_contacts(self) -> HelpContacts:
        from kickcoach.safety.reply import load_contacts

        return load_contacts(self.settings.help_contacts)

    @cached_property
    def safety_head(self) -> SafetyHead | None:
        """The learned half of the safety check (ONNX MiniLM, cached in the home); None with hashing embeddings
        (unit tests): the rules alone then decide."""
        if self.settings.embeddings != "minilm":
            return None
        from kickcoach.knowledge.sentence_encoder import load_encoder
        from kickcoach.safety.head import SafetyHead

        return SafetyHead(load_encoder(self.settings.cache_dir))

    def hear(self, text: str | None, *, private: bool = True, again: bool = False) -> SafetyNotice | None:
        """Safety before coaching: the help notice when ``text`` says someone is at risk, else None.
        ``private=False`` where the text is shared with the partner (the weekly review); ``again`` when a help
        reply was already given in this conversation (the same help, in other words)."""
        from kickcoach.safety import check, notice_for

        return notice_for(check(text, self.safety_head), self.safety_contacts, private=private, again=again)

    @cached_property
    def turn_classifier(self) -> TurnClassifier:
        """The coach's turn classifier over this app's embeddings (example vectors cached in the home)."""
        from kickcoach.flows.coach.classifier import TurnClassifier

        return TurnClassifier(self.embeddings, self.settings.cache_dir)

    @cached_property
    def retriever(self) -> Retriever:
        """The one retriever: the index, the pairs not indexed yet, contract indexing and the outage fallback."""
        from kickcoach.knowledge.retriever import Retriever

        return Retriever(lambda: self.store, self.ready_store)

    def index_contract(self, contract: Contract) -> None:
        """Index ``contract``'s clauses for chat (see ``Retriever.index_contract``)."""
        self.retriever.index_contract(contract)

    def ready_store(self) -> Chroma:
        if not self._guidance_synced:
            self.index()
        return self.store

    def pair(self, pair_id: str) -> PairRepo:
        """``pair_id``'s data as the speaker sees it: shared rows plus the speaker's private ones."""
        return self.storage.for_person(self.speaker or local_owner(pair_id), pair_id)

    def as_speaker(self, person: Person) -> Services:
        """These services as ``person``: the UI gives every request's flows this view."""
        return SpeakerServices(self, person)


# ``Services`` seen by one speaker: the same model, index and database, but every ``pair()`` is theirs.
# Flows call ``services.pair(pair_id)``; through a ``SpeakerServices`` that returns the speaker's own view
# (their pair's shared data plus their own private rows), and another pair is "not found". The chat takes a
# ``TurnContext`` instead (``people.context``); the other flows still take this view.



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
