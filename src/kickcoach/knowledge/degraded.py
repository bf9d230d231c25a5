"""Retrieval that survives an unreachable index: the coach answers from the pair's contract and says so.

When the Chroma index cannot be opened or queried (a Chroma server that is down, refuses, or times out),
:class:`~kickcoach.knowledge.retriever.Retriever` ranks the pair's own contract clauses, read from the database, by the query's
content words (the same stemmed words the re-ranking uses), and returns :data:`DEGRADED_NOTE` for the reply.
Isolation errors are never swallowed: they are bugs, not outages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kickcoach.core.errors import BackendUnavailable
from kickcoach.knowledge.retrieve import Source
from kickcoach.text.words import topic_words as content_words

if TYPE_CHECKING:
    from kickcoach.contracts.models import Contract

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
