"""Complementarity by meaning: how well one person's offers meet another's needs, both ways.

Each unique item text is embedded once (in batches) with the project's embeddings (all-MiniLM-L6-v2 in
use; hashing vectors in unit tests). For every offer and need, the cosine similarity becomes a match
*strength* in 0..1. In a cohort's own space (space.py) it is relative to the cohort: how many standard
deviations this offer is above the cohort's typical offer *for this need*, full at ``FULL_MATCH_Z``
(a generic phrase close to everything no longer beats a specific one; hubness). Without a cohort space
(a small cohort) it is the raw cosine from ``STRENGTH_FLOOR`` up. How well A meets B is mostly the best
match of any of A's offers to any of B's needs, plus a share for how many of B's needs A covers. A pair's
score is the mean of both directions minus a penalty for a lopsided trade, so two people who each give
something beat one who only gives.

All pairs at once: one matrix product of offers against needs per block of people, reduced per person
with ``numpy.maximum.reduceat``; 2,000 people (about 6,000 items a side) take well under a second.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

from kickcoach.programme.inventory import Participant

STRENGTH_FLOOR = 0.15
"""Raw cosine similarity at or below which an offer does not meet a need at all (cohorts without a space)."""
FULL_MATCH_Z = 4.0
"""In a cohort space: standard deviations above the cohort's typical offer for a need at which an offer meets it fully
(at or below the typical offer it does not meet it at all)."""
COVERAGE_SHARE = 0.2
"""Share of "A meets B" that rewards covering more of B's needs (the rest is the single best match)."""
LOPSIDED_PENALTY = 0.25
"""Subtracted per unit of difference between the two directions (0.5 would make the score the weaker side)."""
WHY_ITEMS = 3
EMBED_BATCH = 256
BLOCK_PEOPLE = 256


def item_key(text: str) -> str:
    return " ".join(text.lower().split())


@dataclass(frozen=True)
class ItemVectors:
    """Unit vectors of item texts; ``need_matrix``, when set, holds the need side's own vectors (space.py)."""

    index: dict[str, int]
    matrix: np.ndarray  # (unique items, dim), unit rows: the offer side (and the need side if not separate)
    need_matrix: np.ndarray | None = None
    need_mean: np.ndarray | None = None  # per row: a need's mean cosine over the cohort's offers (space.py)
    need_std: np.ndarray | None = None  # … and its standard deviation

    def positions(self, texts: Sequence[str]) -> list[int]:
        return [self.index[item_key(t)] for t in texts]

    def rows(self, texts: Sequence[str]) -> np.ndarray:
        return self.matrix[self.positions(texts)]

    def need_rows(self, texts: Sequence[str]) -> np.ndarray:
        matrix = self.matrix if self.need_matrix is None else self.need_matrix
        return matrix[self.positions(texts)]

    def strengths(self, similarity: np.ndarray, need_positions: Sequence[int] | np.ndarray,
                  floor: float = STRENGTH_FLOOR) -> np.ndarray:
        """Cosines (offers × the needs at ``need_positions``) → match strengths in 0..1."""
        if self.need_mean is None or self.need_std is None:
            return strength(similarity, floor)
        z = (similarity - self.need_mean[need_positions]) / self.need_std[need_positions]
        return np.clip(z / FULL_MATCH_Z, 0.0, 1.0)


def embed_items(embeddings: Embeddings, people: Sequence[Participant],
                cache: dict[str, list[float]] | None = None) -> ItemVectors:
    """Embed every distinct offer and need text of ``people`` once, in batches; rows are L2-normalised.

    ``cache`` (item key → vector) skips texts embedded before, e.g. across a facilitator's swaps.
    """
    keys = list(dict.fromkeys(item_key(t) for p in people for t in (*p.offers, *p.needs)))
    return ItemVectors({k: i for i, k in enumerate(keys)}, embed_texts(embeddings, keys, cache))


def embed_texts(embeddings: Embeddings, texts: Sequence[str], cache: dict[str, list[float]] | None = None) -> np.ndarray:
    """Unit rows (float32) for ``texts``, by their ``item_key``; each new key is embedded once, in batches."""
    keys = [item_key(t) for t in texts]
    known = cache if cache is not None else {}
    missing = list(dict.fromkeys(k for k in keys if k not in known))
    for start in range(0, len(missing), EMBED_BATCH):
        batch = missing[start:start + EMBED_BATCH]
        known.update(zip(batch, embeddings.embed_documents(batch), strict=False))
    matrix = np.asarray([known[k] for k in keys], dtype=np.float32).reshape(len(keys), -1)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return (matrix / np.where(norms == 0, 1.0, norms)).astype(np.float32)


