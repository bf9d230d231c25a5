"""Any OpenAI-compatible server (OpenAI, vLLM, Ollama, llama.cpp's server, llama-cpp-python's) through
:class:`ServerChatModel`, a ``ChatOpenAI`` that fails in seconds:

- every call streams, also ``invoke``, so one wait covers all of them: the server must send its first
  token within ``first_token_timeout_s`` (httpx's read timeout), and each next one as quickly;
- nothing is retried once the request was sent (a silent server is not asked twice); only a refused
  connection is retried, by the HTTP transport;
- a stream that stops in the middle raises :class:`ServerStalled`: the partial answer is discarded;
- the model name is checked once per server against ``/models`` (llama-cpp-python's server would
  otherwise answer any name with its own model).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models.chat_models import generate_from_stream
from langchain_core.messages import BaseMessage
from langchain_core.outputs import ChatGenerationChunk, ChatResult
from langchain_openai import ChatOpenAI

from kickcoach.errors import ConfigError, KickcoachError
from kickcoach.llm.backend_errors import ServerStalled, as_backend_error

if TYPE_CHECKING:
    from kickcoach.config import Settings

__all__ = ["ServerChatModel", "ServerStalled", "as_backend_error", "build_openai"]

_served: set[tuple[str, str]] = set()  # (base_url, model) pairs whose model name the server confirmed
_served_lock = threading.Lock()


class ServerChatModel(ChatOpenAI):
    """``ChatOpenAI`` with the timeouts and checks described in the module docstring."""

    first_token_timeout_s: float = 15.0
    answer_timeout_s: float = 60.0
    formats_file: Path | None = None
    """Where the structured-output form this server accepts is remembered (see :mod:`kickcoach.llm.formats`)."""

    @property
    def server_key(self) -> tuple[str, str]:
        return (str(self.openai_api_base or "https://api.openai.com/v1"), self.model_name)

    @property
    def label(self) -> str:
        base, model = self.server_key
        return f"openai:{model} at {base}"

    def _get_request_payload(self, input_: Any, *, stop: list[str] | None = None, **kwargs: Any) -> dict[str, Any]:
        payload = super()._get_request_payload(input_, stop=stop, **kwargs)
        if self.openai_api_base and "max_completion_tokens" in payload:
            # llama-cpp-python's server and older Ollama read only max_tokens (and ignore the newer name)
            payload["extra_body"] = {"max_tokens": payload["max_completion_tokens"], **(payload.get("extra_body") or {})}
        return payload

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        import openai

        started, tokens = time.monotonic(), 0
        try:
            _ensure_served(self)
            for chunk in super()._stream(messages, stop, run_manager, **kwargs):
                tokens += 1 if chunk.text else 0
                yield chunk
                if time.monotonic() - started > self.answer_timeout_s:
                    raise ServerStalled(self.label, tokens, f"no complete answer in {self.answer_timeout_s:g} s")
        except (KickcoachError, openai.APIStatusError):
            raise  # already worded, or a refusal the structured-output ladder reads (mapped by the flows)
        except Exception as exc:
            if tokens:
                import httpx

                why = (f"nothing more for {self.first_token_timeout_s:g} s" if isinstance(exc, httpx.TimeoutException | openai.APITimeoutError)
                       else "the connection dropped")
                raise ServerStalled(self.label, tokens, why) from exc
            error = as_backend_error(exc, self.label, timeout_s=self.first_token_timeout_s)
            if error is None:
                raise
            raise error from exc

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        return generate_from_stream(self._stream(messages, stop, run_manager, **kwargs))


def _ensure_served(model: ServerChatModel) -> None:
    """Raise ``ConfigError`` once if the server lists its models and ``model`` is not among them."""
    import openai

    key = model.server_key
    if not model.openai_api_base or key in _served:
        return
    try:
        ids = [m.id for m in model.root_client.models.list()]
    except openai.APIStatusError:  # no /models on this server: nothing to check
        ids = []
    name = model.model_name
    if ids and not any(i == name or i.startswith(f"{name}:") for i in ids):  # Ollama: "llama3.2" is "llama3.2:latest"
        raise ConfigError(
            f"The model server at {key[0]} has no model {name!r} (it serves: {', '.join(ids[:5])})",
            f"set KICKCOACH_BACKEND=openai:{ids[0]}",
        )
    with _served_lock:
        _served.add(key)


def build_openai(settings: Settings, model: str) -> ServerChatModel:
    import httpx

    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else None
    if not key and not settings.openai_base_url:
        raise ConfigError(
            f"Backend openai:{model} needs an API key or a server URL",
            "set OPENAI_API_KEY, or KICKCOACH_OPENAI_BASE_URL for a local server (e.g. http://localhost:11434/v1)",
        )
    timeout = httpx.Timeout(settings.first_token_timeout_s, connect=settings.connect_timeout_s)
    return ServerChatModel(
        model=model,
        base_url=settings.openai_base_url,
        api_key=key or "not-needed",  # local servers ignore it, the client insists on one
        timeout=timeout,
        max_retries=0,  # a request that was sent is never repeated: a silent server fails once
        http_client=httpx.Client(timeout=timeout, transport=httpx.HTTPTransport(retries=settings.max_retries)),
        temperature=settings.temperature,
        max_completion_tokens=settings.max_tokens,
        first_token_timeout_s=settings.first_token_timeout_s,
        answer_timeout_s=settings.request_timeout_s,
        formats_file=settings.home / "cache" / "model-servers.json",
    )
