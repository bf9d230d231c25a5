import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kickcoach.cli.main import app
from kickcoach.core.config import Settings
from kickcoach.flows.review.steps import Review
from kickcoach.services import Services

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "review_answers.yaml"
GOAL = [
    "3",
    "Talk without notes",
    "Slides again",
    "Fear of the CFO",
    "Record a run; Ask my manager",
]  # a.g1's five prompts


@pytest.fixture
def cli(cli_home):
    def run(*args: str, input: str | None = None):
        return CliRunner().invoke(app, ["review", "--pair", "demo", *args], input=input)

    return run


def reviews(tmp_path) -> list[Review]:
    svc = Services(Settings(backend="fake", embeddings="hashing", home=tmp_path / "home", _env_file=None))
    return [Review.model_validate(r.data) for r in svc.pair("demo").records("review")]


def test_answers_file_runs_the_whole_review_and_prints_the_summary(cli, tmp_path):
    result = cli("--date", "2026-11-26", "--answers", str(EXAMPLE))
    assert result.exit_code == 0, result.output
    assert "Weekly review 2026-11-26 (finished, 7 of 7 steps answered)" in result.stdout
    assert "4 of 10 queries; on the agreed path you'd be at 5.8  BEHIND" in result.stdout
    assert "Both feel the trade is fair." in result.stdout
    [review] = reviews(tmp_path)
    assert review.status == "done" and review.answers["b.g1"]["progress"] == 4.0
    assert review.answers["a.g2"]["commitments"] == ["Send the third draft to Tom by Tuesday"]
    assert set(review.coach) == {"a", "b", "summary"}


def test_json_summary_has_progress_planned_behind_commitments_and_fairness(cli):
    result = cli("--date", "2026-11-26", "--answers", str(EXAMPLE), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    goals = {(g["partner"], g["goal_id"]): g for g in data["goals"]}
    assert goals[("b", "g1")]["progress"] == 4 and goals[("b", "g1")]["planned"] == pytest.approx(5.79, abs=0.01)
    assert goals[("b", "g1")]["behind"] is True and goals[("a", "g1")]["behind"] is False
    assert [c["id"] for c in data["commitments"]["next"]] == ["a-g1-1", "a-g1-2", "a-g2-1", "b-g1-1", "b-g2-1"]
    assert data["fairness"]["a"] == {
        "gave": "SQL review and an intro to the data engineering team",
        "got": "Talk rehearsal and feedback",
        "hours": 1.5,
        "fair": "yes",
    }
    assert data["status"] == "done" and set(data["coach"]) == {"a", "b", "summary"}


def test_history_and_export(cli):
    first = json.loads(cli("--date", "2026-11-26", "--answers", str(EXAMPLE), "--json").stdout)
    history = cli("--history", "--json")
    assert history.exit_code == 0, history.output
    data = json.loads(history.stdout)
    assert [r["review_id"] for r in data["reviews"]] == [first["review_id"]]
    assert {p["series"] for p in data["chart"]} == {"actual", "planned"} and data["cadence"]["frequency"] == "weekly"
    text = cli("--history")
    assert "2026-11-26  done" in text.stdout and "Meetings:" in text.stdout
    exported = cli("--export", first["review_id"])
    assert exported.exit_code == 0 and exported.stdout.startswith("# Weekly review: Priya Shah & Tom Ellis, 2026-11-26")


def test_seed_demo_history_is_labelled(cli):
    result = cli("--seed-demo-history")
    assert result.exit_code == 0, result.output and "demo data" in result.stderr
    assert "(demo)" in cli("--history").stdout


def test_interactive_saves_as_it_goes_and_resumes_after_the_input_ends(cli, tmp_path):
    partial = "\n".join(["Both keen", *GOAL, "2"]) + "\n"  # check-in, a.g1, then a.g2's progress; then the input ends
    result = cli("--date", "2026-11-26", input=partial)
    assert result.exit_code == 0 and "Stopped. Everything answered is saved" in result.stderr
    [review] = reviews(tmp_path)
    assert review.answers["a.g1"]["commitments"] == ["Record a run", "Ask my manager"]
    assert review.drafts["a.g2"] == {"progress": "2"}  # typed, not yet a full step: kept as a draft
    rest = [
        "",
        "Article live",
        "",
        "",
        "Draft three",
        *["4", "", "", "", ""],
        ":skip",
        "SQL review",
        "Rehearsal",
        "1.5",
        "yes",
        "Rehearsal",
        "SQL review",
        "1",
        "mostly",
        "Bye",
    ]
    result = cli("--date", "2026-11-26", "--no-model", input="\n".join(rest) + "\n")
    assert result.exit_code == 0, result.output
    assert "Resuming at step 3 of 7" in result.stderr and "[2]" in result.stderr
    [review] = reviews(tmp_path)
    assert review.status == "done" and review.skipped == ["b.g2"]
    assert review.answers["a.g2"]["progress"] == 2.0 and review.answers["a.g2"]["wins"] == "Article live"
    assert review.answers["a.g1"]["progress"] == 3.0  # the first run's answers are all still there
    assert review.answers["fairness"]["b"] == {"gave": "Rehearsal", "got": "SQL review", "hours": 1.0, "fair": "mostly"}


def test_interactive_back_and_bad_numbers(cli, tmp_path):
    lines = ["", *GOAL, ":back", "", "", "", "", "", "two", "2.5"]
    result = cli("--date", "2026-11-26", "--no-model", input="\n".join(lines) + "\n")
    assert "is not a number" in result.stderr
    [review] = reviews(tmp_path)
    assert review.answers["a.g1"]["progress"] == 3.0 and review.drafts["a.g2"]["progress"] == "2.5"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--date", "26/11/2026"], "YYYY-MM-DD"),
        (["--history", "--export", "x"], "cannot be combined"),
        (["--export", "no-such-id"], "No record"),
        (["--answers", "missing.yaml"], "Cannot read the answers file"),
    ],
)
def test_mistakes_exit_2_with_the_fix(cli, args, message):
    result = cli(*args)
    assert result.exit_code == 2 and message in result.stderr


def test_a_bad_answers_file_names_the_line_and_saves_nothing(cli, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("checkin: {note: fine}\na:\n  g1:\n    progress: lots\n", encoding="utf-8")
    result = cli("--date", "2026-11-26", "--answers", str(bad))
    assert result.exit_code == 2 and "line 4" in result.stderr and "a.g1.progress" in result.stderr
    [review] = reviews(tmp_path)
    assert review.answers == {}
