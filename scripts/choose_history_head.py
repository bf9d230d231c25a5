"""Choose the history-question head's regularisation and threshold (``flows/coach/history_head.py``).

    PYTHONPATH=src python scripts/choose_history_head.py

For each C, fits the head on its training questions and the coach's example turns (the app's MiniLM), then per
threshold prints: on the sixth tuning set (``evals/tuning/history_questions_6.yaml``), the questions the bank's
patterns miss that the head names rightly; and on turns that are not history questions (the coach's held-out and
tuning turns, the ideas requests: every act but contract questions), how many the head would wrongly name.
The blind set is never read. Pick the threshold with the most rescued questions at false alarms <= 1%.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import yaml

from kickcoach.core.config import Settings
from kickcoach.flows.coach.history_bank import topic
from kickcoach.flows.coach.history_head import CLASSES, HistoryHead
from kickcoach.services import Services

TUNING = ROOT / "evals" / "tuning" / "history_questions_6.yaml"
NOT_HISTORY = [ROOT / "evals" / "cases" / "coach" / "turns.yaml", ROOT / "evals" / "tuning" / "coach_turns.yaml",
               ROOT / "evals" / "tuning" / "coach_turns_2.yaml"]
REQUESTS = [ROOT / "evals" / "tuning" / "idea_requests.yaml", ROOT / "evals" / "tuning" / "idea_requests_2.yaml"]
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


def _texts(path: Path) -> list[str]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    rows = data.get("turns") or data.get("requests") or data.get("cases") or []
    texts = []
    for row in rows:
        if isinstance(row, dict) and row.get("act") == "contract_question":
            continue
        text = row.get("text") or row.get("message") or row.get("request") if isinstance(row, dict) else row
        texts.extend(text if isinstance(text, list) else [text] if text else [])
    return [str(t) for t in texts]


def main() -> int:
    with tempfile.TemporaryDirectory() as home:
        services = Services(Settings(backend="fake", embeddings="minilm", home=Path(home), _env_file=None))  # type: ignore[call-arg]
        classifier = services.turn_classifier
        questions = [(q["text"], CLASSES[q["asks"]]) for q in yaml.safe_load(TUNING.read_text())["questions"]]
        missed = [(t, c) for t, c in questions if topic(t) is None]
        negatives = [t for p in NOT_HISTORY + REQUESTS for t in _texts(p)]
        negatives = [t for t in negatives if topic(t) is None]
        print(f"tuning questions {len(questions)}, missed by the patterns {len(missed)}; "
              f"non-history turns the patterns leave to the head {len(negatives)}")
        print("| C | threshold | rescued | wrong topic | false alarms |\n|---|---|---|---|---|")
        for c in (1.0, 4.0, 16.0):
            head = HistoryHead(classifier, c=c)
            q_probs = [head.probabilities(t) for t, _ in missed]
            n_probs = [head.probabilities(t) for t in negatives]
            for threshold in THRESHOLDS:
                def named(p: dict[str, float], threshold: float = threshold) -> str | None:
                    best = max((k for k in p if k != "none"), key=p.__getitem__)
                    return best if p[best] >= threshold else None
                rescued = sum(named(p) == want for p, (_, want) in zip(q_probs, missed, strict=True))
                wrong = sum(named(p) not in (None, want) for p, (_, want) in zip(q_probs, missed, strict=True))
                alarms = sum(named(p) is not None for p in n_probs)
                print(f"| {c:g} | {threshold:g} | {rescued}/{len(missed)} | {wrong} | {alarms}/{len(negatives)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
