"""Retrieve: guidance passages and the pair's clauses for this request, seen from the speaker's side.

The query is the message (plus the previous user turn for a short follow-up), steered to the partner it is
about ("my goals" vs "Tom's goals"); the other partner's clauses are dropped. The index unreachable: the
contract's own clauses and a note (``Retriever.search``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kickcoach.guard.requests import content_words
from kickcoach.people import perspective

if TYPE_CHECKING:
    from kickcoach.contracts.models import Contract
    from kickcoach.knowledge.retrieve import Source
    from kickcoach.knowledge.retriever import Retriever
    from kickcoach.people.context import TurnContext

SHORT_TURN_WORDS = 3  # a turn with fewer content words is searched together with the turn before it


def retrieval_query(history: list[dict[str, Any]], message: str) -> str:
    """What to search for: the message, plus the previous user turn when the message is a short follow-up
    ("what would you do in my position?" is about whatever they said before)."""
    if len(content_words(message)) >= SHORT_TURN_WORDS:
        return message
    previous = next((str(t["content"]) for t in reversed(history) if t["role"] == "user"), "")
    return f"{previous} {message}".strip()


def find_sources(retriever: Retriever, ctx: TurnContext, history: list[dict[str, Any]], message: str,
                 contract: Contract | None, k: int) -> tuple[list[Source], str | None]:
    """The passages for this turn and, when the index was unreachable, the note the reply ends with."""
    query = perspective.steer_query(retrieval_query(history, message), ctx.person, contract)
    sources, note = retriever.search(ctx.pair_id, query, contract, k=k)
    return perspective.for_speaker(sources, message, ctx.person, contract), note
