"""The eval runners work end to end on the fake model (the real-model figures come from `kickcoach eval`)."""

from kickcoach.evals import smarten, suggestions


def test_suggestions_eval_runs_every_case_through_the_pipeline(services, tmp_path):
    from kickcoach.bootstrap import prepare

    prepare(services)
    report = suggestions.run(services)
    assert len(report.cases) >= 60
    assert report.metrics["request detector accuracy"] >= 0.95
    assert report.metrics["rule compliance (not asked)"] == 1.0
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
