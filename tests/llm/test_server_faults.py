"""Model-server faults fail in seconds with a message that names the fix: a silent server, a stream that
stalls, a server that is down, an unknown model; a request that was sent is never repeated."""

from __future__ import annotations

import time

import httpx
import openai
import pytest
from langchain_core.messages import HumanMessage

from kickcoach.core.config import Settings
from kickcoach.core.errors import BackendUnavailable, ConfigError
from kickcoach.llm import openai_compat
from kickcoach.llm.backend_errors import ServerRefused, ServerStalled, ServerTimeout, as_backend_error
from kickcoach.llm.openai_compat import build_openai
from tests.support.fake_openai import fake_openai
from tests.support.llama_server import free_port

TIMEOUT_S = 1.0
HANG_BOUND_S = 6.0  # a bound on a hang, far above TIMEOUT_S: not a performance figure
PROMPT = [HumanMessage(content="Hello?")]


@pytest.fixture(autouse=True)
def _fresh_model_checks(monkeypatch):
    monkeypatch.setattr(openai_compat, "_served", set())
    monkeypatch.setattr(openai_compat, "_unanswered", {})


def model_for(tmp_path, base_url: str, *, name: str = "m", timeout_s: float = TIMEOUT_S, answer_s: float = 60.0):
    settings = Settings(backend=f"openai:{name}", openai_base_url=base_url, home=tmp_path / "home",
                        first_token_timeout_s=timeout_s, request_timeout_s=answer_s, _env_file=None)
    return build_openai(settings, name)


def test_the_defaults_fail_a_silent_server_well_inside_20_seconds():
    settings = Settings(_env_file=None)
    assert settings.first_token_timeout_s <= 15
    # connect (x 1 + retries for a refused connection) plus one first-token wait, nothing retried after
    assert settings.connect_timeout_s * (1 + settings.max_retries) + settings.first_token_timeout_s < 20


def test_a_silent_server_fails_after_the_first_token_timeout_once(tmp_path):
    with fake_openai(silent=True) as server:
        model = model_for(tmp_path, server.base_url)
        started = time.monotonic()
        with pytest.raises(BackendUnavailable) as exc:
            model.invoke(PROMPT)
        elapsed = time.monotonic() - started
    assert TIMEOUT_S <= elapsed < HANG_BOUND_S
    assert f"sent nothing in {TIMEOUT_S:g} s" in str(exc.value) and "KICKCOACH_FIRST_TOKEN_TIMEOUT_S" in str(exc.value)
    assert server.base_url in str(exc.value)
    assert server.hits == 1  # not asked twice


def test_a_server_that_did_not_answer_is_not_asked_again_during_the_cool_down(tmp_path, monkeypatch):
    with fake_openai(silent_completions=True) as server:
        model = model_for(tmp_path, server.base_url)
        with pytest.raises(BackendUnavailable):
            model.invoke(PROMPT)
        started = time.monotonic()
        with pytest.raises(BackendUnavailable) as again:
            model_for(tmp_path, server.base_url).invoke(PROMPT)  # another model object, the same server
        assert time.monotonic() - started < TIMEOUT_S
        assert "sent nothing in 1 s" in str(again.value) and "not asked again for" in str(again.value)
        assert len(server.requests) == 1
        monkeypatch.setattr(openai_compat, "COOL_DOWN_S", 0.0)  # the cool-down is over: asked again
        with pytest.raises(BackendUnavailable):
            model.invoke(PROMPT)
        assert len(server.requests) == 2


def test_an_answer_ends_the_cool_down(tmp_path, monkeypatch):
    with fake_openai() as server:
        model = model_for(tmp_path, server.base_url)
        openai_compat._unanswered[model.server_key] = (time.monotonic() - openai_compat.COOL_DOWN_S - 1,
                                                       BackendUnavailable("earlier"))
        assert model.invoke(PROMPT).content
        assert model.server_key not in openai_compat._unanswered


