"""The chat turn against a model server that fails: the engine's own reply stands, complete, with a one-line
note that names the fix; the user's words were saved before the model was called; nothing partial is kept."""

from __future__ import annotations

import json
import time

import pytest
from typer.testing import CliRunner

from kickcoach.core.config import Settings
from kickcoach.flows.chat import ENGINE_LABEL, CoachChat
from kickcoach.knowledge.embeddings import HashingEmbeddings
from kickcoach.llm import openai_compat
from kickcoach.services import Services
from tests.support.fake_openai import fake_openai

HANG_BOUND_S = 10.0  # with a 2 s first-token timeout: a bound on a hang, not a performance figure
MESSAGE = "My partner keeps cancelling our meetings."


@pytest.fixture(autouse=True)
def _fresh_model_checks(monkeypatch):
    monkeypatch.setattr(openai_compat, "_served", set())
    monkeypatch.setattr(openai_compat, "_unanswered", {})


def server_services(tmp_path, base_url: str) -> Services:
    settings = Settings(backend="openai:m", openai_base_url=base_url, embeddings="hashing", home=tmp_path / "home",
                        first_token_timeout_s=2, _env_file=None)
    services = Services(settings, embeddings=HashingEmbeddings())
    services.storage.ensure_pair("demo", "Demo")
    return services


def test_a_stalled_stream_leaves_the_engines_complete_reply_and_no_partial_text(tmp_path):
    partial = "PARTIAL words that must never be shown as an answer"
    with fake_openai(reply=partial, stall_after=3) as server:
        services = server_services(tmp_path, server.base_url)
        result = CoachChat(services).ask("demo", None, MESSAGE)
    assert "PARTIAL" not in result.reply and result.reply.strip()
    assert result.model == ENGINE_LABEL and not result.model_text_used and result.gate_failed == ["backend"]
    assert result.error and "stopped after 3 token(s)" in result.error and "coach's own wording" in result.error
    turns = services.pair("demo").turns(result.conversation_id)
    assert [(t.role, t.content) for t in turns] == [("user", MESSAGE), ("assistant", result.reply)]


def _cli_on_server(monkeypatch, base_url: str, first_token_s: str) -> None:
    """The CLI's settings pointed at the model server ``base_url`` as ``openai:m``."""
    from kickcoach.core.config import get_settings

    monkeypatch.setenv("KICKCOACH_BACKEND", "openai:m")
    monkeypatch.setenv("KICKCOACH_OPENAI_BASE_URL", base_url)
    monkeypatch.setenv("KICKCOACH_FIRST_TOKEN_TIMEOUT_S", first_token_s)
    get_settings.cache_clear()


def test_cli_chat_against_a_silent_server_answers_in_seconds_and_saves_the_message(cli_home, monkeypatch):
    from kickcoach.cli.main import app
    from kickcoach.core.config import get_settings

    with fake_openai(silent=True) as server:
        _cli_on_server(monkeypatch, server.base_url, first_token_s="2")
        started = time.monotonic()
        result = CliRunner().invoke(app, ["chat", "-m", MESSAGE, "--json"])
        elapsed = time.monotonic() - started
    assert result.exit_code == 1
    assert elapsed < HANG_BOUND_S
    data = json.loads(result.stdout.strip().splitlines()[-1])
    assert data["reply"] and data["model"] == ENGINE_LABEL
    assert data["error"].startswith(f"The model server (openai:m at {server.base_url}) sent nothing in 2 s")
    assert "KICKCOACH_FIRST_TOKEN_TIMEOUT_S" in data["error"] and "\n" not in data["error"]
    assert "Traceback" not in result.output
    assert server.hits == 1  # asked once, never retried
    services = Services(get_settings())
    (conversation,) = services.pair("demo").conversations()
    assert services.pair("demo").turns(conversation.id)[0].content == MESSAGE


def test_cli_chat_prints_the_reply_then_one_line_of_error(cli_home, monkeypatch):
    from kickcoach.cli.main import app

    with fake_openai(silent=True) as server:
        _cli_on_server(monkeypatch, server.base_url, first_token_s="1")
        result = CliRunner().invoke(app, ["chat", "-m", MESSAGE])
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if "model server" in line.lower() or "wording" in line]
    assert len(errors) == 1 and result.stdout.strip()  # the reply, then the error on one line
    assert "sent nothing in 1 s" in errors[0] and errors[0].rstrip().endswith("(the reply is the coach's own wording)")
