"""The one place that queries the index. ``pair_id`` is mandatory: a pair sees the shared guidance
and its own contract, never another pair's (filtered in the query and checked again on the results).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from pydantic import BaseModel

from kickcoach.core.config import GUIDANCE
from kickcoach.core.errors import IsolationError
from kickcoach.core.ids import require_pair
from kickcoach.knowledge.scoped import nearest
from kickcoach.text.words import topic_words as content_words

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


HEADING_BOOST = 0.3  # added per share of the query's content words found in a chunk's heading


def retrieve(store: Chroma, pair_id: str, query: str, k: int = 4, *, ids: Sequence[str] | None = None) -> list[Source]:
    """Top-``k`` chunks for ``query`` from the guidance and ``pair_id``'s own contract, best first.

    An exact vector search within the pair's scope (:mod:`kickcoach.knowledge.scoped`) fetches ``3k``
    candidates; they are re-ranked with a small boost for query words in the chunk's heading. MiniLM barely
    separates "Tom's goals" from "Priya's goals", but the headings ("Contract › Tom › Goal 1 › …", guidance
    headings phrased as questions) do. ``ids``: the pair's contract chunk ids when the caller has the contract
    (looked up by id, fast at any number of pairs); without them the pair's chunks are found by ``pair_id``.
    """
    pair_id = require_pair(pair_id)
    allowed = {GUIDANCE, pair_id}
    hits = nearest(store, pair_id, query, 3 * k, ids)  # exact, within the guidance and the pair's contract
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
    wanted = content_words(query)
    if wanted:
        boost = {s.id: HEADING_BOOST * len(wanted & content_words(s.heading)) / len(wanted) for s in sources}
        sources.sort(key=lambda s: s.score + boost[s.id], reverse=True)
    return sources[:k]
