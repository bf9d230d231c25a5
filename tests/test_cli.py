import json

import pytest
from typer.testing import CliRunner

from kickcoach.cli.main import app


@pytest.fixture
def cli_env(cli_home):
    return cli_home


def test_chat_json_has_reply_sources_model_latency(cli_env):
    result = CliRunner().invoke(app, ["chat", "-m", "How often should peer mentors meet?", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout.strip().splitlines()[-1])
    assert data["reply"] and data["model"] == "coach-engine" and data["latency_s"] >= 0
    assert {"source": "meetings-and-follow-up.md"}.items() <= data["sources"][0].items() or any(
        s["source"] == "meetings-and-follow-up.md" for s in data["sources"]
    )


def test_chat_continues_a_conversation(cli_env):
    runner = CliRunner()
    first = json.loads(runner.invoke(app, ["chat", "-m", "Hello", "--json"]).stdout.strip().splitlines()[-1])
    second = runner.invoke(app, ["chat", "-m", "Again", "--json", "--conversation", first["conversation_id"]])
    assert json.loads(second.stdout.strip().splitlines()[-1])["conversation_id"] == first["conversation_id"]


def test_guard_commands_print_json_lines(cli_env):
    runner = CliRunner()
    out = runner.invoke(app, ["guard", "classify"], input="You should try journaling.\nWhat have you tried so far?\n")
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert [r["is_suggestion"] for r in rows] == [True, False]
    asked = runner.invoke(app, ["guard", "asked", "What should I do about my boss?"])
    assert json.loads(asked.stdout) == {"message": "What should I do about my boss?", "asked": True}
    batch = runner.invoke(app, ["guard", "asked"], input="any tips?\nI just want to vent.\n")
    assert [json.loads(line)["asked"] for line in batch.stdout.splitlines()] == [True, False]


def test_bad_backend_setting_is_a_clear_error(cli_env, monkeypatch):
    from kickcoach.core.config import get_settings

    monkeypatch.setenv("KICKCOACH_BACKEND", "gpt-banana")
    get_settings.cache_clear()
    result = CliRunner().invoke(app, ["chat", "-m", "hi"])
    assert result.exit_code != 0
    assert "unknown backend" in str(result.exception) or "unknown backend" in result.output


def test_structured_attempts_default_by_backend():
    from kickcoach.core.config import Settings

    assert Settings(backend="embedded", _env_file=None).attempts == 1
    assert Settings(backend="openai:gpt-4o-mini", _env_file=None).attempts == 2
    assert Settings(backend="embedded", structured_attempts=3, _env_file=None).attempts == 3
