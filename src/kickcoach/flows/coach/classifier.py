"""Nearest labelled examples in embedding space: similarity-weighted votes for act, topic and valence.

The examples (``banks/turn_examples.yaml``) are embedded once and cached as ``.npy`` under the data home,
keyed by the file's hash and the embedding model, so a warm turn costs one query embedding and one matrix
product. A k-NN vote rather than a trained head: adding an example fixes a mistake at once, with nothing
to retrain, and every verdict can be explained by the neighbours that cast it.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from pydantic import BaseModel, Field

from kickcoach.flows.coach import bank_files as banks

if TYPE_CHECKING:
    from langchain_core.embeddings import Embeddings

MIN_SIMILARITY = 0.2  # neighbours less similar than this cast no vote


class Votes(BaseModel):
    act: dict[str, float] = Field(default_factory=dict)
    topic: dict[str, float] = Field(default_factory=dict)
    valence: dict[str, float] = Field(default_factory=dict)
    neighbours: list[str] = Field(default_factory=list)


class TurnClassifier:
    def __init__(self, embeddings: Embeddings, cache_dir: Path | None = None,
                 examples: list[banks.Example] | None = None) -> None:
        self.embeddings = embeddings
        self.examples = examples if examples is not None else banks.examples().examples
        self.cache_dir = cache_dir
        self._matrix: np.ndarray | None = None

    def _cache_path(self) -> Path | None:
        if self.cache_dir is None:
            return None
        digest = hashlib.sha256("\n".join(e.model_dump_json() for e in self.examples).encode()).hexdigest()[:16]
        kind = getattr(self.embeddings, "name", type(self.embeddings).__name__)
        return self.cache_dir / f"turn-examples-{kind}-{digest}.npy"

    @property
    def matrix(self) -> np.ndarray:
        if self._matrix is None:
            path = self._cache_path()
            if path is not None and path.exists():
                self._matrix = np.load(path)
            else:
                texts = [e.text for e in self.examples]
                vectors = self.embeddings.embed_documents(texts) if texts else []
                self._matrix = np.asarray(vectors, dtype=np.float32).reshape(len(texts), -1)
                if path is not None:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    np.save(path, self._matrix)
        return self._matrix

    def votes(self, message: str, k: int = 9, *, vector: list[float] | None = None) -> Votes:
        if not self.examples:
            return Votes()
        query = np.asarray(vector if vector is not None else self.embeddings.embed_query(message), dtype=np.float32)
        norm = float(np.linalg.norm(query)) or 1.0
        sims = self.matrix @ (query / norm)
        order = np.argsort(-sims)[:k]
        act: dict[str, float] = defaultdict(float)
        topic: dict[str, float] = defaultdict(float)
        valence: dict[str, float] = defaultdict(float)
        neighbours = []
        for index in order:
            sim = float(sims[index])
            if sim < MIN_SIMILARITY:
                continue
            example = self.examples[int(index)]
            act[example.act] += sim
            topic[example.topic] += sim
            valence[example.valence] += sim
            neighbours.append(example.text)
        return Votes(act=dict(act), topic=dict(topic), valence=dict(valence), neighbours=neighbours)