def strength(similarity: np.ndarray, floor: float = STRENGTH_FLOOR) -> np.ndarray:
    return np.clip((similarity - floor) / (1.0 - floor), 0.0, 1.0)


@dataclass(frozen=True)
class Complementarity:
    forward: np.ndarray  # forward[i, j]: how well i's offers meet j's needs, 0..1
    score: np.ndarray  # symmetric pair score

    def pair_score(self, i: int, j: int) -> float:
        return float(self.score[i, j])


def pair_score(forward: float, backward: float, penalty: float = LOPSIDED_PENALTY) -> float:
    return (forward + backward) / 2 - penalty * abs(forward - backward)


def complementarity(people: Sequence[Participant], vectors: ItemVectors, *, floor: float = STRENGTH_FLOOR,
                    coverage: float = COVERAGE_SHARE, penalty: float = LOPSIDED_PENALTY) -> Complementarity:
    n = len(people)
    offers = vectors.rows([t for p in people for t in p.offers])
    need_positions = np.array(vectors.positions([t for p in people for t in p.needs]), dtype=np.int64)
    needs = vectors.need_rows([t for p in people for t in p.needs])
    offer_counts = np.array([len(p.offers) for p in people])
    need_counts = np.array([len(p.needs) for p in people])
    offer_starts = np.concatenate([[0], np.cumsum(offer_counts)])
    need_starts = np.concatenate([[0], np.cumsum(need_counts)])[:-1]
    best = np.empty((n, n), dtype=np.float32)
    covered = np.empty((n, n), dtype=np.float32)
    for p0 in range(0, n, BLOCK_PEOPLE):
        p1 = min(n, p0 + BLOCK_PEOPLE)
        r0, r1 = offer_starts[p0], offer_starts[p1]
        per_need = vectors.strengths(offers[r0:r1] @ needs.T, need_positions, floor)  # (offers of the block, all needs)
        per_need = np.maximum.reduceat(per_need, offer_starts[p0:p1] - r0, axis=0)  # best offer of each person
        best[p0:p1] = np.maximum.reduceat(per_need, need_starts, axis=1)
        covered[p0:p1] = np.add.reduceat(per_need, need_starts, axis=1) / need_counts
    forward = (1 - coverage) * best + coverage * covered
    score = (forward + forward.T) / 2 - penalty * np.abs(forward - forward.T)
    return Complementarity(forward, score)


def why(a: Participant, b: Participant, vectors: ItemVectors, *, floor: float = STRENGTH_FLOOR) -> dict[str, Any]:
    """Which of ``a``'s offers meets which of ``b``'s needs, and the other way round (strongest first)."""

    def meets(giver: Participant, taker: Participant) -> list[dict[str, Any]]:
        s = vectors.strengths(vectors.rows(giver.offers) @ vectors.need_rows(taker.needs).T,
                              vectors.positions(taker.needs), floor)
        found: list[dict[str, Any]] = []
        for col, need in enumerate(taker.needs):
            row = int(np.argmax(s[:, col]))
            if s[row, col] > 0:
                found.append({"offer": giver.offers[row], "need": need, "match": round(float(s[row, col]), 2)})
        return sorted(found, key=lambda m: -float(m["match"]))[:WHY_ITEMS]

    return {"a_meets_b": meets(a, b), "b_meets_a": meets(b, a)}


def why_text(why_data: dict[str, Any], a_name: str, b_name: str) -> str:
    """One line: "Ada's “SQL” meets Ben's “querying databases”; Ben's … meets Ada's …"."""
    parts = []
    for key, giver, taker in (("a_meets_b", a_name, b_name), ("b_meets_a", b_name, a_name)):
        items = why_data.get(key) or []
        if items:
            m = items[0]
            parts.append(f"{giver}'s “{m['offer']}” meets {taker}'s “{m['need']}” ({m['match']:.2f})")
        else:
            parts.append(f"nothing {giver} offers meets {taker}'s needs")
    return "; ".join(parts)
