"""The safety check, rules + the MiniLM head, on the labelled sets (real encoder, offline).

``evals/tuning/safety.yaml`` and ``safety_2.yaml`` (hard cases, written from a brief) were used to choose the
head's threshold; ``evals/blind/safety.yaml`` was written from a
brief by someone who saw neither the code nor the other sets, and is only ever scored. The floors below are the
figures measured when the head was last trained, less a small margin: a change that loses recall or raises false
alarms fails here. Per-category figures: ``python -m kickcoach.evals.safety evals/tuning/safety.yaml
evals/blind/safety.yaml``.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from kickcoach.evals.safety import load, score
from kickcoach.safety import check
from kickcoach.safety.head import load_weights, train_digest

pytestmark = pytest.mark.integration
EVALS = Path(__file__).resolve().parents[2] / "evals"
FLOORS = {  # set: (recall at least, false alarms at most)
    "tuning/safety.yaml": (0.93, 0.035),  # measured: 94.3% / 2.8%
    "tuning/safety_2.yaml": (0.97, 0.095),  # hard cases, read to write rule classes; measured: 98.7% / 8.8%
    "blind/safety.yaml": (0.89, 0.045),  # measured: 90.9% / 4.1% (89.4% / 3.5% before the sixth session's head)
    # written fresh in the sixth session from a brief naming categories only (160 risk, 160 hard ordinary);
    # measured: 90.6% / 3.1% (84.4% / 3.1% with the head before it, the new rules already in)
    "blind/safety_2.yaml": (0.89, 0.04),
}
SIZES = {"tuning/safety.yaml": (140, 200), "tuning/safety_2.yaml": (150, 250), "blind/safety.yaml": (190, 300),
         "blind/safety_2.yaml": (160, 160)}


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


def test_everyday_coaching_talk_rarely_gets_the_check_in(real_services):
    """The coach's held-out and tuning messages (943, all ordinary): measured 14 flagged (1.5%), was 18 (1.9%);
    the sixth session's head too (5 with its threshold chosen at 3% added false alarms, 14 at 4.5%)."""
    spec = importlib.util.spec_from_file_location("train", EVALS.parent / "scripts" / "train_safety_head.py")
    assert spec is not None and spec.loader is not None
    train = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(train)
    talk = train.coaching_talk()
    flagged = sum(check(text, real_services.safety_head).flagged for text in talk)
    assert len(talk) >= 900 and flagged <= 0.015 * len(talk), flagged
