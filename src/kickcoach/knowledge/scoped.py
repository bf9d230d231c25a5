"""Exact nearest chunks within what one pair may see: the shared guidance and that pair's own contract.

A pair's scope is small (the guidance's ~140 sections plus its ~20 contract clauses), while the index holds every
pair's contract. Chroma's filtered vector query (``where={"pair_id": {"$in": [...]}}``) walks the HNSW graph
of the whole collection and slows down with the number of pairs (p95 ~110 ms at 2,400 pairs here). So the scope
is fetched by its indexed ``pair_id`` instead and ranked exactly (cosine, one matrix product):

- the guidance vectors are read once per store and process and kept (they change only with a release, when
  :func:`kickcoach.knowledge.ingest.sync` re-embeds them and calls :func:`forget_guidance`);
- the pair's contract clauses are read on every query (never cached: another process may have saved the
  contract): by their ids when the caller knows the contract (the chat flow does), a primary-key lookup that
  stays ~1-2 ms at 100,000 chunks, else by the ``pair_id`` filter (~20-30 ms at 100,000 chunks, growing).

The result has the shape of ``Chroma.similarity_search_with_score``: ``(Document, cosine distance)`` pairs,
nearest first, so the ranking equals an exact search of the same vectors.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from kickcoach.core.config import GUIDANCE

if TYPE_CHECKING:
    from langchain_chroma import Chroma
    from langchain_core.documents import Document


@dataclass(frozen=True)
class Scope:
    """The chunks of one ``pair_id`` scope with their unit-length vectors (one row each)."""

    ids: list[str]
    documents: list[str]
    metadatas: list[dict[str, Any]]
    vectors: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)


_GUIDANCE: weakref.WeakKeyDictionary[Any, Scope] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def fetch(store: Chroma, scope: str, ids: Sequence[str] | None = None) -> Scope:
    """The chunks indexed under ``scope`` (a pair id or ``GUIDANCE``), vectors normalised: those of ``ids``
    when given (a primary-key lookup), else all of them (a metadata filter: slower as the index grows)."""
    include: Any = ["embeddings", "documents", "metadatas"]
    if ids is not None:
        if not ids:
            return Scope([], [], [], np.zeros((0, 0), dtype=np.float32))
        got = store.get(ids=list(ids), include=include)
    else:
        got = store.get(where={"pair_id": scope}, include=include)
    ids = list(got.get("ids") or [])
    raw = got.get("embeddings")
    vectors: np.ndarray = np.zeros((0, 0), dtype=np.float32)
    if ids and raw is not None:
        vectors = np.asarray(raw, dtype=np.float32).reshape(len(ids), -1)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        vectors = (vectors / np.where(norms == 0, 1.0, norms)).astype(np.float32)
    documents = [str(d or "") for d in (got.get("documents") or [""] * len(ids))]
    metadatas = [dict(m or {}) for m in (got.get("metadatas") or [{}] * len(ids))]
    return Scope(ids, documents, metadatas, vectors)


def guidance(store: Chroma) -> Scope:
    """The guidance chunks of ``store``, read once per process (see :func:`forget_guidance`)."""
    with _LOCK:
        cached = _GUIDANCE.get(store)
    if cached is None:
        cached = fetch(store, GUIDANCE)
        with _LOCK:
            _GUIDANCE[store] = cached
    return cached


def forget_guidance(store: Chroma) -> None:
    """Drop the cached guidance of ``store`` (after its guidance chunks changed)."""
    with _LOCK:
        _GUIDANCE.pop(store, None)


def nearest(store: Chroma, pair_id: str, query: str, n: int,
            ids: Sequence[str] | None = None) -> list[tuple[Document, float]]:
    """The ``n`` chunks of the guidance and ``pair_id``'s contract nearest to ``query``: (Document, distance).
    ``ids``: the contract's chunk ids, when the caller knows them (see :func:`fetch`)."""
    from langchain_core.documents import Document

    vector = np.asarray(store.embeddings.embed_query(query), dtype=np.float32)  # type: ignore[union-attr]
    vector = vector / (float(np.linalg.norm(vector)) or 1.0)
    results: list[tuple[float, str, Scope, int]] = []
    for scope in (guidance(store), fetch(store, pair_id, ids)):
        if len(scope) and scope.vectors.shape[1] == vector.shape[0]:
            sims = scope.vectors @ vector
            results.extend((float(sims[i]), scope.ids[i], scope, i) for i in range(len(scope)))
    results.sort(key=lambda r: (-r[0], r[1]))  # nearest first; ties by id, so the order is repeatable
    return [(Document(id=cid, page_content=scope.documents[i], metadata=scope.metadatas[i]), 1.0 - sim)
            for sim, cid, scope, i in results[:n]]
