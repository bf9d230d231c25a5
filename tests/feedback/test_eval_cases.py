"""The deterministic path on every eval case: verified, behaviour kept, nothing attacking left."""

from __future__ import annotations

import pytest

from kickcoach.evals.feedback import kept_keywords, run
from kickcoach.evals.report import load_cases
from kickcoach.flows.feedback import detect, grammar_problems, template

ALL_CASES = load_cases("feedback")
# Held-out cases (ids "ho-…") measure the flow; rules are never tuned to them, so only the honesty
# principle is asserted on them, not a verified rewrite.
CASES = [c for c in ALL_CASES if not c["id"].startswith("ho-")]
HELD_OUT = [c for c in ALL_CASES if c["id"].startswith("ho-")]


def test_there_are_enough_person_focused_cases():
    assert len(CASES) >= 32
    assert len({c["id"] for c in CASES}) == len(CASES)
    assert all(detect(c["criticism"]) for c in CASES), "every case attacks the person somehow"
    assert len({c["category"] for c in CASES}) >= 6


def test_the_held_out_set_is_there_and_separate():
    assert len(HELD_OUT) >= 20
    assert not {c["criticism"] for c in HELD_OUT} & {c["criticism"] for c in CASES}


@pytest.mark.parametrize("case", ALL_CASES, ids=[c["id"] for c in ALL_CASES])
def test_every_rewrite_shown_is_grammatical_and_judges_nobody(case):
    result = template(case["criticism"])
    assert detect(result.rewrite) == []
    assert grammar_problems(result.rewrite) == []
    if not result.verified:
        assert result.questions, "an unverified rewrite comes with the questions that would fix it"


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_template_rewrite_is_verified_and_keeps_the_behaviour(case):
    result = template(case["criticism"])
    assert result.verified, result.problems
    assert detect(result.rewrite) == []
    assert kept_keywords(case["behaviour_keywords"], result.rewrite) == []


def test_the_eval_runner_reports_every_case(services, fake_model):
    fake_model.default = "I can't help with that."  # never JSON: every case takes the template path
    report = run(services)
    assert len(report.cases) == len(ALL_CASES)
    assert report.metrics["no_attack_left"] == 1.0 and report.metrics["grammatical"] == 1.0
    assert report.metrics["model_wording"] == 0.0
    main = [c for c in report.cases if not c.id.startswith("ho-")]
    assert all(c.passed for c in main)
    first = report.cases[0]
    assert set(first.checks) == {"verified", "keeps_behaviour", "no_attack_left", "grammatical"}
    assert (
        first.detail["before"] == CASES[0]["criticism"]
        and first.detail["after"]
        and first.detail["source"] == "template"
    )
    assert "| grammatical | 100.0% |" in report.markdown()
