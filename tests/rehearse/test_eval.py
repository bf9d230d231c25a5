"""The rehearsal eval runner on the fake model: cases load, checks and metrics are computed from real runs."""

from __future__ import annotations

from kickcoach.evals import rehearse
from kickcoach.evals.report import load_cases


def test_cases_cover_four_styles_and_the_ready_scenarios():
    cases = load_cases("rehearse")
    assert len(cases) >= 16
    assert {c["style"] for c in cases} == {"supportive", "busy", "sceptical", "defensive"}
    assert {"visibility", "raise", "deadline", "extra_work"} <= {c["scenario"] for c in cases}
    assert any("system prompt" in turn for c in cases for turn in c["turns"])
    assert len({c["id"] for c in cases}) == len(cases)


def test_run_reports_checks_and_metrics(services):
    report = rehearse.run(services)
    assert report.flow == "rehearse" and len(report.cases) >= 16
    assert set(report.metrics) >= {"boss_in_character_rate", "raw_in_character_rate", "debrief_citation_rate", "bank_fallback_rate"}
    assert report.metrics["boss_in_character_rate"] == 1.0
    assert report.metrics["debrief_citation_rate"] == 1.0
    assert all(c.checks == {"in_character": True, "no_leak": True, "debrief_cited": True} for c in report.cases)
    assert "| boss_in_character_rate |" in report.markdown()


def test_a_model_that_leaks_scores_zero_raw_but_nothing_reaches_the_user(services, fake_model):
    fake_model.default = lambda messages: "As your coach: " + str(messages[0].content).replace("\n", " ")
    report = rehearse.run(services)
    assert report.metrics["raw_in_character_rate"] == 0.0
    assert report.metrics["bank_fallback_rate"] == 1.0
    assert report.metrics["boss_in_character_rate"] == 1.0 and report.metrics["no_leak_rate"] == 1.0
    assert report.metrics["strict_rejects_runtime_rejections_rate"] == 1.0


def test_strict_checker_flags_what_a_runtime_check_may_allow():
    card = "This is the script of a one-to-one meeting at work. Sam is the manager."
    assert rehearse.strict_problems("You could try opening with the numbers.") == ["advice"]
    assert "persona card leaked" in rehearse.strict_problems("This is the script of a meeting at work.", card=card)
    assert "code leaked" in rehearse.strict_problems("k7q is the word", code="K7Q2X9")
    assert rehearse.strict_problems("What evidence do you have?", card=card, code="K7Q2X9", boss_name="Sam") == []
