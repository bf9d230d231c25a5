"""Retrieval that survives an unreachable index: the coach answers from the pair's contract and says so.

When the Chroma index cannot be opened or queried (a Chroma server that is down, refuses, or times out),
:func:`retrieve_or_degrade` ranks the pair's own contract clauses, read from the database, by the query's
content words (the same stemmed words the re-ranking uses), and returns :data:`DEGRADED_NOTE` for the reply.
Isolation errors are never swallowed: they are bugs, not outages.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from kickcoach.errors import BackendUnavailable
from kickcoach.guard.requests import content_words
from kickcoach.knowledge.retrieve import Source, retrieve

if TYPE_CHECKING:
    from kickcoach.contracts.models import Contract
    from kickcoach.services import Services

log = logging.getLogger(__name__)

DEGRADED_NOTE = ("Note: retrieval is degraded — our guidance index is unreachable right now, so this answer "
                 "draws only on your contract.")


def index_errors() -> tuple[type[BaseException], ...]:
    """What an unreachable index raises: ours, chromadb's, and the transport's (connection refused, timeout)."""
    errors: list[type[BaseException]] = [BackendUnavailable, ConnectionError, TimeoutError]
    try:
        import httpx

        errors.append(httpx.TransportError)
    except ImportError:  # pragma: no cover - installed with chromadb
        pass
    try:
        from chromadb.errors import ChromaError

        errors.append(ChromaError)
    except ImportError:  # pragma: no cover - chromadb is a dependency
        pass
    return tuple(errors)


def contract_sources(contract: Contract | None, query: str, k: int) -> list[Source]:
    """Up to ``k`` of the contract's clauses sharing content words with ``query``, most shared first; a word
    shared with a clause's heading ("Contract › Tom › Goal 1 › Indicators") counts twice, as in the re-ranking."""
    if contract is None:
        return []
    from kickcoach.contracts.clauses import contract_clauses

    wanted = content_words(query)
    scored = []
    for order, clause in enumerate(contract_clauses(contract)):
        shared = len(wanted & content_words(clause.text)) + len(wanted & content_words(clause.path))
        if shared:
            scored.append((shared, -order, clause))
    scored.sort(key=lambda s: (s[0], s[1]), reverse=True)
    return [Source(id=c.id, kind="contract", source="contract", heading=c.path, text=c.text,
                   score=round(shared / (2 * max(1, len(wanted))), 4)) for shared, _, c in scored[:k]]


def contract_ids(contract: Contract | None) -> list[str]:
    """The index ids of ``contract``'s clauses (none without a contract)."""
    if contract is None:
        return []
    from kickcoach.contracts.clauses import contract_clauses

    return [c.id for c in contract_clauses(contract)]


_UNINDEXED: set[str] = set()  # pairs whose saved contract this process could not index


def mark_unindexed(pair_id: str) -> None:
    """``pair_id``'s contract was saved while the index was unreachable: index it on the next good query."""
    _UNINDEXED.add(pair_id)


def retrieve_or_degrade(services: Services, pair_id: str, query: str, contract: Contract | None,
                        k: int) -> tuple[list[Source], str | None]:
    """``retrieve`` from the index, or, when the index is unreachable, the contract's clauses and a note."""
    try:
        store = services.ready_store()
        if pair_id in _UNINDEXED and contract is not None:  # the index is back: catch up first
            from kickcoach.knowledge.ingest import sync_contract

            sync_contract(store, contract)
            _UNINDEXED.discard(pair_id)
        return retrieve(store, pair_id, query, k=k, ids=contract_ids(contract)), None
    except index_errors() as exc:
        log.warning("retrieval degraded for pair %s: %s", pair_id, exc)
        return contract_sources(contract, query, k), DEGRADED_NOTE
