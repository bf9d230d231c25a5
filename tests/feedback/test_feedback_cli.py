"""``kickcoach feedback`` through typer's CliRunner on the real app (fake backend, hashing embeddings, tmp home)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from kickcoach.cli.main import app
from kickcoach.core.config import Settings
from kickcoach.services import Services


@pytest.fixture
def runner(cli_home):
    return CliRunner()


def test_json_output_has_rewrite_flags_questions_and_verdict(runner, tmp_path):
    criticism = "You're so lazy, you never answer my emails."
    result = runner.invoke(app, ["--backend", "fake", "feedback", criticism, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["rewrite"] == "I noticed that you didn't answer my emails."
    assert data["flags"] == [
        {"kind": "you_are_judgement", "text": "You're so lazy", "start": 0, "end": 14},
        {"kind": "absolute", "text": "never", "start": 20, "end": 25},
    ]
    assert data["verified"] is True and data["source"] == "template" and data["attempts"] == 2
    assert any(q.startswith("When did this happen?") for q in data["questions"])
    saved = Services(Settings(home=tmp_path / "home", _env_file=None)).pair("demo").get_record(data["record_id"])
    assert saved.data["criticism"] == criticism and saved.data["result"]["rewrite"] == data["rewrite"]


def test_request_flag_adds_a_request(runner):
    result = runner.invoke(app, ["--backend", "fake", "feedback", "You never answer my emails.", "--json", "--request"])
    assert json.loads(result.stdout)["rewrite"].endswith("Next time, could you answer my emails?")


def test_plain_output_shows_flags_rewrite_and_questions(runner):
    result = runner.invoke(app, ["--backend", "fake", "feedback", "You always interrupt me in meetings. It's so rude."])
    assert result.exit_code == 0, result.output
    assert "I noticed that you interrupted me in meetings." in result.stdout
    assert "To make it stronger, answer:" in result.stdout
    assert "absolute" in result.stderr and "label" in result.stderr and "verified" in result.stderr


def test_empty_criticism_is_a_clear_error(runner):
    result = runner.invoke(app, ["--backend", "fake", "feedback", "  "])
    assert result.exit_code != 0
    assert "There is no criticism to rephrase" in str(result.exception) + result.output
