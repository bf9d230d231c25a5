"""The one place that queries the index. ``pair_id`` is mandatory: a pair sees the shared guidance
and its own contract, never another pair's (filtered in the query and checked again on the results).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel

from kickcoach.config import GUIDANCE
from kickcoach.errors import IsolationError

if TYPE_CHECKING:
    from langchain_chroma import Chroma


class Source(BaseModel):
    id: str
    kind: str
    source: str
    heading: str
    text: str
    score: float

    def citation(self) -> str:
        return self.heading if self.kind == "contract" else f"{self.source} › {self.heading.split(' › ')[-1]}"


def require_pair(pair_id: str | None) -> str:
    if not isinstance(pair_id, str) or not pair_id.strip() or pair_id == GUIDANCE:
        raise IsolationError(f"A pair id is required, got {pair_id!r}", "this is a bug: every data access needs a pair")
    return pair_id


def retrieve(store: Chroma, pair_id: str, query: str, k: int = 4) -> list[Source]:
    """Top-``k`` chunks for ``query`` from the guidance and ``pair_id``'s own contract, best first."""
    pair_id = require_pair(pair_id)
    allowed = {GUIDANCE, pair_id}
    hits = store.similarity_search_with_score(query, k=k, filter={"pair_id": {"$in": sorted(allowed)}})
    sources: list[Source] = []
    for doc, distance in hits:
        meta = doc.metadata or {}
        if meta.get("pair_id") not in allowed:  # defence in depth: never trust the filter alone
            raise IsolationError(f"Retrieval for pair {pair_id!r} returned another pair's chunk", "this is a bug: report it")
        text = doc.page_content.split("\n", 1)[-1]  # drop the heading line added for embedding
        sources.append(
            Source(id=str(doc.id), kind=meta.get("kind", ""), source=meta.get("source", ""),
                   heading=meta.get("heading", ""), text=text, score=round(1.0 - float(distance), 4))
        )
    return sources