@pytest.mark.parametrize("call", ["invoke", "stream"])
def test_a_silent_completion_is_not_retried_streaming_or_not(tmp_path, call):
    with fake_openai(silent_completions=True) as server:
        model = model_for(tmp_path, server.base_url)
        started = time.monotonic()
        with pytest.raises(BackendUnavailable, match="sent nothing"):
            list(model.stream(PROMPT)) if call == "stream" else model.invoke(PROMPT)
        assert time.monotonic() - started < HANG_BOUND_S
    assert len(server.requests) == 1 and server.requests[0]["body"]["stream"] is True  # invoke streams too


def test_a_stream_that_stalls_is_an_error_and_its_partial_text_is_not_an_answer(tmp_path):
    with fake_openai(reply="one two three four five six", stall_after=3) as server:
        model = model_for(tmp_path, server.base_url)
        seen: list[str] = []
        started = time.monotonic()
        with pytest.raises(ServerStalled) as exc:
            for chunk in model.stream(PROMPT):
                seen.append(str(chunk.content))
        assert time.monotonic() - started < HANG_BOUND_S
        with pytest.raises(ServerStalled):
            model.invoke(PROMPT)  # invoke returns nothing partial either
    assert "".join(seen) == "one two three "
    assert exc.value.tokens == 3 and "stopped after 3 token(s)" in str(exc.value) and "discarded" in str(exc.value)
    assert len(server.requests) == 2  # one per call: no retry once streaming started


@pytest.mark.parametrize("after", [0, 2])
def test_keep_alive_pings_are_not_tokens(tmp_path, after):
    with fake_openai(reply="one two three four", stall_after=after, ping_while_stalled=True) as server:
        started = time.monotonic()
        with pytest.raises(BackendUnavailable) as exc:
            model_for(tmp_path, server.base_url).invoke(PROMPT)
        assert time.monotonic() - started < HANG_BOUND_S
    if after:
        assert isinstance(exc.value, ServerStalled) and exc.value.tokens == after
    else:
        assert f"sent nothing in {TIMEOUT_S:g} s" in str(exc.value)


def test_an_error_status_is_kept_raw_for_the_ladder_then_worded(tmp_path):
    with fake_openai(reply="one two", refuse={"prompt"}, refusal_status=503) as server:
        with pytest.raises(ServerRefused) as exc:
            model_for(tmp_path, server.base_url).invoke(PROMPT)
    error = as_backend_error(exc.value, "m")
    assert error is not None and "(503: 1 validation error" in str(error) and "server's log" in str(error)


def test_server_sent_events_carry_text_pings_and_errors():
    from kickcoach.llm.openai_compat import _sse_text

    assert _sse_text('data: {"choices": [{"delta": {"content": "Hi"}}]}') == "Hi"
    assert [_sse_text(x) for x in (": ping", "", "data: [DONE]", 'data: {"choices": [{"delta": {"role": "assistant"}}]}')] == [None] * 4
    with pytest.raises(ServerRefused, match="out of memory"):
        _sse_text('data: {"error": {"message": "out of memory"}}')


def test_an_answer_past_the_whole_answer_limit_is_cut(tmp_path):
    with fake_openai(reply="one two three") as server:
        model = model_for(tmp_path, server.base_url, answer_s=0.0)
        with pytest.raises(ServerStalled, match="no complete answer in 0 s"):
            model.invoke(PROMPT)


def test_a_server_that_is_down_is_named_with_the_fix(tmp_path):
    model = model_for(tmp_path, f"http://127.0.0.1:{free_port()}/v1")
    started = time.monotonic()
    with pytest.raises(BackendUnavailable) as exc:
        model.invoke(PROMPT)
    assert time.monotonic() - started < HANG_BOUND_S
    assert "Cannot reach the model server" in str(exc.value) and "KICKCOACH_OPENAI_BASE_URL" in str(exc.value)


def test_an_unknown_model_names_the_models_the_server_has(tmp_path):
    with fake_openai(models=("smollm2", "qwen")) as server:
        with pytest.raises(ConfigError) as exc:
            model_for(tmp_path, server.base_url, name="nope").invoke(PROMPT)
    assert "no model 'nope' (it serves: smollm2, qwen)" in str(exc.value) and "openai:smollm2" in str(exc.value)
    assert server.requests == []


