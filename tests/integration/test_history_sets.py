"""The history answers on the real MiniLM, and the learned history-question head's chosen settings.

Measured (README, "What the pair agreed"): the sixth tuning set (80 questions written from a brief in new voices,
never trained on) 56/80 with the bank's patterns alone, 64/80 with the head; the blind set (65, aggregates only)
49/65 → 53/65 (54 before the head was kept out of questions the engine already answered). The head was chosen by
``scripts/choose_history_head.py``: at C=16 and threshold 0.8 it names 6 of the 11 tuning questions the patterns
miss, none wrongly, and 6 of 751 turns that are not history questions.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
import yaml

from kickcoach.core.config import Settings
from kickcoach.evals.history import score_questions
from kickcoach.evals.history_pair import script
from kickcoach.flows.coach import history_head
from kickcoach.flows.coach.history_bank import topic
from kickcoach.services import Services

pytestmark = pytest.mark.integration

EVALS = Path(__file__).resolve().parents[2] / "evals"
FLOORS = {"tuning/history_questions_6.yaml": 0.78, "blind/history_questions.yaml": 0.8}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_history_questions_are_answered_above_their_floor(tmp_path, name):
    services = Services(Settings(backend="fake", embeddings="minilm", home=tmp_path, today=script()["today"],
                                 _env_file=None))  # type: ignore[call-arg]
    figures = score_questions(services, EVALS / name)  # aggregates only, never a case
    assert figures["rate"] >= FLOORS[name], figures["total"]


def test_the_head_is_asked_only_when_sure_and_a_looser_one_raises_more_false_alarms(real_services):
    spec = importlib.util.spec_from_file_location("choose", EVALS.parent / "scripts" / "choose_history_head.py")
    assert spec is not None and spec.loader is not None
    choose = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(choose)
    classifier = real_services.turn_classifier
    negatives = [t for p in choose.NOT_HISTORY + choose.REQUESTS for t in choose._texts(p) if topic(t) is None]
    chosen = history_head.HistoryHead(classifier)
    looser = history_head.HistoryHead(classifier, threshold=0.5)
    alarms = [sum(h.topic(t) is not None for t in negatives) for h in (chosen, looser)]
    assert alarms[0] <= 0.01 * len(negatives) < alarms[1]
    tuning = yaml.safe_load(choose.TUNING.read_text(encoding="utf-8"))["questions"]
    missed = [(q["text"], history_head.CLASSES[q["asks"]]) for q in tuning if topic(q["text"]) is None]
    named = [chosen.topic(text) for text, _ in missed]
    assert sum(n == want for n, (_, want) in zip(named, missed, strict=True)) >= 6  # of 11 the patterns miss
    assert all(n in (None, want) for n, (_, want) in zip(named, missed, strict=True))  # never the wrong topic
