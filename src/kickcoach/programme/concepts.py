"""The skills vocabulary as a bridge between an offer and a need (``data/skill_concepts.yaml``).

Short phrases alone are a weak signal for a sentence model: "managing my direct reports" sits close to
"writing reports", "programming an Arduino" close to "Python". Each concept of the vocabulary is named by
a description and several common phrasings, so its vectors average over many wordings. Every item is
assigned *softly* to its ``TOP_CONCEPTS`` nearest concepts (a softmax at ``TEMPERATURE`` over how close it is
to the concept: the mean of its nearest phrasing and of the concept's centroid), read with the cohort's
lead-ins and tails stripped (phrasing.py), and its vector moves towards the mix of those concepts' centroids
(weight ``EXPANSION``). Two wordings of one skill so land nearer each other than their words alone put them,
while the item keeps its own words: a skill the vocabulary lacks still matches by its own vector.
Measured on the synthetic cohorts (benchmarks/programme_matching.py): see the README's programme section.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml
from langchain_core.embeddings import Embeddings

from kickcoach.core.cache_files import save_array
from kickcoach.programme.scoring import embed_texts

VOCABULARY = Path(__file__).with_name("data") / "skill_concepts.yaml"
TOP_CONCEPTS = 10
TEMPERATURE = 0.05
EXPANSION = 0.5
"""Weight of the concept mix added to an item's own (unit) vector."""


def unit_rows(a: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(a, axis=1, keepdims=True)
    return a / np.where(norms == 0, 1.0, norms)


@dataclass(frozen=True)
class Concept:
    key: str
    description: str
    phrasings: tuple[str, ...]

    @property
    def texts(self) -> tuple[str, ...]:
        return (self.description, *self.phrasings)


def load_concepts(path: Path | None = None) -> tuple[int, tuple[Concept, ...]]:
    """The vocabulary's version and its concepts (each with a description and at least one phrasing)."""
    data = yaml.safe_load((path or VOCABULARY).read_text(encoding="utf-8"))
    concepts = tuple(Concept(key, str(entry["description"]), tuple(str(p) for p in entry["phrasings"]))
                     for key, entry in data["concepts"].items())
    if not concepts or any(not c.phrasings or not c.description for c in concepts):
        raise ValueError(f"{path or VOCABULARY}: every concept needs a description and phrasings")
    return int(data["version"]), concepts


@dataclass(frozen=True)
class ConceptSpace:
    """The vocabulary embedded with one embeddings model: a unit vector per text and per concept centroid."""

    concepts: tuple[Concept, ...]
    texts: np.ndarray  # (texts, dim) unit rows
    owner: np.ndarray  # (texts,) index of the concept each text belongs to
    centroids: np.ndarray  # (concepts, dim) unit rows

    def closeness(self, x: np.ndarray) -> np.ndarray:
        """(items, concepts): the mean of each item's cosine to the concept's nearest text and to its centroid."""
        starts = np.flatnonzero(np.r_[True, self.owner[1:] != self.owner[:-1]])  # a concept's texts are contiguous
        nearest = np.maximum.reduceat(x @ self.texts.T, starts, axis=1)
        return (nearest + x @ self.centroids.T) / 2

    def distributions(self, x: np.ndarray, *, top: int = TOP_CONCEPTS, temperature: float = TEMPERATURE) -> np.ndarray:
        """(items, concepts): each item's soft assignment to its ``top`` nearest concepts (rows sum to 1)."""
        close = self.closeness(x)
        top = max(1, min(top, close.shape[1]))
        threshold = np.partition(close, -top, axis=1)[:, -top][:, None]
        logits = np.where(close >= threshold, close, -np.inf)
        weights = np.exp((logits - logits.max(axis=1, keepdims=True)) / temperature)
        return weights / weights.sum(axis=1, keepdims=True)

    def expand(self, own: np.ndarray, read: np.ndarray, *, weight: float = EXPANSION) -> np.ndarray:
        """``own`` (unit rows) moved towards the concept mix of ``read`` (the same items, stripped of filler)."""
        if weight <= 0 or not len(own):
            return own
        return unit_rows(own + weight * self.distributions(read) @ self.centroids)


def concept_space(embeddings: Embeddings, cache: dict[str, list[float]] | None = None,
                  concepts: Sequence[Concept] | None = None, *, cache_dir: Path | None = None) -> ConceptSpace:
    """Embed the vocabulary (each text once; ``cache``, item key → vector, is shared with the items').

    With ``cache_dir`` (the data home's cache) the vectors are also kept on disk, keyed by the embeddings'
    name and the vocabulary's hash, so a new process does not embed the vocabulary again.
    """
    chosen = tuple(concepts) if concepts is not None else load_concepts()[1]
    texts = [t for c in chosen for t in c.texts]
    owner = np.array([i for i, c in enumerate(chosen) for _ in c.texts])
    path = _stored(embeddings, texts, cache_dir)
    if path is not None and path.exists():
        vectors = np.load(path).astype(np.float64)
    else:
        vectors = embed_texts(embeddings, texts, cache).astype(np.float64)
        if path is not None:
            save_array(path, vectors.astype(np.float32))
    centroids = np.zeros((len(chosen), vectors.shape[1]))
    np.add.at(centroids, owner, vectors)
    return ConceptSpace(chosen, vectors, owner, unit_rows(centroids))


def _stored(embeddings: Embeddings, texts: Sequence[str], cache_dir: Path | None) -> Path | None:
    if cache_dir is None:
        return None
    kind = getattr(embeddings, "name", type(embeddings).__name__)
    digest = hashlib.sha256("\n".join(texts).encode()).hexdigest()[:16]
    return cache_dir / f"skill-concepts-{kind}-{digest}.npy"
