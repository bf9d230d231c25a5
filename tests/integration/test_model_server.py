"""The ``openai:<model>`` backend against a real OpenAI-compatible server: llama-cpp-python's own
(``llama_cpp.server``) serving the bundled SmolLM2 GGUF on loopback, one server for the session.

Streaming, structured output (the server rejects ``json_schema``: the ladder steps down once and remembers),
errors, and every flow end to end through the CLI with no traceback. Retrieval uses hashing embeddings
here: the server is what is under test, and MiniLM indexing would double this module's time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from langchain_core.messages import HumanMessage
from pydantic import BaseModel
from typer.testing import CliRunner

from kickcoach.core.config import Settings
from kickcoach.core.errors import BackendUnavailable, ConfigError
from kickcoach.llm import build_chat_model, formats, openai_compat
from kickcoach.llm.structured import structured_call
from tests.support.llama_server import LlamaServer, free_port, missing_server_modules, start_llama_server

pytestmark = pytest.mark.integration
# SmolLM2 on 2 shared cores: short answers, no re-asks, and a first-token wait that a loaded CI machine
# cannot trip (the timeouts themselves are tested on loopback fakes in tests/llm/test_server_faults.py)
QUICK = {"KICKCOACH_MAX_TOKENS": "60", "KICKCOACH_STRUCTURED_ATTEMPTS": "1", "KICKCOACH_FIRST_TOKEN_TIMEOUT_S": "60"}


@pytest.fixture(scope="session")
def llama_server(tmp_path_factory) -> Iterator[LlamaServer]:
    missing = missing_server_modules()
    if missing:
        pytest.skip(f"llama_cpp.server needs {', '.join(missing)} (pip install 'llama-cpp-python[server]')")
    server = start_llama_server(tmp_path_factory.mktemp("llama-server"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def server_home(tmp_path_factory) -> Path:
    """One data folder for the CLI flows, indexed and with the turn classifier fitted (what a user's second
    run finds), so each test pays for its flow and the server, not for first-run set-up."""
    from kickcoach.bootstrap import prepare
    from kickcoach.flows.chat import CoachChat
    from kickcoach.services import Services

    home = tmp_path_factory.mktemp("server-home")
    services = Services(Settings(backend="fake", embeddings="hashing", home=home, _env_file=None))
    prepare(services)
    CoachChat(services).ask("demo", None, "Hello")  # fits and caches the classifier's heads in the home
    return home


@pytest.fixture
def server_settings(llama_server, tmp_path) -> Settings:
    return Settings(backend=f"openai:{llama_server.model}", openai_base_url=llama_server.base_url, embeddings="hashing",
                    home=tmp_path / "home", max_tokens=40, first_token_timeout_s=60, _env_file=None)


@pytest.fixture
def server_cli(llama_server, server_home, cli_home, monkeypatch) -> Path:
    """CLI environment for the server backend (the shared home, hashing embeddings, short answers)."""
    from kickcoach.core.config import get_settings

    monkeypatch.setenv("KICKCOACH_HOME", str(server_home))
    monkeypatch.setenv("KICKCOACH_BACKEND", f"openai:{llama_server.model}")
    monkeypatch.setenv("KICKCOACH_OPENAI_BASE_URL", llama_server.base_url)
    for key, value in QUICK.items():
        monkeypatch.setenv(key, value)
    get_settings.cache_clear()
    formats.forget()
    return server_home


def run_cli(*args: str) -> dict:
    from kickcoach.cli.main import app

    result = CliRunner().invoke(app, [*args, "--json"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output, result.output
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_streaming_chat_arrives_in_pieces(server_settings):
    chunks = [str(c.content) for c in build_chat_model(server_settings).stream([HumanMessage("Say hello.")])]
    assert len([c for c in chunks if c]) > 1 and "".join(chunks).strip()


def test_structured_output_steps_down_once_to_the_servers_schema_grammar(server_settings):
    class Pet(BaseModel):
        name: str
        legs: int

    formats.forget()
    model = build_chat_model(server_settings)
    result = structured_call(model, [HumanMessage("Describe a cat as JSON with name and legs.")], Pet, attempts=1)
    assert result.ok and isinstance(result.value, Pet)
    assert formats.chosen(model) == "json_object+schema"  # llama_cpp.server refused json_schema
    saved = json.loads((server_settings.home / "cache" / "model-servers.json").read_text())
    assert saved["servers"][0]["rung"] == "json_object+schema"


def test_an_unknown_model_is_named_with_the_servers_models(server_settings, monkeypatch):
    monkeypatch.setattr(openai_compat, "_served", set())
    monkeypatch.setattr(openai_compat, "_unanswered", {})
    wrong = server_settings.model_copy(update={"backend": "openai:gpt-9"})
    with pytest.raises(ConfigError, match=r"no model 'gpt-9' \(it serves: smollm2\)"):
        build_chat_model(wrong).invoke("Hello")


def test_a_server_that_is_down_is_a_clear_error(server_settings):
    down = server_settings.model_copy(update={"openai_base_url": f"http://127.0.0.1:{free_port()}/v1"})
    with pytest.raises(BackendUnavailable, match="Cannot reach the model server"):
        build_chat_model(down).invoke("Hello")


def test_cli_chat_one_shot_in_a_fresh_process(llama_server, server_home):
    env = {**os.environ, **QUICK, "KICKCOACH_HOME": str(server_home), "KICKCOACH_EMBEDDINGS": "hashing",
           "KICKCOACH_BACKEND": f"openai:{llama_server.model}", "KICKCOACH_OPENAI_BASE_URL": llama_server.base_url}
    proc = subprocess.run([sys.executable, "-m", "kickcoach.cli.main", "chat", "-m", "My partner keeps cancelling our meetings.",
                           "--json"], capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    assert data["reply"].strip() and data["error"] is None


def test_cli_smarten(server_cli):
    data = run_cli("smarten", "Grow my network.")
    assert data["goal"] and data["attempts"] >= 1  # the server answered (a backend failure makes no attempt)
    assert data["source"] in ("model", "template")


def test_cli_feedback(server_cli):
    data = run_cli("feedback", "You are always late to our meetings.")
    assert data["rewrite"] and data["attempts"] >= 1


def test_cli_review(server_cli, tmp_path):
    answers = tmp_path / "answers.yaml"
    answers.write_text(
        "checkin: {note: Both keen.}\n"
        "a:\n  g1: {progress: 3, wins: Talk without notes, commitments: [Record a run]}\n  g2: {progress: 2, blockers: Procrastination}\n"
        "b:\n  g1: {progress: 3}\n  g2: skip\n"
        "fairness:\n  a: {fair: yes}\n  b: {fair: mostly}\nsummary: {note: Done}\n",
        encoding="utf-8",
    )
    data = run_cli("review", "--pair", "demo", "--date", "2026-11-26", "--answers", str(answers))
    assert data["status"] == "done" and data["coach"]
    assert all(line["text"] for line in data["coach"].values())


def test_cli_rehearse(server_cli, tmp_path):
    turns = tmp_path / "turns.txt"
    turns.write_text("I'd like to discuss my salary.\nI cut reporting time from six hours to two.\n", encoding="utf-8")
    data = run_cli("rehearse", "--scenario", "raise", "--style", "busy", "--turns", str(turns))
    boss = [line for line in data["transcript"] if line["role"] == "boss"]
    assert len(boss) >= 2 and all(line["text"] for line in boss)
