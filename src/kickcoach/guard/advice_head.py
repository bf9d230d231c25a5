"""The stacked suggestion detector: MiniLM sentence vectors + hashed word features + rules.

Used by :mod:`kickcoach.guard.suggestions` once :func:`~kickcoach.guard.suggestions.use_encoder` found the
ONNX sentence encoder (:mod:`kickcoach.knowledge.sentence_encoder`); without it the guard keeps the hashed model
alone. Weights come from ``advice_head.json`` (plain JSON, no pickle), written by
``scripts/train_advice_classifier.py --head`` from the *train* splits of the advice corpus; the thresholds
were chosen on needadvice *dev*.

How one sentence is scored (:meth:`StackedDetector.score`, 0..1):

1. ``p_words``: a logistic regression over :func:`~kickcoach.guard.advice_rules.features` (word unigrams,
   bigrams, head word, rule names), trained on train only (so its dev scores are honest).
2. ``p_minilm``: a logistic regression over the 384-d all-MiniLM-L6-v2 vector of the sentence.
3. A stacker (logistic regression fitted on out-of-fold train scores) mixes ``logit(p_words)``,
   ``logit(p_minilm)`` and the two rule flags (a positive cue fired; a negative cue and no positive one).
4. The rules bound the result as in the hashed model: a positive cue lifts it to at least ``RULE_FLOOR``,
   a negative cue with no positive one caps it at ``RULE_CAP``. One more negative cue applies here only:
   :func:`is_information`, a plain statement of fact ("Your weekly review is on Tuesday at 3pm.",
   "Priya said the deadline moved to Friday."). The strict threshold sits low (it must catch 97% of dev
   advice), where such sentences would otherwise be held back; on needadvice train the cue covers 2.5% of
   the non-advice sentences and 0.1% of the advice ones.

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

from kickcoach.core.errors import ConfigError
from kickcoach.guard.advice_rules import (
    NEGATIVE_RULES,
    POSITIVE_RULES,
    RULE_CAP,
    RULE_FLOOR,
    AdviceModel,
    feature_set,
    head_index,
    rule_hits,
    tokenize,
    word_set,
)

HEAD_PATH = Path(__file__).with_name("advice_head.json")
_CLIP = 30.0
# is_information: words that make a statement evaluate, advise or hedge, so it is not plain information.
_NOT_INFORMATION = word_set("""
can could should would might may must will 'll 'd need needs needed ought gotta better best try trying recommend
suggest advice advise help helps helped helpful important key worth idea consider sure good great ok okay fine bad
wrong right easy hard harder easier works working way ways option options always never only just trick answer thing
things technique there
""")
_DETERMINERS = word_set("your the this that these those many most some every each his her their our")
_PRONOUNS = word_set("i we they it there he she you one")
# Finite verbs that report a fact or an event: copulas, reporting verbs, past events.
_FACT_VERBS = word_set(
    "is are was were says said has had meets met moved changed starts started ends ended happened came went told "
    "asked wrote sent")
_LIST_MARKER = "-*•>#0123456789.) "


class SentenceEncoder(Protocol):
    def encode(self, sentences: list[str]) -> np.ndarray: ...


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-_CLIP, min(_CLIP, z))))


def logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def is_information(sentence: str, tokens: list[str], hits: frozenset[str]) -> bool:
    """A plain statement of fact: a noun-phrase subject that is not a pronoun ("Your review", "Priya"),
    soon followed by a fact verb ("is", "said", "moved"); no rule cue, no question or exclamation, no
    word of evaluation, advice or modality, and "you" only inside a report ("says you meet")."""
    if hits & (POSITIVE_RULES | NEGATIVE_RULES):
        return False
    body = tokens[head_index(tokens):]
    if len(body) < 3 or body[-1] in ("?", "!") or any(w in _NOT_INFORMATION for w in body):
        return False
    if any(w == "you" and not (i and body[i - 1] in ("says", "said", "that")) for i, w in enumerate(body)):
        return False
    if body[0] in _DETERMINERS:
        window = body[1:6]
    elif sentence.lstrip(_LIST_MARKER)[:1].isupper() and body[0] not in _PRONOUNS:
        window = body[1:3]  # a name: "Priya said…"
    else:
        return False
    return any(w in _FACT_VERBS for w in window)


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

    def combine(self, p_words: float, p_minilm: float, hits: frozenset[str], information: bool = False) -> float:
        """The stacker's probability, then the rule bounds (see the module doc)."""
        positive, negative = bool(hits & POSITIVE_RULES), bool(hits & NEGATIVE_RULES)
        negative = negative and not positive
        a, b, c, d = self.weights.stack
        p = _sigmoid(a * logit(p_words) + b * logit(p_minilm) + c * positive + d * negative + self.weights.stack_bias)
        if positive:
            return max(p, RULE_FLOOR)
        if negative or information:
            return min(p, RULE_CAP)
        return p

    def _score(self, sentence: str) -> float:
        if not any(c.isalpha() for c in sentence):
            return 0.0
        tokens = tokenize(sentence)
        hits = rule_hits(sentence, tokens)
        p_words = self.weights.words._probability(feature_set(tokens, hits))
        p_minilm = self.minilm_probability(self.encoder.encode([sentence])[0])
        return self.combine(p_words, p_minilm, hits, is_information(sentence, tokens, hits))

    def score(self, sentence: str) -> float:
        """How strongly ``sentence`` advises, 0..1 (cached per sentence)."""
        return float(self._cached(sentence))

    def flags(self, sentence: str, threshold: float) -> bool:
        """``score(sentence) >= threshold``, without the encoder when a rule settles the verdict."""
        if RULE_CAP < threshold <= RULE_FLOOR and any(c.isalpha() for c in sentence):
            tokens = tokenize(sentence)
            hits = rule_hits(sentence, tokens)
            if hits & POSITIVE_RULES:
                return True
            if hits & NEGATIVE_RULES or is_information(sentence, tokens, hits):
                return False
        return self.score(sentence) >= threshold
