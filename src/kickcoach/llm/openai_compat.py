"""Any OpenAI-compatible server (OpenAI, vLLM, Ollama, llama.cpp's server, llama-cpp-python's) through
:class:`ServerChatModel`, a LangChain chat model that speaks ``/chat/completions`` over httpx and fails in
seconds:

- every call streams, also ``invoke``, so one wait covers all of them: the first token must come within
  ``first_token_timeout_s`` and each next one as quickly (keep-alive pings do not count as tokens);
- nothing is retried once the request was sent (a silent server is not asked twice); only a refused
  connection is retried, by the HTTP transport;
- a stream that stops in the middle raises :class:`ServerStalled`: the partial answer is discarded;
- the model name is checked once per server against ``/models`` (llama-cpp-python's server would
  otherwise answer any name with its own model);
- a server that did not answer (timeout, unreachable) is not asked again for ``COOL_DOWN_S``: a flow
  that makes several calls (a weekly review's three coach lines) fails once, not once per call.

Why not ``langchain_openai.ChatOpenAI``: it retries timed-out requests, treats ``response_format`` through
the SDK's own parse paths (which servers spell differently, see :mod:`kickcoach.llm.formats`), and costs
1.2–2 s of imports on every one-shot ``kickcoach chat``; the wire format it would save us is ~40 lines.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from langchain_core.messages import BaseMessage
from pydantic import ConfigDict, PrivateAttr, SecretStr

from kickcoach.core.errors import BackendUnavailable, ConfigError, KickcoachError
from kickcoach.llm.backend_errors import ServerRefused, ServerStalled, ServerTimeout, as_backend_error
from kickcoach.llm.pieces import Piece, PieceChatModel

if TYPE_CHECKING:
    import httpx

    from kickcoach.core.config import Settings

__all__ = ["ServerChatModel", "ServerRefused", "ServerStalled", "as_backend_error", "build_openai"]

OPENAI_URL = "https://api.openai.com/v1"
_ROLES = {"human": "user", "ai": "assistant", "system": "system", "user": "user", "assistant": "assistant"}
COOL_DOWN_S = 30.0
_served: set[tuple[str, str]] = set()  # (base_url, model) pairs whose model name the server confirmed
_served_lock = threading.Lock()
_unanswered: dict[tuple[str, str], tuple[float, BackendUnavailable]] = {}  # key -> (when, the error)


class ServerChatModel(PieceChatModel):
    """A chat model on an OpenAI-compatible server, with the timeouts and checks in the module docstring."""

    model_config = ConfigDict(protected_namespaces=())

    model_name: str
    base_url: str | None = None
    api_key: SecretStr | None = None
    max_tokens: int = 160
    connect_timeout_s: float = 3.0
    first_token_timeout_s: float = 15.0
    answer_timeout_s: float = 60.0
    connect_retries: int = 1
    formats_file: Path | None = None
    """Where the structured-output form this server accepts is remembered (see :mod:`kickcoach.llm.formats`)."""
    _client: httpx.Client | None = PrivateAttr(default=None)
    _client_lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    @property
    def _llm_type(self) -> str:
        return "kickcoach-openai-server"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model_name": self.model_name, "base_url": self.url}

    @property
    def url(self) -> str:
        return (self.base_url or OPENAI_URL).rstrip("/")

    @property
    def server_key(self) -> tuple[str, str]:
        return (self.url, self.model_name)

    @property
    def label(self) -> str:
        return f"openai:{self.model_name} at {self.url}"

    def client(self) -> httpx.Client:
        import httpx

        with self._client_lock:
            if self._client is None:
                key = self.api_key.get_secret_value() if self.api_key else ""
                self._client = httpx.Client(
                    timeout=httpx.Timeout(self.first_token_timeout_s, connect=self.connect_timeout_s),
                    transport=httpx.HTTPTransport(retries=self.connect_retries),  # refused connections only
                    headers={"Authorization": f"Bearer {key}"} if key else {},
                )
            return self._client

    def payload(self, messages: list[BaseMessage], stop: list[str] | None, kwargs: dict[str, Any]) -> dict[str, Any]:
        limit = kwargs.get("max_tokens", self.max_tokens)
        body: dict[str, Any] = {
            "model": self.model_name,
            "messages": [{"role": _ROLES.get(m.type, "user"), "content": str(m.content)} for m in messages],
            "stream": True,
            "temperature": kwargs.get("temperature", self.temperature),
            "max_completion_tokens": limit,
        }
        if self.base_url:  # llama-cpp-python's server and older Ollama read only the older name
            body["max_tokens"] = limit
        if stop:
            body["stop"] = stop
        if kwargs.get("response_format"):
            body["response_format"] = kwargs["response_format"]
        return body

    def _pieces(self, messages: list[BaseMessage], stop: list[str] | None, **kwargs: Any) -> Iterator[Piece]:
        import httpx

        started = last = time.monotonic()
        tokens = 0
        failed = _unanswered.get(self.server_key)
        if failed and started - failed[0] < COOL_DOWN_S:
            earlier, ago = failed[1], started - failed[0]
            raise BackendUnavailable(f"{earlier.message} {ago:.0f} s ago (not asked again for {COOL_DOWN_S - ago:.0f} s)",
                                     earlier.fix)
        try:
            _ensure_served(self)
            with self.client().stream("POST", f"{self.url}/chat/completions", json=self.payload(messages, stop, kwargs)) as response:
                if response.status_code >= 400:
                    raise ServerRefused(response.status_code, _error_message(response.read()))
                for line in response.iter_lines():
                    text = _sse_text(line)
                    now = time.monotonic()
                    if text is None:  # a keep-alive ping, a role-only delta, [DONE]: not a token
                        if now - last > self.first_token_timeout_s:
                            raise ServerTimeout(self.first_token_timeout_s)
                        continue
                    tokens, last = tokens + 1, now
                    yield text
                    if now - started > self.answer_timeout_s:
                        raise ServerStalled(self.label, tokens, f"no complete answer in {self.answer_timeout_s:g} s")
            _unanswered.pop(self.server_key, None)
        except (KickcoachError, ServerRefused):
            raise  # already worded, or a refusal the structured-output ladder reads (the flows word it)
        except (httpx.HTTPError, ServerTimeout) as exc:
            if tokens:
                timed_out = isinstance(exc, httpx.TimeoutException | ServerTimeout)
                why = f"nothing more for {self.first_token_timeout_s:g} s" if timed_out else "the connection dropped"
                raise ServerStalled(self.label, tokens, why) from exc
            error = as_backend_error(exc, self.label, timeout_s=self.first_token_timeout_s)
            if error is None:
                raise
            _unanswered[self.server_key] = (time.monotonic(), error)
            raise error from exc


def _sse_text(line: str) -> str | None:
    """The content a server-sent-events line carries, or None (comments, pings, role deltas, [DONE])."""
    if not line.startswith("data:"):
        return None
    data = line[5:].strip()
    if not data or data == "[DONE]":
        return None
    try:
        event = json.loads(data)
    except ValueError:
        return None
    if isinstance(event, dict) and event.get("error"):  # some servers report a failure inside the stream
        raise ServerRefused(500, _error_message(data.encode()))
    choices = event.get("choices") if isinstance(event, dict) else None
    if not choices:
        return None
    content = (choices[0].get("delta") or {}).get("content")
    return content or None


def _error_message(raw: bytes) -> str:
    """The server's own words from an error body ({"error": {"message": …}}, {"detail": …}, or text)."""
    text = raw.decode("utf-8", errors="replace").strip()
    try:
        body = json.loads(text)
    except ValueError:
        return text[:300]
    error = body.get("error", body.get("detail", body)) if isinstance(body, dict) else body
    if isinstance(error, dict):
        error = error.get("message", error)
    return str(error)[:300]


