"""Any OpenAI-compatible server (OpenAI, vLLM, Ollama, llama.cpp server) through ``ChatOpenAI``.

Timeouts are short on purpose: a backend that is down must produce a message in seconds, not a hang.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kickcoach.errors import BackendUnavailable, ConfigError

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from kickcoach.config import Settings


def build_openai(settings: Settings, model: str) -> BaseChatModel:
    import httpx
    from langchain_openai import ChatOpenAI

    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else None
    if not key and not settings.openai_base_url:
        raise ConfigError(
            f"Backend openai:{model} needs an API key or a server URL",
            "set OPENAI_API_KEY, or KICKCOACH_OPENAI_BASE_URL for a local server (e.g. http://localhost:11434/v1)",
        )
    return ChatOpenAI(
        model=model,
        base_url=settings.openai_base_url,
        api_key=key or "not-needed",  # local servers ignore it, the client insists on one
        timeout=httpx.Timeout(settings.request_timeout_s, connect=settings.connect_timeout_s),
        max_retries=settings.max_retries,
        temperature=settings.temperature,
        max_completion_tokens=settings.max_tokens,
    )


def as_backend_error(exc: Exception, backend: str) -> BackendUnavailable | None:
    """Map a client exception to a user-facing ``BackendUnavailable``; None if it is not a backend failure."""
    try:
        import openai
    except ImportError:  # pragma: no cover - openai comes with langchain-openai
        return None
    if isinstance(exc, openai.APITimeoutError):
        return BackendUnavailable(f"The model server ({backend}) did not answer in time", "check that it is running, or try again")
    if isinstance(exc, openai.APIConnectionError):
        return BackendUnavailable(
            f"Cannot reach the model server ({backend})",
            "start it, or check KICKCOACH_OPENAI_BASE_URL; KICKCOACH_BACKEND=embedded works offline",
        )
    if isinstance(exc, openai.AuthenticationError):
        return BackendUnavailable(f"The model server ({backend}) refused the API key", "check OPENAI_API_KEY")
    if isinstance(exc, openai.NotFoundError):
        return BackendUnavailable(f"The model server has no model {backend!r}", "check the name after 'openai:'")
    if isinstance(exc, openai.APIStatusError):
        return BackendUnavailable(f"The model server ({backend}) answered with an error ({exc.status_code})", "try again, or check the server's log")
    return None
