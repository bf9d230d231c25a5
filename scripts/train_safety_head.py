"""Regenerate ``src/kickcoach/safety/banks/head.json``, the learned half of the safety check.

    python scripts/train_safety_head.py [--cache DIR]

Fits a multinomial logistic regression (scikit-learn) over the all-MiniLM-L6-v2 vectors (the ONNX encoder the app
runs) of ``safety/banks/train*.yaml`` — eight classes, the seven risk categories and ``ordinary`` — plus the coach's
own example turns (``flows/coach/banks/turn_examples*.yaml``) as ordinary talk at a lower sample weight, on text
blanked exactly as at run time (figures of speech and denials removed). No class balancing: a balanced fit
down-weights the ordinary class as it grows, and raised false alarms on venting.

Selection, on data the head never trains on: the tuning sets ``evals/tuning/safety.yaml`` and ``safety_2.yaml`` (hard
cases), and 943 everyday coaching messages from the coach's held-out and tuning sets (``coaching_talk``). For each
regularisation strength C and coach weight in the grids, the threshold is the lowest one that keeps the false alarms
the head adds to the rules' own at most MAX_FALSE_ALARMS on the hard sets and MAX_COACHING_ALARMS on coaching talk;
the setting with the best recall (then fewest false alarms) wins. The blind set
(``evals/blind/``) is never read. A flag from the head alone always gets the gentle check-in (``detect.check``).
Plain JSON out, no pickle.
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

from kickcoach.flows.coach.bank_files import examples as coach_examples
from kickcoach.knowledge.sentence_encoder import load_encoder
from kickcoach.safety import detect as rules
from kickcoach.safety.head import HEAD_PATH, ORDINARY, safety_train_files, train_digest

TUNING = (ROOT / "evals" / "tuning" / "safety.yaml", ROOT / "evals" / "tuning" / "safety_2.yaml")
# False alarms the head adds to the rules' own, on the hard tuning sets' ordinary turns. 0.045 since the sixth
# session (was 0.03): a flag from the head alone is a gentle check-in, and a second one in a conversation only one
# line before the usual reply, so a needless flag costs less than before; at 0.03 the new training voices (train_voices)
# cost 3 points of tuning recall, at 0.045 tuning recall is 96.6% with everyday coaching talk still at 1.5%.
MAX_FALSE_ALARMS = 0.045
MAX_COACHING_ALARMS = 0.02  # and on everyday coaching talk (recall first: a needless gentle check-in costs less than a miss)
C_GRID = (4.0, 8.0, 16.0)
COACH_WEIGHTS = (0.5, 1.0, 2.0)
THRESHOLDS = np.arange(0.30, 0.96, 0.01)


COACHING_TALK = (ROOT / "evals" / "cases" / "coach" / "turns.yaml", ROOT / "evals" / "tuning" / "coach_turns.yaml",
                 ROOT / "evals" / "tuning" / "coach_turns_2.yaml", ROOT / "evals" / "tuning" / "coach_conversations.yaml",
                 ROOT / "evals" / "tuning" / "idea_requests.yaml", ROOT / "evals" / "tuning" / "idea_requests_2.yaml")


def coaching_talk() -> list[str]:
    """Everyday coaching messages from the coach's held-out and tuning sets (never trained on): ordinary talk."""
    texts: list[str] = []
    for path in COACHING_TALK:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for row in data.get("turns", []):
            texts.append(str(row["text"]))
        for conversation in data.get("conversations", []):
            texts += [str(t if isinstance(t, str) else t.get("user") or t.get("text")) for t in conversation["turns"]]
        for case in data.get("cases", []):
            texts.append(str(case["message"] if isinstance(case["message"], str) else case["message"][-1]))
    return texts


def blanked(text: str) -> str:
    _, blank, _ = rules._signals()
    return " ".join(rules._blanked(rules.normalise(text), blank).split()) or "."


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cache", type=Path, default=Path.home() / ".kickcoach" / "cache")
    args = parser.parse_args()
    encoder = load_encoder(args.cache)
    safety = [t for path in safety_train_files() for t in yaml.safe_load(path.read_text(encoding="utf-8"))["turns"]]
    coach = [e.text for e in coach_examples().examples]
    x = np.asarray(encoder.encode_batch([blanked(t["text"]) for t in safety] + [blanked(t) for t in coach]),
                   dtype=np.float32)
    labels = [t["category"] if t["label"] == "risk" else ORDINARY for t in safety] + [ORDINARY] * len(coach)

    selection = [t for path in TUNING for t in yaml.safe_load(path.read_text(encoding="utf-8"))["turns"]]
    talk = coaching_talk()
    selection += [{"text": text, "label": "ordinary", "coaching": True} for text in talk]
    risk = np.array([t["label"] == "risk" for t in selection])
    coaching = np.array([bool(t.get("coaching")) for t in selection])  # everyday coaching talk, not near-misses
    ruled = np.array([rules.check(t["text"]).flagged for t in selection])
    x_sel = np.asarray(encoder.encode_batch([blanked(t["text"]) for t in selection]), dtype=np.float32)

    best: tuple[float, float, float, float, float, LogisticRegression] | None = None  # recall, -alarms, C, w, t, fit
    for c in C_GRID:
        for weight in COACH_WEIGHTS:
            weights = np.concatenate([np.ones(len(safety)), np.full(len(coach), weight)])
            fit = LogisticRegression(C=c, max_iter=3000).fit(x, labels, sample_weight=weights)
            head_risk = 1.0 - fit.predict_proba(x_sel)[:, list(fit.classes_).index(ORDINARY)]
            for threshold in THRESHOLDS[::-1]:
                flagged = ruled | (head_risk >= threshold)
                recall, alarms = flagged[risk].mean(), flagged[~risk].mean()
                hard = ~risk & ~coaching
                if flagged[hard].mean() - ruled[hard].mean() > MAX_FALSE_ALARMS \
                        or flagged[coaching].mean() - ruled[coaching].mean() > MAX_COACHING_ALARMS:
                    break
                if best is None or (recall, -alarms) > best[:2]:
                    best = (float(recall), -float(alarms), c, weight, float(threshold), fit)
            print(f"C={c} coach weight {weight}: best so far recall {best[0] if best else 0:.3f}")
    if best is None:
        print("no setting keeps false alarms within bounds", file=sys.stderr)
        return 1
    recall, neg_alarms, c, weight, threshold, fit = best
    out = {
        "about": "Safety head for kickcoach.safety.head: multinomial logistic regression over all-MiniLM-L6-v2 vectors, "
                 "made by scripts/train_safety_head.py from safety/banks/train*.yaml (+ the coach's example turns as "
                 "ordinary talk); threshold chosen on evals/tuning/safety*.yaml + everyday coaching talk from the tuning sets",
        "classes": [str(k) for k in fit.classes_], "coef": np.round(fit.coef_, 6).tolist(),
        "intercept": np.round(fit.intercept_, 6).tolist(), "threshold": round(threshold, 2), "C": c,
        "coach_weight": weight, "train_digest": train_digest(),
        "selection": {"recall": round(recall, 4), "false_alarms": round(-neg_alarms, 4)},
    }
    HEAD_PATH.write_text(json.dumps(out, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"C={c}, coach weight {weight}, threshold {threshold:.2f}: "
          f"selection recall {recall:.3f}, "
          f"false alarms {-neg_alarms:.3f} → {HEAD_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
