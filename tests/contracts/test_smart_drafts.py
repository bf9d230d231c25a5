"""Goal drafts in the person's own words (issue #20): blanks when the numbers are theirs, the aim kept, good English.

The tuning figures are pinned here on the template path (what the embedded model falls back to); the blind set is
scored in ``tests/integration/test_drafts_blind.py``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from kickcoach.contracts import check_goal
from kickcoach.evals.drafts_smart import grammar_problems, score
from kickcoach.flows.smarten import smarten
from kickcoach.flows.smarten.blanks import filled, own_goal

TODAY = dt.date(2026, 12, 7)
TUNING = Path(__file__).resolve().parents[2] / "evals" / "tuning" / "smart_goals.yaml"


def test_the_tuning_figures_hold():
    cases = yaml.safe_load(TUNING.read_text(encoding="utf-8"))
    assert len(cases) >= 20
    figures = score(cases, None, today=TODAY)
    assert (figures.unchanged, figures.ungrammatical, figures.aim_dropped) == (0, 0, 0)
    assert figures.smart_or_blanks == figures.cases  # each passes, or passes once its blanks are filled
    assert figures.questions_on_passing == 0
    assert figures.with_blanks >= figures.cases // 2  # most vague goals need the person's own numbers


def test_the_issue_examples():
    sales = smarten(None, "I'd like to improve my sales numbers.", today=TODAY)
    assert sales.goal == "Improve my sales numbers from [now] to [target] by 1 March 2027, tracking it every week."
    assert sales.blanks == ["[now]", "[target]"]
    assert sales.questions == ["What is the figure today?", "What figure do you want to reach by 1 March 2027?"]
    run = smarten(None, "Get fit enough to run", today=TODAY)
    assert run.goal.startswith("Get fit enough to run: ") and run.passed and run.questions == []
    for vague in ("Get promoted.", "Be more organized at work.", "Become more confident with my boss."):
        result = smarten(None, vague, today=TODAY)
        assert result.goal.rstrip(".") != vague.rstrip(".") and result.goal.startswith(vague.rstrip("."))
        assert len(result.questions) == len(result.blanks) > 0
        assert check_goal(filled(result.goal), today=TODAY).passed


@pytest.mark.parametrize(
    ("said", "goal"),
    [
        ("I'd like to improve my sales numbers.", "improve my sales numbers"),
        ("I'm bad at saying no", "get better at saying no"),
        ("More confidence in meetings", "have more confidence in meetings"),
        ("a promotion", "get a promotion"),
        ("My goal is to speak up more", "speak up more"),
        ("public speaking", "work on public speaking"),
    ],
)
def test_the_persons_goal_starts_with_their_verb(said, goal):
    assert own_goal(said) == goal


@pytest.mark.parametrize(
    "bad",
    [
        "Complete practice exercises in financial planning business",  # cut off: no full stop
        "Improve my sales by 1 March 2027 by 2 April 2027.",
        "Improve my sales from [now] to [target] by 1 March 2027",
        "Improve my sales with for my team.",
        "Improve my sales from [soon] to [target].",
        "Improve the the sales.",
        "Sales numbers up by 1 March 2027.",
    ],
)
def test_the_grammar_check_catches_broken_drafts(bad):
    assert grammar_problems(bad)


def test_a_good_draft_has_no_grammar_problems():
    assert grammar_problems("Publish 4 articles of at least 800 words by 1 February 2027.") == []


@pytest.mark.parametrize(("said", "subject"), [("Finally learn Spanish!", "in Spanish by"), ("Really learn SQL", "in SQL by")])
def test_an_adverb_is_never_the_subject_of_a_learning_goal(said, subject):
    draft = smarten(None, said, today=TODAY)
    assert subject in draft.goal and "Finally" not in draft.goal.split(":", 1)[-1] and "Really" not in draft.goal
