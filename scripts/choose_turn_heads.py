"""Choose the coach's turn-classifier regularisation by 5-fold cross-validation on the training examples only.

    python scripts/choose_turn_heads.py            # bundled MiniLM (needs the model package, ~3 min on 2 cores)

Prints mean accuracy per label and C; the chosen values live in kickcoach.flows.coach.classifier.HEAD_C.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score

from kickcoach.config import Settings
from kickcoach.services import Services

CANDIDATES = (1.0, 4.0, 16.0, 64.0)


def main() -> None:
    settings = Settings(backend="fake", embeddings="minilm", home=Path(tempfile.mkdtemp()), _env_file=None)
    classifier = Services(settings).turn_classifier
    for label in ("act", "topic", "valence"):
        labels = [getattr(e, label) for e in classifier.examples]
        scores = {c: cross_val_score(LogisticRegression(C=c, max_iter=2000), classifier.matrix, labels, cv=5).mean()
                  for c in CANDIDATES}
        best = max(CANDIDATES, key=lambda c: (round(scores[c], 3), -c))
        print(label, " ".join(f"C={c:g}: {s:.3f}" for c, s in scores.items()), f"→ {best:g}")


if __name__ == "__main__":
    main()
