"""Regenerate ``src/kickcoach/safety/banks/head.json``, the learned half of the safety check.

    python scripts/train_safety_head.py [--cache DIR]

Fits a class-balanced multinomial logistic regression (scikit-learn) over the all-MiniLM-L6-v2 vectors (the
ONNX encoder the app runs) of ``safety/banks/train*.yaml``: eight classes, the seven risk categories and
``ordinary``, on text blanked exactly as at run time (figures of speech and denials removed). The
regularisation strength is chosen by 5-fold cross-validation on the training set (plus the coach's own example
turns as ordinary talk, ``flows/coach/banks/turn_examples.yaml``); the risk threshold is the
highest one that keeps recall on ``evals/tuning/safety.yaml`` (rules + head) at its best, with false alarms
there at most MAX_FALSE_ALARMS. The blind set (``evals/blind/``) is never read. Plain JSON out, no pickle.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import numpy as np
import yaml
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score

from kickcoach.knowledge.sentence_encoder import load_encoder
from kickcoach.safety import detect as rules
from kickcoach.safety.head import HEAD_PATH, ORDINARY, HeadWeights, SafetyHead, train_digest, train_files

TUNING = ROOT / "evals" / "tuning" / "safety.yaml"
COACH_EXAMPLES = ROOT / "src" / "kickcoach" / "flows" / "coach" / "banks" / "turn_examples.yaml"
MAX_FALSE_ALARMS = 0.03  # of the tuning set's ordinary turns
C_GRID = (1.0, 2.0, 4.0, 8.0)


def blanked(text: str) -> str:
    _, blank, _ = rules._signals()
    return " ".join(rules._blanked(rules.normalise(text), blank).split())


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cache", type=Path, default=Path.home() / ".kickcoach" / "cache")
    args = parser.parse_args()
    encoder = load_encoder(args.cache)
    turns = [t for path in train_files() for t in yaml.safe_load(path.read_text(encoding="utf-8"))["turns"]]
    # Ordinary coaching talk in another voice: the coach's own training turns (none of them is risk).
    turns += [{"text": e["text"], "label": "ordinary"} for e in
              yaml.safe_load(COACH_EXAMPLES.read_text(encoding="utf-8"))["examples"]]
    texts = [blanked(t["text"]) or "." for t in turns]
    labels = [t["category"] if t["label"] == "risk" else ORDINARY for t in turns]
    x = np.asarray(encoder.encode_batch(texts), dtype=np.float32)
    best_c = max(C_GRID, key=lambda c: cross_val_score(
        LogisticRegression(C=c, max_iter=2000, class_weight="balanced"), x, labels, cv=5, scoring="f1_macro").mean())
    fit = LogisticRegression(C=best_c, max_iter=2000, class_weight="balanced").fit(x, labels)
    classes = [str(c) for c in fit.classes_]

    tuning = yaml.safe_load(TUNING.read_text(encoding="utf-8"))["turns"]
    open_head = SafetyHead(encoder, HeadWeights(tuple(classes), fit.coef_.astype(np.float32),
                                                fit.intercept_.astype(np.float32), 2.0, train_digest()))
    scores = []  # per tuning turn: 2.0 when a rule decides, else the head's risk (rules + head, as at run time)
    for t in tuning:
        verdict = rules.check(t["text"], open_head)  # threshold 2.0: the head never flags, its score is kept
        scores.append(2.0 if verdict.flagged else verdict.score)
    risk_scores = [s for s, t in zip(scores, tuning, strict=True) if t["label"] == "risk"]
    ordinary_scores = [s for s, t in zip(scores, tuning, strict=True) if t["label"] != "risk"]
    best: tuple[float, float, float] | None = None  # (recall, -threshold, false alarms)
    for threshold in np.arange(0.30, 0.96, 0.01):
        recall = sum(s >= threshold for s in risk_scores) / len(risk_scores)
        alarms = sum(s >= threshold for s in ordinary_scores) / len(ordinary_scores)
        print(f"threshold {threshold:.2f}: recall {recall:.3f}, false alarms {alarms:.3f}")
        if alarms <= MAX_FALSE_ALARMS and (best is None or (recall, -threshold) > best[:2]):
            best = (recall, -float(threshold), alarms)
    if best is None:
        print("no threshold keeps false alarms within bounds", file=sys.stderr)
        return 1
    out = {
        "about": "Safety head for kickcoach.safety.head: multinomial logistic regression over all-MiniLM-L6-v2 "
                 "vectors, made by scripts/train_safety_head.py from safety/banks/train.yaml; threshold chosen on "
                 "evals/tuning/safety.yaml",
        "classes": classes, "coef": np.round(fit.coef_, 6).tolist(), "intercept": np.round(fit.intercept_, 6).tolist(),
        "threshold": round(-best[1], 2), "C": best_c, "train_digest": train_digest(),
        "tuning": {"recall": round(best[0], 4), "false_alarms": round(best[2], 4)},
    }
    HEAD_PATH.write_text(json.dumps(out, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"C={best_c}, threshold {-best[1]:.2f}: tuning recall {best[0]:.3f}, false alarms {best[2]:.3f} → {HEAD_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
