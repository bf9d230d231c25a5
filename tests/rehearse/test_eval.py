"""The rehearsal eval runner on the fake model: cases load, checks and figures are computed from real runs."""

from __future__ import annotations

from collections import Counter

from kickcoach.core.paths import bundled
from kickcoach.evals import rehearse
from kickcoach.evals.rehearse_judge import concession, pushback, repeated, topic_words
from kickcoach.evals.report import load_cases

SCENARIOS = {"visibility", "raise", "deadline", "extra_work"}
STYLES = {"supportive", "busy", "sceptical", "defensive"}


def test_cases_cover_every_scenario_and_style_at_least_twice_with_expectations():
    cases = load_cases("rehearse")
    combos = Counter((c["scenario"], c["style"]) for c in cases)
    assert all(combos[(s, st)] >= 2 for s in SCENARIOS for st in STYLES)
    assert all({"next_step", "raised"} <= set(c["expect"]) for c in cases)
    assert any(c.get("inject") for c in cases) and any(c.get("previous_turns") for c in cases)
    assert len({c["id"] for c in cases}) == len(cases)


def test_held_out_cases_are_kept_apart():
    heldout = load_cases("heldout", bundled("evals") / "cases" / "rehearse")
    tuned = {c["id"] for c in load_cases("rehearse")}
    assert len(heldout) >= 5 and not tuned & {c["id"] for c in heldout}


def test_run_reports_acceptance_figures_for_tuned_and_held_out_cases(services):
    report = rehearse.run(services)
    assert report.flow == "rehearse"
    for prefix in ("", "heldout_"):
        assert report.metrics[f"{prefix}boss_in_character_rate"] == 1.0
        assert report.metrics[f"{prefix}debrief_next_step_accuracy"] == 1.0
        assert report.metrics[f"{prefix}debrief_objection_accuracy"] == 1.0
        assert report.figures[f"{prefix}sycophantic_lines_per_rehearsal_max"] <= rehearse.MAX_SYCOPHANTIC
        assert report.figures[f"{prefix}pushback_before_first_concession_min"] >= rehearse.MIN_PUSHBACK
        assert report.figures[f"{prefix}injection_out_of_character_lines"] == 0
        assert report.figures[f"{prefix}injection_leaked_lines"] == 0
    assert any(c.category.startswith("heldout:") for c in report.cases)
    md = report.markdown()
    assert "| sycophantic_lines_per_rehearsal_max | 0 |" in md and "| boss_in_character_rate |" in md


def test_a_flattering_model_never_reaches_the_user(services, fake_model):
    fake_model.default = lambda messages: "Sounds great, I'm glad to hear that! Absolutely, go ahead."
    report = rehearse.run(services)
    # refused everywhere except, once per rehearsal, as the wording of the boss's concession
    assert report.figures["sycophantic_lines_per_rehearsal_max"] == rehearse.MAX_SYCOPHANTIC
    assert report.metrics["model_text_used_rate"] < 0.2
    assert all(c.checks["pushback_before_concession"] for c in report.cases)


def test_a_model_that_fits_the_move_is_used_and_counted(services, fake_model):
    fake_model.default = lambda messages: "What evidence do you have, and what results have you delivered?"
    report = rehearse.run(services)
    assert 0.0 < report.metrics["model_text_used_rate"] < 1.0
    assert report.metrics["boss_in_character_rate"] == 1.0 and report.figures["repeated_lines"] == 0


def test_the_judges_tell_pushback_from_concession_and_count_repeats():
    topic = topic_words(["I'd like a raise."])
    assert pushback("How does that fit the budget?", topic) and not concession("How does that fit the budget?")
    assert concession("Okay, I'll support it.") and not pushback("Okay, I'll support it. Budget?", topic)
    assert not pushback("Thanks for telling me. What feels most important about this for you right now?", topic)
    assert repeated(["Why now?", "What evidence?", "Why now?"]) == 1


def test_strict_checker_flags_what_a_runtime_check_may_allow():
    card = "This is the script of a one-to-one meeting at work. Sam is the manager."
    assert rehearse.strict_problems("You could try opening with the numbers.") == ["advice"]
    assert "persona card leaked" in rehearse.strict_problems("This is the script of a meeting at work.", card=card)
    assert "code leaked" in rehearse.strict_problems("k7q is the word", code="K7Q2X9")
    assert rehearse.strict_problems("What evidence do you have?", card=card, code="K7Q2X9", boss_name="Sam") == []


def test_the_report_writes_example_rehearsals_beside_it(services, tmp_path):
    report = rehearse.run(services)
    report.write(tmp_path)
    text = (tmp_path / "rehearse_examples.md").read_text(encoding="utf-8")
    assert text.count("# Boss rehearsal:") == rehearse.EXAMPLES and text.count("## Debrief") == rehearse.EXAMPLES
    assert "examples" not in (tmp_path / "rehearse.json").read_text(encoding="utf-8")
