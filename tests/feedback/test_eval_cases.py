"""The deterministic path on every eval case: verified, behaviour kept, nothing attacking left."""

from __future__ import annotations

import pytest

from kickcoach.evals.feedback import kept_keywords, run
from kickcoach.evals.report import load_cases
from kickcoach.flows.feedback import detect, template

CASES = load_cases("feedback")


def test_there_are_enough_person_focused_cases():
    assert len(CASES) >= 32
    assert len({c["id"] for c in CASES}) == len(CASES)
    assert all(detect(c["criticism"]) for c in CASES), "every case attacks the person somehow"
    assert len({c["category"] for c in CASES}) >= 6


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_template_rewrite_is_verified_and_keeps_the_behaviour(case):
    result = template(case["criticism"])
    assert result.verified, result.problems
    assert detect(result.rewrite) == []
    assert kept_keywords(case["behaviour_keywords"], result.rewrite) == []


def test_the_eval_runner_reports_every_case(services, fake_model):
    fake_model.default = "I can't help with that."  # never JSON: every case takes the template path
    report = run(services)
    assert len(report.cases) == len(CASES)
    assert report.metrics == {"verified": 1.0, "keeps_behaviour": 1.0, "no_attack_left": 1.0, "model_wording": 0.0}
    first = report.cases[0]
    assert set(first.checks) == {"verified", "keeps_behaviour", "no_attack_left"}
    assert (
        first.detail["before"] == CASES[0]["criticism"]
        and first.detail["after"]
        and first.detail["source"] == "template"
    )
    assert "| verified | 100.0% |" in report.markdown()
