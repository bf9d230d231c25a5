"""``kickcoach rehearse`` through typer's CliRunner on the real app (fake backend, hashing embeddings, tmp home)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from kickcoach.cli.main import app


@pytest.fixture
def runner(cli_home):
    return CliRunner()


def test_list_names_scenarios_and_styles(runner):
    result = runner.invoke(app, ["rehearse", "--list"])
    assert result.exit_code == 0, result.output
    for name in ("visibility", "raise", "deadline", "extra_work", "custom", "supportive", "busy", "sceptical", "defensive"):
        assert name in result.output
    data = json.loads(runner.invoke(app, ["rehearse", "--list", "--json"]).stdout)
    assert {s["id"] for s in data["styles"]} == {"supportive", "busy", "sceptical", "defensive"}


def test_turns_file_plays_the_scene_and_prints_transcript_and_debrief_as_json(runner, tmp_path):
    turns = tmp_path / "turns.txt"
    turns.write_text(
        "I'd like to discuss my salary.\n\nI'm asking for 6% because I cut reporting time from six hours to two.\n"
        "Can we follow up next Friday?\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["rehearse", "--scenario", "raise", "--style", "sceptical", "--turns", str(turns), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    roles = [line["role"] for line in data["transcript"]]
    assert roles == ["boss", "user", "boss", "user", "boss", "user", "boss"]  # /end implied, blank line skipped
    assert data["transcript"][1]["text"] == "I'd like to discuss my salary."
    user_lines = [line["text"] for line in data["transcript"] if line["role"] == "user"]
    assert data["debrief"] and all(set(p) == {"point", "evidence"} for p in data["debrief"])
    assert all(any(p["evidence"] in u for u in user_lines) for p in data["debrief"])

    exported = runner.invoke(app, ["rehearse", "--export", data["rehearsal_id"]])
    assert exported.exit_code == 0 and exported.stdout.startswith("# Boss rehearsal: A raise")


def test_turns_after_end_are_follow_ups_and_plain_output_is_readable(runner, tmp_path):
    turns = tmp_path / "turns.txt"
    turns.write_text("It has been a long year.\n/end\nany tips?\n", encoding="utf-8")
    result = runner.invoke(app, ["rehearse", "--scenario", "deadline", "--style", "busy", "--turns", str(turns)])
    assert result.exit_code == 0, result.output
    assert "Sam (boss) › I've got five minutes — what do you need from me?" in result.stdout
    assert "you › It has been a long year." in result.stdout
    assert "Not seen this time" in result.stdout
    assert "coach › Some suggestions for the real conversation" in result.stdout


def test_interactive_session_reads_stdin_and_ends_with_a_debrief_on_eof(runner):
    result = runner.invoke(app, ["rehearse", "--scenario", "visibility", "--style", "supportive"], input="I'd like to present the Q3 results.\n")
    assert result.exit_code == 0, result.output
    assert "Sam › Hi, come in. What did you want to talk about?" in result.stdout
    assert "What went well" in result.stdout


def test_level_and_replay_from_the_command_line(runner, tmp_path):
    turns = tmp_path / "turns.txt"
    turns.write_text("I'd like a 6% raise.\n", encoding="utf-8")
    first = json.loads(runner.invoke(app, ["rehearse", "--scenario", "raise", "--style", "busy", "--turns", str(turns), "--json"]).stdout)
    assert (first["level"], first["attempt"]) == ("normal", 1)
    again = runner.invoke(app, ["rehearse", "--replay", first["rehearsal_id"], "--turns", str(turns), "--json"])
    assert again.exit_code == 0, again.output
    data = json.loads(again.stdout)
    assert (data["level"], data["attempt"]) == ("hard", 2)
    assert any("last time in turn 1" in p["point"] for p in data["debrief"])
    assert data["outcome"]["next_step"] == "none"


def test_lines_after_the_boss_ends_the_talk_are_skipped_but_follow_ups_are_kept(runner, tmp_path):
    turns = tmp_path / "turns.txt"
    turns.write_text("Hi.\nIt's about the report.\nThings are hectic.\nI'd like to move it.\n/end\nany tips?\n", encoding="utf-8")
    result = runner.invoke(app, ["rehearse", "--scenario", "deadline", "--style", "busy", "--level", "hard", "--turns", str(turns), "--json"])
    data = json.loads(result.stdout)
    said = [line["text"] for line in data["transcript"] if line["role"] == "user"]
    assert said == ["Hi.", "It's about the report."]  # hard busy: patience 2, then the boss left
    assert data["outcome"]["ended_by_boss"] and data["followups"][-1]["text"].startswith("Some suggestions")


def test_bad_input_is_a_clear_error(runner, tmp_path):
    result = runner.invoke(app, ["rehearse", "--scenario", "promotion"])
    assert "Unknown scenario" in str(result.exception) and "visibility" in result.exception.fix
    missing = runner.invoke(app, ["rehearse", "--scenario", "raise", "--turns", str(tmp_path / "nope.txt")])
    assert "Cannot read the turns file" in str(missing.exception)
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n", encoding="utf-8")
    assert "has no lines" in str(runner.invoke(app, ["rehearse", "--scenario", "raise", "--turns", str(empty)]).exception)
    assert "Name a scenario" in str(runner.invoke(app, ["rehearse"]).exception)



def test_the_boss_in_your_own_words_picks_the_style(runner, tmp_path):
    turns = tmp_path / "turns.txt"
    turns.write_text("I'd like to lead the vendor audit.\n", encoding="utf-8")
    result = runner.invoke(
        app,
        ["rehearse", "--describe", "lead the vendor audit", "--boss", "always rushing between meetings",
         "--turns", str(turns), "--json"],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["transcript"][0]["text"] == "I've got five minutes — what do you need from me?"  # the busy boss