def _ensure_served(model: ServerChatModel) -> None:
    """Raise ``ConfigError`` once if the server lists its models and ``model`` is not among them."""
    key = model.server_key
    if not model.base_url or key in _served:
        return
    response = model.client().get(f"{model.url}/models")
    ids: list[str] = []
    if response.status_code == 200:  # no /models on this server: nothing to check
        try:
            ids = [str(m["id"]) for m in response.json().get("data", []) if isinstance(m, dict) and "id" in m]
        except (ValueError, AttributeError):
            ids = []
    name = model.model_name
    if ids and not any(i == name or i.startswith(f"{name}:") for i in ids):  # Ollama: "llama3.2" is "llama3.2:latest"
        raise ConfigError(
            f"The model server at {key[0]} has no model {name!r} (it serves: {', '.join(ids[:5])})",
            f"set KICKCOACH_BACKEND=openai:{ids[0]}",
        )
    with _served_lock:
        _served.add(key)


_SETTING_OF = {  # ServerChatModel field -> the setting that tunes it
    "temperature": "temperature",
    "max_tokens": "max_tokens",
    "connect_timeout_s": "connect_timeout_s",
    "first_token_timeout_s": "first_token_timeout_s",
    "answer_timeout_s": "request_timeout_s",
    "connect_retries": "max_retries",
}


def build_openai(settings: Settings, model: str) -> ServerChatModel:
    if not settings.openai_api_key and not settings.openai_base_url:
        raise ConfigError(
            f"Backend openai:{model} needs an API key or a server URL",
            "set OPENAI_API_KEY, or KICKCOACH_OPENAI_BASE_URL for a local server (e.g. http://localhost:11434/v1)",
        )
    tuned = {field: getattr(settings, name) for field, name in _SETTING_OF.items()}
    return ServerChatModel(model_name=model, base_url=settings.openai_base_url, api_key=settings.openai_api_key,
                           formats_file=settings.home / "cache" / "model-servers.json", **tuned)
