"""The stacked suggestion detector: MiniLM sentence vectors + hashed word features + rules.

Used by :mod:`kickcoach.guard.suggestions` once :func:`~kickcoach.guard.suggestions.use_encoder` found the
ONNX sentence encoder (:mod:`kickcoach.guard.sentence_encoder`); without it the guard keeps the hashed model
alone. Weights come from ``advice_head.json`` (plain JSON, no pickle), written by
``scripts/train_advice_classifier.py --head`` from the *train* splits of the advice corpus; the thresholds
were chosen on needadvice *dev*.

How one sentence is scored (:meth:`StackedDetector.score`, 0..1):

1. ``p_words``: a logistic regression over :func:`~kickcoach.guard.suggestions.features` (word unigrams,
   bigrams, head word, rule names), trained on train only (so its dev scores are honest).
2. ``p_minilm``: a logistic regression over the 384-d all-MiniLM-L6-v2 vector of the sentence.
3. A stacker (logistic regression fitted on out-of-fold train scores) mixes ``logit(p_words)``,
   ``logit(p_minilm)`` and the two rule flags (a positive cue fired; a negative cue and no positive one).
4. The rules bound the result as in the hashed model: a positive cue lifts it to at least ``RULE_FLOOR``,
   a negative cue with no positive one caps it at ``RULE_CAP``.

:meth:`StackedDetector.flags` gives the verdict without running the encoder when a rule already settles
it (any threshold lies strictly between ``RULE_CAP`` and ``RULE_FLOOR``), so the ~5 ms encoder runs only on
sentences the rules leave open. Same sentence, same verdict: no randomness, one encoder thread.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np

from kickcoach.errors import ConfigError
from kickcoach.guard.suggestions import (
    NEGATIVE_RULES,
    POSITIVE_RULES,
    RULE_CAP,
    RULE_FLOOR,
    AdviceModel,
    _features,
    rule_hits,
    tokenize,
)

HEAD_PATH = Path(__file__).with_name("advice_head.json")
_CLIP = 30.0


class SentenceEncoder(Protocol):
    def encode(self, sentences: list[str]) -> np.ndarray: ...


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-_CLIP, min(_CLIP, z))))


def logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


@dataclass(frozen=True)
class StackWeights:
    """Everything in ``advice_head.json`` but the encoder itself."""

    words: AdviceModel  # its own thresholds are unused: the stack's are below
    minilm: tuple[float, ...]
    minilm_bias: float
    stack: tuple[float, float, float, float]  # logit(p_words), logit(p_minilm), positive cue, negative cue
    stack_bias: float
    threshold: float
    strict_threshold: float

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> StackWeights:
        words: Mapping[str, object] = data["words"]  # type: ignore[assignment]
        minilm: Mapping[str, object] = data["minilm"]  # type: ignore[assignment]
        stack: Mapping[str, object] = data["stack"]  # type: ignore[assignment]
        coef = tuple(float(c) for c in stack["coef"])  # type: ignore[attr-defined]
        if len(coef) != 4:
            raise ValueError(f"stack needs 4 coefficients, got {len(coef)}")
        weights = cls(
            words=AdviceModel(weights=dict(words["weights"]), bias=float(words["bias"]),  # type: ignore[call-overload,arg-type]
                              threshold=0.5, strict_threshold=0.5),
            minilm=tuple(float(w) for w in minilm["weights"]),  # type: ignore[attr-defined]
            minilm_bias=float(minilm["bias"]),  # type: ignore[arg-type]
            stack=(coef[0], coef[1], coef[2], coef[3]),
            stack_bias=float(stack["bias"]),  # type: ignore[arg-type]
            threshold=float(data["threshold"]),  # type: ignore[arg-type]
            strict_threshold=float(data["strict_threshold"]),  # type: ignore[arg-type]
        )
        if not RULE_CAP < weights.strict_threshold <= weights.threshold <= RULE_FLOOR:
            raise ValueError("thresholds must lie in (RULE_CAP, RULE_FLOOR] with strict <= normal")
        return weights


@lru_cache(maxsize=1)
def load_weights(path: Path = HEAD_PATH) -> StackWeights:
    try:
        return StackWeights.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError(
            f"The stacked suggestion detector's weights at {path} are missing or unreadable ({exc}).",
            "Reinstall kickcoach, or regenerate them with `python scripts/train_advice_classifier.py --head`.",
        ) from exc


class StackedDetector:
    """Scores sentences with the stack above; ``encoder`` turns sentences into unit-length vectors."""

    def __init__(self, weights: StackWeights, encoder: SentenceEncoder) -> None:
        self.weights = weights
        self.encoder = encoder
        self._minilm = np.asarray(weights.minilm, dtype=np.float64)
        self._cached = lru_cache(maxsize=2048)(self._score)

    @property
    def threshold(self) -> float:
        return self.weights.threshold

    @property
    def strict_threshold(self) -> float:
        return self.weights.strict_threshold

    def minilm_probability(self, vector: Sequence[float] | np.ndarray) -> float:
        """The MiniLM head alone on one sentence vector."""
        return _sigmoid(float(np.dot(self._minilm, np.asarray(vector, dtype=np.float64))) + self.weights.minilm_bias)

    def combine(self, p_words: float, p_minilm: float, hits: frozenset[str]) -> float:
        """The stacker's probability, then the rule bounds (see the module doc)."""
        positive, negative = bool(hits & POSITIVE_RULES), bool(hits & NEGATIVE_RULES)
        negative = negative and not positive
        a, b, c, d = self.weights.stack
        p = _sigmoid(a * logit(p_words) + b * logit(p_minilm) + c * positive + d * negative + self.weights.stack_bias)
        if positive:
            return max(p, RULE_FLOOR)
        if negative:
            return min(p, RULE_CAP)
        return p

    def _score(self, sentence: str) -> float:
        if not any(c.isalpha() for c in sentence):
            return 0.0
        tokens = tokenize(sentence)
        hits = rule_hits(sentence, tokens)
        p_words = self.weights.words._probability(_features(tokens, hits))
        p_minilm = self.minilm_probability(self.encoder.encode([sentence])[0])
        return self.combine(p_words, p_minilm, hits)

    def score(self, sentence: str) -> float:
        """How strongly ``sentence`` advises, 0..1 (cached per sentence)."""
        return float(self._cached(sentence))

    def flags(self, sentence: str, threshold: float) -> bool:
        """``score(sentence) >= threshold``, without the encoder when a rule settles the verdict."""
        if RULE_CAP < threshold <= RULE_FLOOR and any(c.isalpha() for c in sentence):
            hits = rule_hits(sentence)
            if hits & POSITIVE_RULES:
                return True
            if hits & NEGATIVE_RULES:
                return False
        return self.score(sentence) >= threshold
