"""The coach's retrieval, owned in one place: the index (opened lazily), the pairs whose saved contract is not
indexed yet, contract indexing, and the outage fallback (the pair's own clauses, with a note).

Built once by the composition root (``Services.retriever``) and shared by every request: an unreachable index
only delays a contract's indexing (the next good query catches up) and degrades answers to the contract.
Isolation errors are never swallowed: they are bugs, not outages.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from kickcoach.knowledge.degraded import DEGRADED_NOTE, contract_ids, contract_sources, index_errors
from kickcoach.knowledge.ingest import sync_contract
from kickcoach.knowledge.retrieve import Source, retrieve

if TYPE_CHECKING:
    from langchain_chroma import Chroma

    from kickcoach.contracts.models import Contract

log = logging.getLogger(__name__)


class Retriever:
    def __init__(self, store: Callable[[], Chroma], ready_store: Callable[[], Chroma]) -> None:
        """``store`` opens the index; ``ready_store`` opens it with the guidance synced (before the first query)."""
        self._store = store
        self._ready_store = ready_store
        self.unindexed: set[str] = set()  # pairs whose saved contract this process could not index

    def index_contract(self, contract: Contract, *, strict: bool = False) -> None:
        """Index ``contract``'s clauses (replacing the pair's earlier ones). The contract is already saved: an
        unreachable index only delays this (the next good query catches up); ``strict`` raises instead."""
        try:
            sync_contract(self._store(), contract)
        except index_errors() as exc:
            if strict:
                raise
            self.unindexed.add(contract.pair_id)
            log.warning("contract %s saved, not indexed (the index is unreachable): %s", contract.pair_id, exc)
        else:
            self.unindexed.discard(contract.pair_id)

    def search(self, pair_id: str, query: str, contract: Contract | None, k: int) -> tuple[list[Source], str | None]:
        """Guidance and the pair's clauses for ``query``; the index unreachable: the contract's clauses and a note."""
        try:
            store = self._ready_store()
            if pair_id in self.unindexed and contract is not None:  # the index is back: catch up first
                sync_contract(store, contract)
                self.unindexed.discard(pair_id)
            return retrieve(store, pair_id, query, k=k, ids=contract_ids(contract)), None
        except index_errors() as exc:
            log.warning("retrieval degraded for pair %s: %s", pair_id, exc)
            return contract_sources(contract, query, k), DEGRADED_NOTE
