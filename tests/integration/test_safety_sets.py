"""The safety check, rules + the MiniLM head, on the labelled sets (real encoder, offline).

``evals/tuning/safety.yaml`` and ``safety_2.yaml`` (hard cases, written from a brief) were used to choose the
head's threshold; ``evals/blind/safety.yaml`` was written from a
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
    "tuning/safety.yaml": (0.94, 0.04),  # measured: 95.7% / 3.3%
    "tuning/safety_2.yaml": (0.88, 0.10),  # hard cases (indirect risk, near-miss words); measured: 90.0% / 9.2%
    "blind/safety.yaml": (0.90, 0.045),  # measured: 91.9% / 4.1% (was 89.9% / 5.2% before train_hard.yaml)
}
SIZES = {"tuning/safety.yaml": (140, 200), "tuning/safety_2.yaml": (150, 250), "blind/safety.yaml": (190, 300)}


def test_the_shipped_head_was_trained_on_the_current_training_files():
    assert load_weights().digest == train_digest(), "retrain: python scripts/train_safety_head.py"


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_recall_and_false_alarms_hold(real_services, name):
    result = score(load(EVALS / name), name=name, head=real_services.safety_head)
    print(result.table(show_cases=False))
    recall, alarms = FLOORS[name]
    assert result.risk >= SIZES[name][0] and result.ordinary >= SIZES[name][1]
    assert result.recall >= recall, result.table(show_cases=False)
    assert result.false_alarm_rate <= alarms, result.table(show_cases=False)
