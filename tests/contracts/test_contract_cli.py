import json

import pytest
from typer.testing import CliRunner

from kickcoach.cli.main import app
from kickcoach.contracts.files import demo_contract, dump_yaml


@pytest.fixture
def runner(cli_home):
    return CliRunner()


def test_import_export_round_trip_is_byte_identical(runner, tmp_path):
    text = dump_yaml(demo_contract().model_copy(update={"pair_id": "priya-tom"}))
    path = tmp_path / "c.yaml"
    path.write_text(text)
    imported = runner.invoke(app, ["contract", "import", str(path)])
    assert imported.exit_code == 0, imported.output
    assert imported.stdout.strip() == "priya-tom"
    exported = runner.invoke(app, ["contract", "export", "priya-tom", "--format", "yaml"])
    assert exported.stdout == text
    listed = runner.invoke(app, ["contract", "list"]).stdout
    assert "priya-tom" in listed and "demo" in listed


def test_markdown_and_ics_exports(runner):
    md = runner.invoke(app, ["contract", "export", "demo", "--format", "md"]).stdout
    assert md.startswith("#") and "Priya" in md and "Tom" in md
    ics = runner.invoke(app, ["contract", "export", "demo", "--format", "ics"]).stdout
    assert "BEGIN:VCALENDAR" in ics and "RRULE:FREQ=WEEKLY" in ics


def test_malformed_file_names_field_and_line_and_changes_nothing(runner, tmp_path):
    before = runner.invoke(app, ["contract", "export", "demo"]).stdout
    bad = before.replace("deadline: 2027-01-28", "deadline: next-ish", 1)
    assert bad != before
    path = tmp_path / "bad.yaml"
    path.write_text(bad)
    result = runner.invoke(app, ["contract", "import", str(path)])
    assert result.exit_code != 0
    message = str(result.exception)
    line = next(i for i, text in enumerate(bad.splitlines(), 1) if "next-ish" in text)
    assert "deadline" in message and str(line) in message
    assert runner.invoke(app, ["contract", "export", "demo"]).stdout == before


def test_check_json_gives_every_criterion_per_goal(runner):
    rows = json.loads(runner.invoke(app, ["contract", "check", "demo", "--json"]).stdout)
    assert len(rows) == 4
    assert all(set(r["criteria"]) == {"specific", "measurable", "achievable", "relevant", "time_bound"} for r in rows)


def test_signing_by_both_partners(runner):
    assert "status: draft" in runner.invoke(app, ["contract", "sign", "demo", "--partner", "a"]).stdout
    assert "status: signed" in runner.invoke(app, ["contract", "sign", "demo", "--partner", "b"]).stdout
    again = runner.invoke(app, ["contract", "sign", "demo", "--partner", "b"])
    assert again.exit_code != 0


def test_smarten_json_grow_my_network_has_number_and_deadline(runner):
    result = runner.invoke(app, ["smarten", "Grow my network.", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert any(ch.isdigit() for ch in data["goal"]) and data["deadline"]
    assert set(data) >= {"goal", "what", "how", "target", "deadline", "indicators", "criteria", "questions"}
