"""The cohort's embedding space: offers and needs made comparable by meaning, not by phrasing habits.

Raw sentence vectors of short items carry a lot that is not the skill: "I can teach …" and "keen to learn …"
point the same way for every skill, and a short phrase is a thin signal. Over a whole cohort, each side
(all offers, all needs) goes through standard, model-agnostic steps (measured on the synthetic cohorts of
2,000, README's programme section):

0. move each item towards the skill concepts it names (concepts.py: the skills vocabulary, read with the
   side's own lead-ins and tails stripped, phrasing.py);
1. centre each side on its own mean (the common "what I offer" / "what I need" direction goes);
2. remove the ``TOP_COMPONENTS`` leading principal components of both sides together ("all-but-the-top",
   Mu & Viswanath 2018: the dominant directions that encode phrasing, not meaning);
3. average each item with its ``NEIGHBOURS`` nearest items of the same side (pseudo-relevance feedback: an
   odd phrasing borrows the meaning of the phrasings around it);
4. keep each need's mean and spread of cosines over the cohort's offers, so a match is scored relative to
   the cohort's typical offer for that need (scoring.py, ``FULL_MATCH_Z``).

A cohort with fewer than ``MIN_ITEMS`` distinct items per side is too small to estimate these from, and
keeps its raw vectors (and raw cosines).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from kickcoach.programme.concepts import ConceptSpace, concept_space
from kickcoach.programme.inventory import Participant
from kickcoach.programme.phrasing import habits
from kickcoach.programme.scoring import ItemVectors, embed_items, embed_texts, item_key

MIN_ITEMS = 50
TOP_COMPONENTS = 2
NEIGHBOURS = 5
MIN_SPREAD = 1e-6


def _unit(a: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(a, axis=1, keepdims=True)
    return a / np.where(norms == 0, 1.0, norms)


def _smooth(a: np.ndarray, k: int) -> np.ndarray:
    if k < 1 or len(a) <= k:
        return a
    similar = a @ a.T
    np.fill_diagonal(similar, -np.inf)
    nearest = np.argpartition(-similar, k - 1, axis=1)[:, :k]
    return _unit(a + a[nearest].mean(axis=1))


def top_directions(x: np.ndarray, k: int, iterations: int = 200) -> np.ndarray:
    """The ``k`` leading principal directions of ``x`` (rows), as a (k × dim) array, by subspace iteration.

    Matrix products only: the LAPACK eigen-solvers of the bundled OpenBLAS took seconds on a busy 2-core
    machine where this takes milliseconds.
    """
    cov = x.T @ x
    q = cov[:, np.argsort(-np.diag(cov))[:k]].copy()  # start from the columns of the largest variances
    for _ in range(iterations):
        q = cov @ q
        for j in range(k):  # Gram-Schmidt
            q[:, j] -= q[:, :j] @ (q[:, :j].T @ q[:, j])
            q[:, j] /= np.linalg.norm(q[:, j]) or 1.0
    return q.T


def side_rows(people: Sequence[Participant], vectors: ItemVectors) -> tuple[list[int], list[int]]:
    """The rows of the cohort's distinct offers and of its distinct needs."""
    return (sorted({vectors.index[item_key(t)] for p in people for t in p.offers}),
            sorted({vectors.index[item_key(t)] for p in people for t in p.needs}))


def cohort_space(people: Sequence[Participant], vectors: ItemVectors, *, min_items: int = MIN_ITEMS,
                 components: int = TOP_COMPONENTS, neighbours: int = NEIGHBOURS,
                 sides: tuple[np.ndarray, np.ndarray] | None = None) -> ItemVectors:
    """``vectors`` with separate, debiased offer and need sides for this cohort (or unchanged if it is small).

    ``sides``: the offer and need rows (in ``side_rows`` order) to start from instead of ``vectors``' own,
    e.g. moved towards their concepts (``cohort_vectors``).
    """
    offer_rows, need_rows = side_rows(people, vectors)
    if min(len(offer_rows), len(need_rows)) < min_items:
        return vectors
    if sides is None:
        sides = (vectors.matrix[offer_rows], vectors.matrix[need_rows])
    offers = sides[0].astype(np.float64)
    needs = sides[1].astype(np.float64)
    offers -= offers.mean(axis=0)
    needs -= needs.mean(axis=0)
    if components:
        top = top_directions(np.vstack([offers, needs]), components)
        offers -= (offers @ top.T) @ top
        needs -= (needs @ top.T) @ top
    offers, needs = _smooth(_unit(offers), neighbours), _smooth(_unit(needs), neighbours)
    offer_matrix = vectors.matrix.copy()
    need_matrix = vectors.matrix.copy()
    offer_matrix[offer_rows] = offers
    need_matrix[need_rows] = needs
    mean = np.zeros(len(vectors.index))
    spread = np.ones(len(vectors.index))
    # each need's cosines over the cohort's distinct offers: mean = n·(mean offer), E[s²] = nᵀ(OᵀO/m)n
    mean[need_rows] = needs @ offers.mean(axis=0)
    second = np.einsum("ij,jk,ik->i", needs, offers.T @ offers / len(offers), needs)
    spread[need_rows] = np.sqrt(np.maximum(second - mean[need_rows] ** 2, MIN_SPREAD ** 2))
    return ItemVectors(vectors.index, offer_matrix.astype(np.float32), need_matrix.astype(np.float32),
                       mean.astype(np.float32), spread.astype(np.float32))


def toward_concepts(people: Sequence[Participant], vectors: ItemVectors, concepts: ConceptSpace,
                    embeddings: Embeddings, cache: dict[str, list[float]] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The cohort's offer and need rows (``side_rows`` order), each moved towards the concepts it names.

    An item is read for its concepts with its side's lead-ins and tails stripped (phrasing.py).
    """
    keys = {i: k for k, i in vectors.index.items()}
    moved = []
    for rows in side_rows(people, vectors):
        texts = [keys[r] for r in rows]
        found = habits(texts)
        read = embed_texts(embeddings, [found.bare(t) or t for t in texts], cache).astype(np.float64)
        moved.append(concepts.expand(vectors.matrix[rows].astype(np.float64), read))
    return moved[0], moved[1]


def cohort_vectors(embeddings: Embeddings, people: Sequence[Participant],
                   cache: dict[str, list[float]] | None = None, *, use_concepts: bool = True,
                   cache_dir: Path | None = None) -> ItemVectors:
    """Embed the cohort's items (once each) and build its space: what matching and ``why`` use.

    ``use_concepts=False`` skips step 0 (the skills vocabulary), for comparison; ``cache_dir`` keeps the
    vocabulary's vectors on disk (concepts.py).
    """
    cache = cache if cache is not None else {}  # an item read unchanged is not embedded twice
    vectors = embed_items(embeddings, people, cache)
    if not use_concepts or min(len(rows) for rows in side_rows(people, vectors)) < MIN_ITEMS:
        return cohort_space(people, vectors)
    moved = toward_concepts(people, vectors, concept_space(embeddings, cache, cache_dir=cache_dir),
                             embeddings, cache)
    return cohort_space(people, vectors, sides=moved)
