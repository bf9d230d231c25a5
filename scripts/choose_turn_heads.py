"""Choose the coach's turn-classifier regularisation by 5-fold cross-validation on the training examples only.

    python scripts/choose_turn_heads.py            # bundled MiniLM (needs the model package, ~3 min on 2 cores)
    python scripts/choose_turn_heads.py --requests # how sure the act head must be before a turn is a request

Prints mean accuracy per label and C; the chosen values live in kickcoach.flows.coach.classifier.HEAD_C.
With ``--requests``: for the training turns the rules do not read as requests, the cross-validated act head's
request probability against the label, questions and statements apart (precision and recall per threshold);
the chosen thresholds live in kickcoach.flows.coach.understand.LEARNED_REQUEST.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_predict, cross_val_score

from kickcoach import guard
from kickcoach.core.config import Settings
from kickcoach.flows.coach.classifier import HEAD_C, TurnClassifier
from kickcoach.flows.coach.understand import is_question, main_part
from kickcoach.services import Services

CANDIDATES = (1.0, 4.0, 16.0, 64.0)
THRESHOLDS = (0.3, 0.5, 0.7, 0.8, 0.9, 0.95)


def requests_table(classifier: TurnClassifier) -> None:
    features = np.hstack([classifier.matrix, classifier.polarity_matrix])
    labels = [e.act for e in classifier.examples]
    probs = cross_val_predict(LogisticRegression(C=HEAD_C["act"], max_iter=2000), features, labels, cv=5,
                              method="predict_proba")
    column = sorted(set(labels)).index("request")
    rows = [(p[column], is_question(main_part(e.text)[0]), e.act == "request")
            for e, p in zip(classifier.examples, probs, strict=True)
            if not e.after_offer and guard.asked([], e.text).reason == "no request"]
    for question in (True, False):
        total = sum(r[2] for r in rows if r[1] == question)
        for threshold in THRESHOLDS:
            chosen = [r for r in rows if r[1] == question and r[0] >= threshold]
            hits = sum(r[2] for r in chosen)
            print(f"{'questions' if question else 'statements'} at {threshold}: {len(chosen)} chosen, "
                  f"precision {hits / max(1, len(chosen)):.2f}, recall {hits}/{total}")


def main() -> None:
    settings = Settings(backend="fake", embeddings="minilm", home=Path(tempfile.mkdtemp()), _env_file=None)
    classifier = Services(settings).turn_classifier
    if "--requests" in sys.argv:
        requests_table(classifier)
        return
    for label in ("act", "topic", "valence"):
        labels = [getattr(e, label) for e in classifier.examples]
        scores = {c: cross_val_score(LogisticRegression(C=c, max_iter=2000), classifier.matrix, labels, cv=5).mean()
                  for c in CANDIDATES}
        best = max(CANDIDATES, key=lambda c: (round(scores[c], 3), -c))
        print(label, " ".join(f"C={c:g}: {s:.3f}" for c, s in scores.items()), f"→ {best:g}")


if __name__ == "__main__":
    main()
