"""`kickcoach programme …` end to end with the fake model and hashing embeddings."""

import json

import pytest
from typer.testing import CliRunner

from kickcoach.cli.main import app


@pytest.fixture
def runner(cli_home):
    return CliRunner()


def run(runner, *args):
    result = runner.invoke(app, ["programme", *args])
    return result


def test_create_import_match_publish_dashboard(runner, tmp_path, small_csv):
    assert "agreement due 2027-02-01" in run(runner, "create", "Spring 2027", "--today", "2027-01-04").stdout
    csv = tmp_path / "cohort.csv"
    csv.write_text(small_csv)
    assert "4 new" in run(runner, "import", "Spring 2027", str(csv)).stdout
    result = run(runner, "match", "Spring 2027", "--json")
    data = json.loads(result.stdout)
    assert {frozenset((p["a"], p["b"])) for p in data["pairs"]} == {
        frozenset({"ada@example.org", "ben@example.org"}), frozenset({"chloe@example.org", "dev@example.org"})}
    assert all({"a", "b", "score", "why"} <= set(p) for p in data["pairs"]) and data["unpaired"] == []
    assert {"a_meets_b", "b_meets_a"} == set(data["pairs"][0]["why"])
    published = run(runner, "publish", "spring-2027", "--today", "2027-01-04")
    assert published.exit_code == 0 and published.stdout.count("agreement due") == 2
    assert run(runner, "respond", "spring-2027", "ada@example.org", "accept").exit_code == 0
    out = tmp_path / "board.csv"
    board = run(runner, "dashboard", "spring-2027", "--json", "--csv", str(out), "--today", "2027-02-10")
    metrics = json.loads(board.stdout)["metrics"]
    assert metrics["pairs"] == 2 and metrics["at_risk"] == 2 and out.read_text().startswith("pair_id,")
    ics = tmp_path / "nudges.ics"
    nudges = run(runner, "nudges", "spring-2027", "--json", "--ics", str(ics), "--today", "2027-02-10")
    assert any(n["kind"] == "agreement" and n["overdue"] for n in json.loads(nudges.stdout))
    assert ics.read_text().startswith("BEGIN:VCALENDAR")


def test_a_bad_csv_names_line_and_column_and_imports_nothing(runner, tmp_path, small_csv):
    run(runner, "create", "Spring 2027")
    csv = tmp_path / "bad.csv"
    csv.write_text(small_csv + "Eve,eve@example.org,T,boss@nowhere.org,x,y\n")
    result = run(runner, "import", "Spring 2027", str(csv))
    assert result.exit_code != 0
    assert "line 6, column manager" in str(result.exception) and "nothing was imported" in str(result.exception)
    assert json.loads(run(runner, "participants", "Spring 2027", "--json").stdout) == []


def test_example_csv_imports_cleanly(runner, tmp_path):
    run(runner, "create", "Demo")
    csv = tmp_path / "demo.csv"
    csv.write_text(run(runner, "example-csv", "--size", "12").stdout)
    assert "12 new" in run(runner, "import", "Demo", str(csv)).stdout
