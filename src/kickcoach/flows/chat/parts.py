"""The few parts a chat turn needs from the composition root (``Services`` provides them; tests pass fakes)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from kickcoach.core.config import Settings
    from kickcoach.core.person import Person
    from kickcoach.flows.coach.classifier import TurnClassifier
    from kickcoach.knowledge.retriever import Retriever
    from kickcoach.safety import SafetyNotice
    from kickcoach.storage import Storage


class ChatParts(Protocol):
    @property
    def settings(self) -> Settings: ...  # top_k, coach_rewords, backend, token_budget

    @property
    def model(self) -> BaseChatModel: ...  # built on first use (only when the coach rewords)

    @property
    def retriever(self) -> Retriever: ...

    @property
    def turn_classifier(self) -> TurnClassifier: ...

    def hear(self, text: str | None, *, private: bool = True, again: bool = False) -> SafetyNotice | None: ...

    # for callers that speak without a login (``CoachChat.ask``/``stream``: the CLI, evals)
    @property
    def storage(self) -> Storage: ...

    @property
    def speaker(self) -> Person | None: ...
