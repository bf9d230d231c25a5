"""Structured output degrades down the ladder (JSON schema → schema grammar → JSON mode → prompt) on a fake
OpenAI-compatible server on loopback, and the rung a server accepts is chosen once and remembered."""

from __future__ import annotations

import json

import pytest
from langchain_core.messages import HumanMessage, SystemMessage
from pydantic import BaseModel

from kickcoach.core.config import Settings
from kickcoach.llm import formats
from kickcoach.llm.fake import FakeChatModel
from kickcoach.llm.openai_compat import build_openai
from kickcoach.llm.structured import structured_call
from tests.support.fake_openai import fake_openai

PROMPT = [SystemMessage(content="You write goals."), HumanMessage(content="A goal, please.")]
REPLY = '{"goal": "Publish 4 posts", "target": 4}'


class Goal(BaseModel):
    goal: str
    target: int


@pytest.fixture(autouse=True)
def _forget_rungs():
    formats.forget()
    yield
    formats.forget()


def server_model(tmp_path, base_url: str, *, home_name: str = "home"):
    settings = Settings(backend="openai:m", openai_base_url=base_url, home=tmp_path / home_name, _env_file=None)
    return build_openai(settings, "m")


def test_a_server_that_accepts_json_schema_stays_on_the_first_rung(tmp_path):
    with fake_openai(reply=REPLY) as server:
        model = server_model(tmp_path, server.base_url)
        assert structured_call(model, PROMPT, Goal).value == Goal(goal="Publish 4 posts", target=4)
        assert structured_call(model, PROMPT, Goal).ok
    assert server.forms == ["json_schema", "json_schema"]
    assert not (tmp_path / "home" / "cache" / "model-servers.json").exists()  # nothing to remember


def test_a_server_that_rejects_json_schema_gets_the_schema_grammar_and_it_is_remembered(tmp_path):
    with fake_openai(reply=REPLY, refuse={"json_schema"}) as server:
        model = server_model(tmp_path, server.base_url)
        assert structured_call(model, PROMPT, Goal).ok
        assert server.forms == ["json_schema", "json_object+schema"]
        assert structured_call(model, PROMPT, Goal).ok
        assert server.forms[2:] == ["json_object+schema"]  # the second call makes no failed request
    assert formats.chosen(model) == "json_object+schema"


def test_a_server_that_rejects_every_format_gets_the_schema_in_the_prompt(tmp_path):
    refuse = {"json_schema", "json_object+schema", "json_object"}
    with fake_openai(reply=REPLY, refuse=refuse, refusal_status=400) as server:
        model = server_model(tmp_path, server.base_url)
        result = structured_call(model, PROMPT, Goal)
        assert result.ok and result.attempts == 1
        assert server.forms == ["json_schema", "json_object+schema", "json_object", "prompt"]
        plain = server.requests[-1]["body"]
        assert "response_format" not in plain
        system = plain["messages"][0]
        assert system["role"] == "system" and system["content"].startswith("You write goals.")
        assert '"target"' in system["content"] and "JSON schema" in system["content"]
        assert structured_call(model, PROMPT, Goal).ok
        assert server.forms[4:] == ["prompt"]


def test_json_mode_without_a_schema_carries_the_schema_in_the_instructions(tmp_path):
    with fake_openai(reply=REPLY, refuse={"json_schema", "json_object+schema"}, refusal_status=422) as server:
        assert structured_call(server_model(tmp_path, server.base_url), PROMPT, Goal).ok
        assert server.forms[-1] == "json_object"
        assert '"goal"' in server.requests[-1]["body"]["messages"][0]["content"]


def test_the_chosen_rung_is_persisted_in_the_data_folder_for_the_next_process(tmp_path):
    with fake_openai(reply=REPLY, refuse={"json_schema"}) as server:
        assert structured_call(server_model(tmp_path, server.base_url), PROMPT, Goal).ok
        saved = json.loads((tmp_path / "home" / "cache" / "model-servers.json").read_text())
        assert saved["servers"] == [{"base_url": server.base_url, "model": "m", "rung": "json_object+schema"}]
        formats.forget()  # a new process: only the file remembers
        before = len(server.requests)
        assert structured_call(server_model(tmp_path, server.base_url), PROMPT, Goal).ok
        assert server.forms[before:] == ["json_object+schema"]


def test_an_unknown_model_is_a_clear_error_before_any_completion_request(tmp_path):
    from kickcoach.llm.generate import generate

    with fake_openai(reply=REPLY, models=("other",)) as server:
        gen = generate(server_model(tmp_path, server.base_url), PROMPT, Goal, check=lambda g: g, fallback=lambda: None)
    assert gen.source == "fallback" and gen.error
    assert "no model 'm' (it serves: other)" in gen.error and "KICKCOACH_BACKEND=openai:other" in gen.error
    assert server.forms == []


def test_invalid_json_on_the_prompt_rung_is_reasked_within_the_budget(tmp_path):
    with fake_openai(reply="Sure, here is a goal: publish posts.", refuse={"json_schema", "json_object+schema", "json_object"}) as server:
        result = structured_call(server_model(tmp_path, server.base_url), PROMPT, Goal, attempts=2)
        assert not result.ok and result.attempts == 2
        assert server.forms == ["json_schema", "json_object+schema", "json_object", "prompt", "prompt"]
        assert "corrected JSON" in server.requests[-1]["body"]["messages"][-1]["content"]


def test_backends_that_are_not_servers_always_get_the_json_schema_format():
    model = FakeChatModel(responses=[REPLY])
    assert structured_call(model, PROMPT, Goal).ok
    assert model.calls[0]["kwargs"]["response_format"]["type"] == "json_schema"
    assert formats.chosen(model) == "json_schema"


@pytest.mark.parametrize(
    ("status", "message", "refusal"),
    [
        (500, "response_format: Input should be 'text' or 'json_object'", True),
        (400, "Unrecognized request argument supplied: schema", True),
        (400, "Requested tokens (3000) exceed context window of 2048", False),
        (404, "model 'm' not found, json_schema", False),
        (429, "rate limited (response_format)", False),
        (503, "loading model", False),
    ],
)
def test_only_a_refusal_that_names_the_format_moves_down(status, message, refusal):
    import httpx
    import openai

    from kickcoach.llm.backend_errors import ServerRefused

    assert formats.is_refusal(ServerRefused(status, message)) is refusal
    response = httpx.Response(status, request=httpx.Request("POST", "http://127.0.0.1/v1/chat/completions"))
    sdk_error = openai.APIStatusError(message, response=response, body={"message": message})  # the same via the SDK
    assert formats.is_refusal(sdk_error) is refusal
    assert not formats.is_refusal(RuntimeError(message))
