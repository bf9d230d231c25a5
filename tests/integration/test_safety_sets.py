"""The safety check, rules + the MiniLM head, on the labelled sets (real encoder, offline).

``evals/tuning/safety.yaml`` was used to choose the head's threshold; ``evals/blind/safety.yaml`` was written from a
brief by someone who saw neither the code nor the other sets, and is only ever scored. The floors below are the
figures measured when the head was last trained, less a small margin: a change that loses recall or raises false
alarms fails here. Per-category figures: ``python -m kickcoach.evals.safety evals/tuning/safety.yaml
evals/blind/safety.yaml``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kickcoach.evals.safety import load, score
from kickcoach.safety.head import load_weights, train_digest

pytestmark = pytest.mark.integration
EVALS = Path(__file__).resolve().parents[2] / "evals"
FLOORS = {  # set: (recall at least, false alarms at most)
    "tuning": (0.94, 0.03),  # measured: 95.0% / 2.4%
    "blind": (0.88, 0.055),  # measured: 89.9% / 4.9%
}


def test_the_shipped_head_was_trained_on_the_current_training_files():
    assert load_weights().digest == train_digest(), "retrain: python scripts/train_safety_head.py"


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_recall_and_false_alarms_hold(real_services, name):
    result = score(load(EVALS / name / "safety.yaml"), name=name, head=real_services.safety_head)
    print(result.table(show_cases=False))
    recall, alarms = FLOORS[name]
    assert result.risk >= (140 if name == "tuning" else 190) and result.ordinary >= (200 if name == "tuning" else 300)
    assert result.recall >= recall, result.table(show_cases=False)
    assert result.false_alarm_rate <= alarms, result.table(show_cases=False)
