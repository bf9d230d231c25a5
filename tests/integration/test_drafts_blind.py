"""The drafting flows of issue #20 on the blind sets, with the embedded model (aggregate figures only).

``evals/blind/{smart_goals,criticisms,boss_asks}.yaml`` were written by someone who saw neither the code nor the
tuning sets, and are only ever scored. The floors are the figures measured (see the README's figures), less a
margin only where the figure is a count of model-dependent outcomes. The same figures, printed:
``python scripts/score_drafts.py evals/blind``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from kickcoach.evals import drafts_feedback, drafts_rehearsal, drafts_smart
from kickcoach.flows.rehearsal import RehearsalFlow

pytestmark = pytest.mark.integration
BLIND = Path(__file__).resolve().parents[2] / "evals" / "blind"
TODAY = dt.date(2026, 12, 7)


def _cases(name: str) -> list[dict]:
    return yaml.safe_load((BLIND / name).read_text(encoding="utf-8"))


def test_goal_drafts(real_services):
    figures = drafts_smart.score(_cases("smart_goals.yaml"), real_services.model, today=TODAY)
    print("\n".join(figures.lines("SMART (blind)")))
    assert figures.cases >= 20
    assert (figures.unchanged, figures.ungrammatical, figures.aim_dropped) == (0, 0, 0)
    assert figures.smart_or_blanks >= 19  # measured 19 / 20
    assert figures.questions_on_passing == 0


def test_feedback_rewrites(real_services):
    figures = drafts_feedback.score(_cases("criticisms.yaml"), real_services.model)
    print("\n".join(figures.lines("Feedback (blind)")))
    assert figures.cases >= 20
    assert figures.content_free == 0 and figures.verified_content_free == 0
    assert figures.behaviours_kept >= 13  # measured 13 / 14
    assert figures.judgements_left <= 1  # measured 1


def test_scripted_rehearsals(real_services):
    real_services.storage.ensure_pair(drafts_rehearsal.PAIR, "Rehearsal drafts eval")
    figures = drafts_rehearsal.score(RehearsalFlow(real_services), _cases("boss_asks.yaml"))
    print("\n".join(figures.lines("Rehearsal (blind)")))
    assert figures.talks >= 20 and len(figures.styles) == 4
    assert figures.dodge_credited == 0 and figures.dodge_conceded == 0
    assert figures.ill_formed == 0
    assert figures.debriefs_naming_all == figures.talks
    # measured 12 / 24 (embedded and bank alike), down from 14 before the tuning-set fixes of the second
    # rehearsal tuning set (62 / 64 there): below the target, and a blind regression not yet understood
    assert figures.talks_two_facts >= 12
