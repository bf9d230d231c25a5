"""The turn classifier over the labelled examples (``banks/turn_examples.yaml``) in embedding space.

Two views of the same examples, both cached under the data home (keyed by the examples' hash and the
embedding model), so a warm turn costs one query embedding and two small matrix products:
- a logistic-regression head per label (act, topic, valence), scikit-learn's, fitted once with the
  regularisation chosen by cross-validation on the examples alone (the held-out eval set is never seen);
- the nearest examples, whose texts explain a verdict and which back the head up when a label has too
  few examples to fit.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from pydantic import BaseModel, Field

from kickcoach.core.cache_files import save_array, save_arrays
from kickcoach.flows.coach import bank_files as banks
from kickcoach.flows.coach import polarity
from kickcoach.flows.coach.lexical_head import VERSION as LEXICAL_VERSION
from kickcoach.flows.coach.lexical_head import LexicalHeads, blend

if TYPE_CHECKING:
    from langchain_core.embeddings import Embeddings

MIN_SIMILARITY = 0.2  # neighbours less similar than this cast no vote
# Regularisation per head, chosen by 5-fold cross-validation on the examples alone with the bundled MiniLM
# (scripts/choose_turn_heads.py prints the table): 4 for each head since turn_examples_voices.yaml (act and topic were 16).
HEAD_C = {"act": 4.0, "topic": 4.0, "valence": 4.0}
LABELS = ("act", "topic", "valence")
# The act and valence heads also see the turn's polarity features (flows/coach/polarity.py: VADER per clause,
# news events with their negation, mixed news, sarcasm cues), which way the news points, beside what it is about.
POLARITY_HEADS = ("act", "valence")
_LEXICAL: dict[str, LexicalHeads] = {}
_FITTED: dict[tuple[object, str], dict[str, tuple[np.ndarray, np.ndarray, list[str]]]] = {}


class Votes(BaseModel):
    """Per label, a score per class: head probabilities (sum 1) or neighbour similarity sums."""

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
        self._heads: dict[str, tuple[np.ndarray, np.ndarray, list[str]]] | None = None
        self._lexical: LexicalHeads | None = None
        self._examples_digest: str | None = None

    def _digest(self) -> str:
        if self._examples_digest is None:
            text = "\n".join(e.model_dump_json() for e in self.examples)
            self._examples_digest = hashlib.sha256(text.encode()).hexdigest()[:16]
        return self._examples_digest

    def _cache_path(self, suffix: str = "npy") -> Path | None:
        if self.cache_dir is None:
            return None
        digest = self._digest()
        kind = getattr(self.embeddings, "name", type(self.embeddings).__name__)
        return self.cache_dir / f"turn-examples-{kind}-{digest}.{suffix}"

    @property
    def heads(self) -> dict[str, tuple[np.ndarray, np.ndarray, list[str]]]:
        """label → (coefficients, intercepts, classes) of its logistic-regression head."""
        if self._heads is None:
            c = "-".join(f"{HEAD_C[label]:g}" for label in LABELS)  # a new regularisation refits the heads
            path = self._cache_path(f"heads-p{polarity.VERSION}-c{c}.npz")
            if path is not None and path.exists():
                data = np.load(path, allow_pickle=False)
                self._heads = {label: (data[f"{label}_coef"], data[f"{label}_intercept"],
                                       [str(c) for c in data[f"{label}_classes"]]) for label in LABELS}
            else:
                key = (str(path.name) if path else id(self.examples), getattr(self.embeddings, "name", ""))
                if key not in _FITTED:  # fitted once per process for the same examples and embeddings
                    featured = np.hstack([self.matrix, self.polarity_matrix])
                    _FITTED[key] = {label: _fit([getattr(e, label) for e in self.examples],
                                                featured if label in POLARITY_HEADS else self.matrix, HEAD_C[label])
                                    for label in LABELS}
                self._heads = _FITTED[key]
                if path is not None:
                    arrays = {f"{label}_{part}": value for label, (coef, intercept, classes) in self._heads.items()
                              for part, value in (("coef", coef), ("intercept", intercept),
                                                  ("classes", np.asarray(classes)))}
                    save_arrays(path, arrays)
        return self._heads

    @property
    def lexical(self) -> LexicalHeads:
        """The word n-gram heads (:mod:`lexical_head`), fitted on the same examples and cached beside the others."""
        if self._lexical is None:
            path = self._cache_path(f"lexical-v{LEXICAL_VERSION}.npz")
            key = self._digest()
            if path is not None and path.exists():
                self._lexical = LexicalHeads.load(path)
            elif key in _LEXICAL:  # fitted once per process for the same examples
                self._lexical = _LEXICAL[key]
            else:
                self._lexical = _LEXICAL[key] = LexicalHeads.fit(
                    [e.text for e in self.examples], {label: [getattr(e, label) for e in self.examples] for label in LABELS})
            if path is not None and not path.exists():
                self._lexical.save(path)
        return self._lexical

    @property
    def polarity_matrix(self) -> np.ndarray:
        """The examples' polarity features, one row each (cheap: computed when the heads are fitted)."""
        return np.vstack([polarity.features(e.text) for e in self.examples]) if self.examples else np.zeros((0, 0))

    def probabilities(self, vector: np.ndarray, message: str = "") -> dict[str, dict[str, float]]:
        """Per head, class probabilities for a unit ``vector`` (the embedding of ``message``)."""
        out: dict[str, dict[str, float]] = {}
        featured = np.concatenate([vector, polarity.features(message)])
        for label, (coef, intercept, classes) in self.heads.items():
            logits = coef @ (featured if coef.shape[-1] == featured.shape[0] else vector) + intercept
            if len(classes) == 2 and logits.shape[0] == 1:  # binary heads store one row
                logits = np.array([-logits[0], logits[0]])
            weights = np.exp(logits - logits.max())
            out[label] = dict(zip(classes, (weights / weights.sum()).tolist(), strict=True))
        return blend(out, self.lexical.probabilities(message)) if message else out

    def clause_valences(self, clauses: list[str]) -> list[dict[str, float]]:
        """The valence head's probabilities for each clause on its own (one batched embedding call)."""
        if not clauses or len({e.act for e in self.examples}) < 2:
            return []
        vectors = np.asarray(self.embeddings.embed_documents(clauses), dtype=np.float32).reshape(len(clauses), -1)
        vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)
        return [self.probabilities(v, c)["valence"] for v, c in zip(vectors, clauses, strict=True)]

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
                    save_array(path, self._matrix)
        return self._matrix

    def votes(self, message: str, k: int = 9, *, vector: list[float] | None = None) -> Votes:
        if not self.examples:
            return Votes()
        query = np.asarray(vector if vector is not None else self.embeddings.embed_query(message), dtype=np.float32)
        norm = float(np.linalg.norm(query)) or 1.0
        query = query / norm
        sims = self.matrix @ query
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
        if len({e.topic for e in self.examples}) > 1 and len({e.act for e in self.examples}) > 1:
            probs = self.probabilities(query, message)
            return Votes(act=probs["act"], topic=probs["topic"], valence=probs["valence"], neighbours=neighbours)
        return Votes(act=dict(act), topic=dict(topic), valence=dict(valence), neighbours=neighbours)


def _fit(labels: list[str], matrix: np.ndarray, c: float) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """A multinomial logistic regression (scikit-learn) with regularisation ``c``."""
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=c, max_iter=2000).fit(matrix, labels)
    return model.coef_, model.intercept_, [str(c) for c in model.classes_]
