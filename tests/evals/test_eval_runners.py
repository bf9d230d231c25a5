"""The eval runners work end to end on the fake model (the real-model figures come from `kickcoach eval`)."""

from kickcoach.evals import smarten, suggestions


def test_suggestions_eval_runs_every_case_through_the_pipeline(services, tmp_path):
    from kickcoach.bootstrap import prepare

    prepare(services)
    report = suggestions.run(services)
    assert len(report.cases) >= 60
    assert report.metrics["request detector accuracy"] >= 0.95
    # 40 of 42: two reflections of the person's own "I should…"/"I need to…" ("It sounds like you need to figure
    # this one out yourself") read as advice to the strict detector; a known defect of the reflections (release 3).
    assert report.metrics["rule compliance (not asked)"] >= 0.95
    assert report.metrics["helpfulness (asked)"] >= 0.9
    md, js = report.write(tmp_path)
    assert "rule compliance" in md.read_text() and js.read_text().startswith("{")


def test_smarten_eval_recomputes_the_verdicts(services):
    report = smarten.run(services)
    assert len(report.cases) >= 20
    assert report.metrics["pass or return the exact questions"] == 1.0
    assert report.metrics["no cop-out (placeholder actions)"] == 1.0
    main = [c for c in report.cases if not c.id.startswith("ho-")]
    assert sum(c.checks["passes"] for c in main) >= 0.5 * len(main)
    assert all(c.passed for c in report.cases), [c.id for c in report.cases if not c.passed]


def test_a_judged_case_passes_only_when_its_required_checks_pass() -> None:
    from kickcoach.evals.report import CaseResult

    case = {"id": "c1", "category": "vague"}
    checks = {"passes": False, "asks": True}
    assert CaseResult.judged(case, checks, {}).passed is False
    judged = CaseResult.judged(case, checks, {"x": 1}, informational=("passes",))
    assert (judged.passed, judged.category, judged.detail) == (True, "vague", {"x": 1})
    assert CaseResult.judged(case, checks, {}, category="model").category == "model"
    assert CaseResult.judged({"id": "c2"}, {"asks": False}, {}, informational=("passes",)).passed is False
