"""Regenerate ``src/kickcoach/guard/advice_model.json``, the suggestion classifier's weights.

    python scripts/train_advice_classifier.py [--data DIR] [--out FILE]

Data: the Reddit advice corpus of Govindarajan et al. (EMNLP 2020, MIT licence), read from ``--data``
(default ``../shared/datasets/advice-emnlp2020`` beside the repository, else
``/work/shared/datasets/advice-emnlp2020``). Labels are ``Majority_label``. Only the *train* and *dev*
splits are read here; the test splits are for ``benchmarks/advice_detector.py`` alone. Takes two to five
minutes on two cores.

Method: a logistic regression (scikit-learn, class-balanced) over the features of
:func:`kickcoach.guard.suggestions.features` (the same code the guard runs, so training and run time
normalise text identically), trained on the train splits of both forums with r/needadvice, the closer
domain, weighted up. The regularisation strength and the needadvice weight are chosen on the
needadvice dev split by the F1 of the *full* detector (rules included); the shipped model is then refit
with those settings on train + dev of both forums. The run-time threshold is the
F1-best threshold there; the strict threshold is the lowest one at which at least half of the dev
sentences it flags are advice (precision >= STRICT_MIN_PRECISION): it catches more advice without
flagging every neutral sentence. Only the weights leave this script, as plain JSON: no corpus text is
copied.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from kickcoach.guard.suggestions import MODEL_PATH, AdviceModel, features

FORUMS = ("needadvice", "askparents")
C_GRID = (0.01, 0.03, 0.1, 0.3)
NEEDADVICE_WEIGHTS = (1.0, 2.0, 3.0, 4.0)
MIN_DOC_FREQ = 2
THRESHOLDS = np.round(np.arange(0.06, 0.90, 0.01), 2)
STRICT_MIN_PRECISION = 0.5


def default_data_dir() -> Path:
    beside = ROOT.parent / "shared" / "datasets" / "advice-emnlp2020"
    return beside if beside.is_dir() else Path("/work/shared/datasets/advice-emnlp2020")


def load_split(data: Path, forum: str, split: str) -> tuple[list[str], np.ndarray]:
    """Sentences and ``Majority_label`` of one TSV file."""
    with (data / f"{forum}_{split}.tsv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [r["Sentence"] for r in rows], np.array([int(r["Majority_label"]) for r in rows])


def precision_recall(labels: np.ndarray, predicted: np.ndarray) -> tuple[float, float]:
    tp = float(np.sum(labels & predicted))
    return tp / max(1, int(predicted.sum())), tp / max(1, int(labels.sum()))


def f1(labels: np.ndarray, predicted: np.ndarray) -> float:
    precision, recall = precision_recall(labels, predicted)
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def best_threshold(labels: np.ndarray, scores: np.ndarray) -> tuple[float, float]:
    """(threshold, F1) maximising F1 over ``THRESHOLDS``."""
    score, threshold = max((f1(labels, scores >= t), float(t)) for t in THRESHOLDS)
    return threshold, score


def strict_threshold(labels: np.ndarray, scores: np.ndarray, ceiling: float) -> tuple[float, float]:
    """(threshold, recall): the lowest threshold <= ``ceiling`` whose precision is >= STRICT_MIN_PRECISION."""
    for t in THRESHOLDS:
        precision, recall = precision_recall(labels, scores >= t)
        if t <= ceiling and precision >= STRICT_MIN_PRECISION:
            return float(t), recall
    return ceiling, precision_recall(labels, scores >= ceiling)[1]


def vectorize(rows: list[dict[str, int]]) -> tuple[DictVectorizer, object]:
    """Binary feature matrix over the features seen in at least ``MIN_DOC_FREQ`` sentences."""
    counts = DictVectorizer().fit(rows)
    doc_freq = np.asarray((counts.transform(rows) > 0).sum(axis=0)).ravel()
    vocabulary = [n for n, df in zip(counts.get_feature_names_out(), doc_freq) if df >= MIN_DOC_FREQ]
    vectorizer = DictVectorizer().fit([dict.fromkeys(vocabulary, 1)])
    return vectorizer, vectorizer.transform(rows)


def fit(rows: list[dict[str, int]], labels: np.ndarray, weights: np.ndarray, c: float) -> AdviceModel:
    """Logistic regression on feature ``rows``; thresholds are placeholders until tuned."""
    vectorizer, x = vectorize(rows)
    model = LogisticRegression(C=c, class_weight="balanced", max_iter=5000).fit(x, labels, sample_weight=weights)
    names = vectorizer.get_feature_names_out()
    kept = {str(n): round(float(w), 4) for n, w in zip(names, model.coef_[0]) if abs(w) >= 5e-4}
    return AdviceModel(weights=kept, bias=round(float(model.intercept_[0]), 4), threshold=0.5, strict_threshold=0.5)


def corpus(data: Path, split: str, forums: tuple[str, ...] = FORUMS) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Sentences, labels and a per-sentence "from r/needadvice" mask for ``split`` of ``forums``."""
    parts = {forum: load_split(data, forum, split) for forum in forums}
    sentences = [s for forum in forums for s in parts[forum][0]]
    labels = np.concatenate([parts[forum][1] for forum in forums])
    is_needadvice = np.array([forum == "needadvice" for forum in forums for _ in parts[forum][0]])
    return sentences, labels, is_needadvice


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=default_data_dir())
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    args = parser.parse_args()

    sentences, labels, is_needadvice = corpus(args.data, "train")
    rows = [dict.fromkeys(features(s), 1) for s in sentences]
    dev_sentences, dev_labels, _ = corpus(args.data, "dev", ("needadvice",))
    print(f"{len(sentences)} training sentences")

    best: tuple[float, float, float, float, AdviceModel] | None = None
    for weight in NEEDADVICE_WEIGHTS:
        for c in C_GRID:
            model = fit(rows, labels, np.where(is_needadvice, weight, 1.0), c)
            scores = np.array([model.score(s) for s in dev_sentences])
            threshold, dev_f1 = best_threshold(dev_labels, scores)
            print(f"needadvice weight {weight:.0f}, C {c:<5} → dev F1 {dev_f1:.3f} at threshold {threshold:.2f}")
            if best is None or dev_f1 > best[0]:
                best = (dev_f1, weight, c, threshold, model)
    assert best is not None
    dev_f1, weight, c, threshold, model = best
    scores = np.array([model.score(s) for s in dev_sentences])
    strict, strict_recall = strict_threshold(dev_labels, scores, threshold)
    print(f"chosen: needadvice weight {weight:.0f}, C {c}, threshold {threshold:.2f} (dev F1 {dev_f1:.3f}), "
          f"strict threshold {strict:.2f} (dev recall {strict_recall:.3f})")

    # Refit with the chosen settings on train + dev of both forums; the thresholds stay as tuned above.
    more_sentences, more_labels, more_needadvice = corpus(args.data, "dev")
    final = fit(
        rows + [dict.fromkeys(features(s), 1) for s in more_sentences],
        np.concatenate([labels, more_labels]),
        np.where(np.concatenate([is_needadvice, more_needadvice]), weight, 1.0),
        c,
    )
    payload = {
        "about": "Suggestion classifier for kickcoach.guard: logistic regression over features() of "
        "kickcoach/guard/suggestions.py, made by scripts/train_advice_classifier.py from the train and dev "
        "splits of the advice-emnlp2020 corpus (Govindarajan et al., EMNLP 2020, MIT licence); settings and "
        "thresholds tuned on needadvice dev.",
        "training": {"needadvice_weight": weight, "C": c, "min_doc_freq": MIN_DOC_FREQ,
                     "sentences": len(rows) + len(more_sentences), "dev_f1": round(dev_f1, 4),
                     "dev_recall_strict": round(strict_recall, 4)},
        "bias": final.bias,
        "threshold": threshold,
        "strict_threshold": strict,
        "weights": dict(sorted(final.weights.items())),
    }
    args.out.write_text(json.dumps(payload, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({args.out.stat().st_size / 1024:.0f} KiB, {len(final.weights)} weights)")


if __name__ == "__main__":
    main()
