"""The learned half of "is this a question about the pair's history, and about what?".

The patterns in ``banks/history.yaml`` read what is said plainly; tuned on five question sets they recognised every
question there and only about three in four written later in new voices ("next sesh?", "toms to-do list from last
sync?", "did priya ever send the thing she said shed send"). This head reads the rest: a multinomial logistic
regression (scikit-learn) over the app's sentence embeddings, fitted at first use on

- ``banks/history_questions.yaml``: questions about commitments, progress, the next meeting and what is due;
- the coach's example turns (``banks/turn_examples*.yaml``) as ``none``, except the contract questions, which may
  ask the same things of the contract;

and cached in the derived cache beside the turn classifier's heads. It is asked only when the patterns found no
topic, and it names one only at ``THRESHOLD``; ``C`` and ``THRESHOLD`` were chosen on the sixth tuning set with
``scripts/choose_history_head.py`` (never on the blind set).
"""

from __future__ import annotations

import hashlib
import weakref
from typing import TYPE_CHECKING

import numpy as np
import yaml

from kickcoach.core.cache_files import save_arrays
from kickcoach.flows.coach.bank_files import BANK_DIR

if TYPE_CHECKING:
    from pathlib import Path

    from kickcoach.flows.coach.classifier import TurnClassifier

TRAIN = BANK_DIR / "history_questions.yaml"
NONE = "none"
CLASSES = {"my_commitments": "commitments", "partner_commitments": "commitments", "progress": "progress",
           "next_meeting": "next_meeting", "due": "due"}
C = 16.0  # regularisation (scripts/choose_history_head.py: the most questions rescued at <= 1% false alarms)
THRESHOLD = 0.8  # the head names a topic at this probability or more (6 of 751 non-history turns)
NOT_TRAINED_ON = ("contract_question",)  # example acts that may be history questions asked of the contract
_HEADS: weakref.WeakKeyDictionary[TurnClassifier, HistoryHead] = weakref.WeakKeyDictionary()


def training_questions(path: Path = TRAIN) -> list[tuple[str, str]]:
    """(text, topic) for every training question."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [(str(q["text"]), CLASSES[q["asks"]]) for q in data["questions"]]


class HistoryHead:
    def __init__(self, classifier: TurnClassifier, *, c: float = C, threshold: float = THRESHOLD,
                 questions: list[tuple[str, str]] | None = None) -> None:
        self.classifier = classifier
        self.c, self.threshold = c, threshold
        self.questions = training_questions() if questions is None else questions
        self._fitted: tuple[np.ndarray, np.ndarray, list[str]] | None = None

    def _cache_path(self) -> Path | None:
        if self.classifier.cache_dir is None:
            return None
        text = "\n".join(f"{t}\t{c}" for t, c in self.questions) + f"\n{self.c}\n{self.classifier._digest()}"
        digest = hashlib.sha256(text.encode()).hexdigest()[:16]
        kind = getattr(self.classifier.embeddings, "name", type(self.classifier.embeddings).__name__)
        return self.classifier.cache_dir / f"history-head-{kind}-{digest}.npz"

    @property
    def fitted(self) -> tuple[np.ndarray, np.ndarray, list[str]]:
        """(coefficients, intercepts, classes)."""
        if self._fitted is None:
            path = self._cache_path()
            if path is not None and path.exists():
                data = np.load(path, allow_pickle=False)
                self._fitted = data["coef"], data["intercept"], [str(c) for c in data["classes"]]
            else:
                self._fitted = self._fit()
                if path is not None:
                    coef, intercept, classes = self._fitted
                    save_arrays(path, {"coef": coef, "intercept": intercept, "classes": np.asarray(classes)})
        return self._fitted

    def _fit(self) -> tuple[np.ndarray, np.ndarray, list[str]]:
        from sklearn.linear_model import LogisticRegression

        keep = [i for i, e in enumerate(self.classifier.examples) if e.act not in NOT_TRAINED_ON]
        negatives = self.classifier.matrix[keep]
        positives = _unit(np.asarray(self.classifier.embeddings.embed_documents([t for t, _ in self.questions]),
                                     dtype=np.float32))
        matrix = np.vstack([negatives, positives])
        labels = [NONE] * len(keep) + [c for _, c in self.questions]
        model = LogisticRegression(C=self.c, max_iter=2000, class_weight="balanced").fit(matrix, labels)
        return model.coef_, model.intercept_, [str(c) for c in model.classes_]

    def probabilities(self, text: str) -> dict[str, float]:
        coef, intercept, classes = self.fitted
        vector = _unit(np.asarray([self.classifier.embeddings.embed_query(text)], dtype=np.float32))[0]
        logits = coef @ vector + intercept
        weights = np.exp(logits - logits.max())
        return dict(zip(classes, (weights / weights.sum()).tolist(), strict=True))

    def topic(self, text: str) -> str | None:
        """"commitments", "progress", "next_meeting" or "due" when the head is sure enough, else None."""
        probs = self.probabilities(text)
        best = max((c for c in probs if c != NONE), key=probs.__getitem__)
        return best if probs[best] >= self.threshold else None


def _unit(matrix: np.ndarray) -> np.ndarray:
    return matrix / np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-9)


def history_head(classifier: TurnClassifier) -> HistoryHead:
    """The head over ``classifier``'s embeddings and examples, built once per classifier."""
    if classifier not in _HEADS:
        _HEADS[classifier] = HistoryHead(classifier)
    return _HEADS[classifier]
