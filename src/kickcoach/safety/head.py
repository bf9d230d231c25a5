"""The learned half of the safety check: a logistic regression over all-MiniLM-L6-v2 sentence vectors.

Rules (``detect.py``) catch what is said plainly; the head catches what is meant ("I've started writing goodbye
letters to my kids"). Weights are plain JSON (``banks/head.json``), written by ``scripts/train_safety_head.py``
from the ``banks/train*.yaml`` files only; its risk threshold was chosen on ``evals/tuning/safety*.yaml`` (never on the
blind set). A message is scored whole: scored sentence by sentence, short fragments read out of context raised
three times the false alarms on the tuning set for one more risk turn caught (the rules catch plain risk in any
sentence).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Protocol

import numpy as np

from kickcoach.core.errors import ConfigError

HEAD_PATH = Path(__file__).with_name("banks") / "head.json"
BANKS = Path(__file__).with_name("banks")
TRAIN_GLOB = "train*.yaml"  # train.yaml, train_more.yaml: every training file counts
ORDINARY = "ordinary"


class Encoder(Protocol):
    def encode(self, sentences: list[str]) -> np.ndarray: ...


COACH_TURNS = Path(__file__).parents[1] / "flows" / "coach" / "banks"  # ordinary coaching talk, also trained on


def safety_train_files() -> list[Path]:
    return sorted(BANKS.glob(TRAIN_GLOB))


def train_files() -> list[Path]:
    """Every file the head is trained on: the safety sets, and the coach's example turns as ordinary talk."""
    return safety_train_files() + sorted(COACH_TURNS.glob("turn_examples*.yaml"))


def train_digest() -> str:
    """The training files' fingerprint, stored in the head: a test fails when they change and it was not retrained."""
    digest = hashlib.sha256()
    for path in train_files():
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class HeadWeights:
    classes: tuple[str, ...]
    coef: np.ndarray  # (classes, 384)
    intercept: np.ndarray  # (classes,)
    threshold: float  # flag when P(not ordinary) reaches this (always the gentle check-in: see detect.check)
    digest: str


@cache
def load_weights(path: Path = HEAD_PATH) -> HeadWeights:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"Cannot read the safety head {path}: {exc}", "run scripts/train_safety_head.py") from exc
    return HeadWeights(classes=tuple(data["classes"]), coef=np.asarray(data["coef"], dtype=np.float32),
                       intercept=np.asarray(data["intercept"], dtype=np.float32),
                       threshold=float(data["threshold"]),
                       digest=str(data["train_digest"]))


class SafetyHead:
    def __init__(self, encoder: Encoder, weights: HeadWeights | None = None) -> None:
        self.encoder = encoder
        self.weights = weights or load_weights()

    def probabilities(self, texts: list[str]) -> np.ndarray:
        vectors = np.asarray(self.encoder.encode(texts), dtype=np.float32)
        logits = vectors @ self.weights.coef.T + self.weights.intercept
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return exp / exp.sum(axis=1, keepdims=True)

    def read(self, text: str) -> tuple[str | None, float]:
        """The riskiest category heard in ``text`` and its risk probability; None below the threshold."""
        probs = self.probabilities([text.strip()])[0]
        ordinary = self.weights.classes.index(ORDINARY)
        risk = float(1.0 - probs[ordinary])
        if risk < self.weights.threshold:
            return None, risk
        probs[ordinary] = -1.0
        return self.weights.classes[int(probs.argmax())], risk