def test_the_model_list_is_read_once_per_server_and_ollama_tags_match(tmp_path):
    with fake_openai(models=("llama3.2:latest",)) as server:
        model = model_for(tmp_path, server.base_url, name="llama3.2")
        assert model.invoke(PROMPT).content and model.invoke(PROMPT).content
    assert server.model_listings == 1 and len(server.requests) == 2


def test_a_server_without_a_model_list_is_not_checked(tmp_path):
    with fake_openai(list_models=False) as server:
        assert model_for(tmp_path, server.base_url, name="anything").invoke(PROMPT).content == "Hello there, friend."


def test_max_tokens_reaches_servers_that_only_read_the_old_name(tmp_path):
    with fake_openai() as server:
        model_for(tmp_path, server.base_url).invoke(PROMPT)
    body = server.requests[0]["body"]
    assert body["max_tokens"] == body["max_completion_tokens"] == Settings(_env_file=None).max_tokens


def _status(cls: type[openai.APIStatusError], code: int, message: str = "boom") -> openai.APIStatusError:
    response = httpx.Response(code, request=httpx.Request("POST", "http://127.0.0.1/v1/chat/completions"))
    return cls(message, response=response, body={"message": message})


REQUEST = httpx.Request("POST", "http://127.0.0.1/v1/chat/completions")


@pytest.mark.parametrize(
    ("exc", "says", "fix"),
    [
        (httpx.ConnectError("refused"), "Cannot reach", "KICKCOACH_OPENAI_BASE_URL"),
        (openai.APITimeoutError(REQUEST), "sent nothing", "KICKCOACH_FIRST_TOKEN_TIMEOUT_S"),
        (httpx.ReadTimeout("slow"), "sent nothing", "KICKCOACH_FIRST_TOKEN_TIMEOUT_S"),
        (httpx.RemoteProtocolError("closed"), "dropped the connection", "server's log"),
        (openai.APIConnectionError(request=REQUEST), "Cannot reach", "KICKCOACH_OPENAI_BASE_URL"),
        (_status(openai.AuthenticationError, 401), "refused the API key", "OPENAI_API_KEY"),
        (_status(openai.NotFoundError, 404), "no such model or endpoint", "/v1"),
        (_status(openai.RateLimitError, 429), "busy", "wait"),
        (_status(openai.BadRequestError, 400, "Requested tokens exceed context window"), "context window", "KICKCOACH_TOKEN_BUDGET"),
        (_status(openai.InternalServerError, 500), "error (500: boom)", "server's log"),
        (openai.APIResponseValidationError(httpx.Response(200, request=REQUEST), None), "not OpenAI-compatible", "/v1"),
        (ServerTimeout(2), "sent nothing in 2 s", "KICKCOACH_FIRST_TOKEN_TIMEOUT_S"),
        (ServerRefused(401, "bad key"), "refused the API key", "OPENAI_API_KEY"),
        (ServerRefused(404, "model not found"), "no such model or endpoint", "/v1"),
        (ServerRefused(429, "slow down"), "busy", "wait"),
        (ServerRefused(400, "Requested tokens exceed context window\ntrace"), "context window", "KICKCOACH_TOKEN_BUDGET"),
        (ServerRefused(502, "bad gateway"), "error (502: bad gateway)", "server's log"),
        (httpx.ReadError("reset"), "dropped the connection", "server's log"),
        (httpx.UnsupportedProtocol("ftp"), "Cannot reach", "KICKCOACH_OPENAI_BASE_URL"),
    ],
)
def test_every_client_error_maps_to_a_message_that_names_the_fix(exc, says, fix):
    error = as_backend_error(exc, "openai:m at http://127.0.0.1/v1", timeout_s=2)
    assert error is not None and says in str(error) and fix in str(error)
    assert "\n" not in str(error)


def test_the_sdks_wrapped_connect_timeout_is_unreachable_not_silent():
    wrapped = openai.APITimeoutError(REQUEST)
    wrapped.__cause__ = httpx.ConnectTimeout("connect")
    assert "Cannot reach" in str(as_backend_error(wrapped, "m"))


def test_an_error_that_is_not_a_backend_failure_is_left_alone():
    assert as_backend_error(ValueError("bug"), "m") is None
