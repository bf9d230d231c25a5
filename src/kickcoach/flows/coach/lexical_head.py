"""A word n-gram head beside the embedding heads: what the turn's own words say, negation and all.

MiniLM's sentence vectors place "Tom turned up" and "Tom didn't turn up" close together, and they barely move
for "passed on our deck" against "passed the exam". Word unigrams and bigrams ("didn't turn", "passed on",
"turned down") keep those apart. Per label (act, topic, valence) a TF-IDF vectoriser and a logistic regression
(scikit-learn's) are fitted on the same labelled examples as the embedding heads; the classifier blends their
probabilities with :data:`BLEND`. The fitted vocabulary, IDF weights and coefficients are cached under the data
home as plain arrays (no pickles), keyed like the embedding heads.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from kickcoach.core.cache_files import save_arrays

LABELS = ("act", "topic", "valence")
C = 16.0  # regularisation, as the embedding heads' act and topic heads
NGRAMS = (1, 2)
VERSION = 1  # bump when the vectoriser's settings change: the cache is keyed by it
# Weight of this head's probabilities against the embedding heads' (1 - BLEND). Chosen on the tuning sets
# (evals/tuning/coach_turns.yaml, coach_turns_2.yaml and evals/cases/coach/turns.yaml). Pinned in tests.
BLEND = {"act": 0.7, "topic": 0.5, "valence": 0.7}


def _vectoriser(vocabulary: dict[str, int] | None = None) -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(ngram_range=NGRAMS, sublinear_tf=True, vocabulary=vocabulary,
                           token_pattern=r"(?u)\b\w[\w']*\b")


class LexicalHeads:
    """Fitted word n-gram heads: :meth:`probabilities` gives, per label, a probability per class."""

    def __init__(self, vectoriser: Any, heads: dict[str, tuple[np.ndarray, np.ndarray, list[str]]]) -> None:
        self.vectoriser = vectoriser
        self.heads = heads

    @classmethod
    def fit(cls, texts: list[str], labels: dict[str, list[str]]) -> LexicalHeads:
        from sklearn.linear_model import LogisticRegression

        vectoriser = _vectoriser()
        matrix = vectoriser.fit_transform(texts)
        heads = {}
        for label in LABELS:
            model = LogisticRegression(C=C, max_iter=3000).fit(matrix, labels[label])
            heads[label] = (model.coef_, model.intercept_, [str(c) for c in model.classes_])
        return cls(vectoriser, heads)

    def save(self, path: Path) -> None:
        vocabulary = sorted(self.vectoriser.vocabulary_, key=self.vectoriser.vocabulary_.__getitem__)
        arrays: dict[str, np.ndarray] = {"vocabulary": np.asarray(vocabulary), "idf": self.vectoriser.idf_}
        for label, (coef, intercept, classes) in self.heads.items():
            arrays.update({f"{label}_coef": coef, f"{label}_intercept": intercept, f"{label}_classes": np.asarray(classes)})
        save_arrays(path, arrays)

    @classmethod
    def load(cls, path: Path) -> LexicalHeads:
        data = np.load(path, allow_pickle=False)
        vectoriser = _vectoriser({str(w): i for i, w in enumerate(data["vocabulary"])})
        vectoriser.idf_ = data["idf"]
        heads = {label: (data[f"{label}_coef"], data[f"{label}_intercept"], [str(c) for c in data[f"{label}_classes"]])
                 for label in LABELS}
        return cls(vectoriser, heads)

    def probabilities(self, message: str) -> dict[str, dict[str, float]]:
        row = self.vectoriser.transform([message])
        out: dict[str, dict[str, float]] = {}
        for label, (coef, intercept, classes) in self.heads.items():
            logits = np.asarray(row @ coef.T).ravel() + intercept
            if len(classes) == 2 and logits.shape[0] == 1:  # binary heads store one row
                logits = np.array([-logits[0], logits[0]])
            weights = np.exp(logits - logits.max())
            out[label] = dict(zip(classes, (weights / weights.sum()).tolist(), strict=True))
        return out


def blend(embedding: dict[str, dict[str, float]], lexical: dict[str, dict[str, float]],
          weights: dict[str, float] | None = None) -> dict[str, dict[str, float]]:
    """Per label, ``(1 - w) * embedding + w * lexical`` over the union of their classes."""
    weights = weights if weights is not None else BLEND
    out: dict[str, dict[str, float]] = {}
    for label, probs in embedding.items():
        other, w = lexical.get(label, {}), weights.get(label, 0.0) if label in lexical else 0.0
        out[label] = {k: (1 - w) * probs.get(k, 0.0) + w * other.get(k, 0.0) for k in set(probs) | set(other)}
    return out
