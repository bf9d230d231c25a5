"""What a model server's failure means for the user: :func:`as_backend_error` turns any openai or httpx
exception into a one-line :class:`BackendUnavailable` that names the fix (``str(error)`` is
"what happened — what to do"). :class:`ServerRefused` is a server's error status, kept raw until then
because the structured-output ladder reads it (:func:`kickcoach.llm.formats.is_refusal`).

:class:`ServerStalled` is raised by the server backend itself when a stream stops in the middle: the
partial answer is discarded, never shown as if it were complete.
"""

from __future__ import annotations

import sys
from typing import Any

from kickcoach.core.errors import BackendUnavailable, KickcoachError

SLOW_FIX = "check that it is running and not overloaded; raise KICKCOACH_FIRST_TOKEN_TIMEOUT_S for a slow server"
URL_FIX = "start it, or check KICKCOACH_OPENAI_BASE_URL (e.g. http://127.0.0.1:8000/v1); KICKCOACH_BACKEND=embedded works offline"


class ServerRefused(Exception):  # noqa: N818 - what happened, as httpx's and openai's status errors
    """A model server answered a request with an error status; ``message`` is its own words."""

    def __init__(self, status_code: int, message: str) -> None:
        super().__init__(f"Error code: {status_code} - {message}")
        self.status_code = status_code
        self.message = message


class ServerTimeout(Exception):  # noqa: N818
    """No token within the first-token timeout, though the server kept the stream open (keep-alive pings)."""

    def __init__(self, timeout_s: float) -> None:
        super().__init__(f"no token in {timeout_s:g} s")


class ServerStalled(BackendUnavailable):
    """The server sent part of an answer, then stopped (or ran past the whole-answer limit)."""

    def __init__(self, backend: str, tokens: int, reason: str) -> None:
        super().__init__(
            f"The model server ({backend}) stopped after {tokens} token(s) of its answer ({reason})",
            "the partial answer was discarded; try again, or check the server's log",
        )
        self.tokens = tokens


def _detail(exc: BaseException) -> str:
    """The server's own words, shortened: {"error": {"message": …}} or the exception's message."""
    body = getattr(exc, "body", None)
    message = body.get("message") if isinstance(body, dict) else None
    text = str(message or getattr(exc, "message", "") or exc)
    first = text.strip().splitlines()[0] if text.strip() else ""
    return first[:160]


def as_backend_error(exc: BaseException, backend: str, *, timeout_s: float | None = None) -> BackendUnavailable | None:
    """Map a client exception to a user-facing ``BackendUnavailable``; None if it is not a backend failure.

    ``backend`` names the server for the message (model and URL); ``timeout_s`` is the wait that ran out.
    Covers httpx's errors, :class:`ServerRefused`, and the openai SDK's errors when that SDK is in use.
    """
    if isinstance(exc, BackendUnavailable):
        return exc
    if isinstance(exc, KickcoachError):
        return None
    import httpx

    openai = sys.modules.get("openai")  # only an exception from a loaded SDK can be one of its errors
    if openai is not None and isinstance(exc, openai.APIConnectionError) and isinstance(exc.__cause__, httpx.HTTPError):
        exc = exc.__cause__  # the SDK wraps httpx's error: a connect timeout is not a silent server
    waited = f" in {timeout_s:g} s" if timeout_s else " in time"
    if isinstance(exc, httpx.ConnectTimeout | httpx.ConnectError):
        return BackendUnavailable(f"Cannot reach the model server ({backend})", URL_FIX)
    if isinstance(exc, httpx.TimeoutException | ServerTimeout):
        return BackendUnavailable(f"The model server ({backend}) sent nothing{waited}", SLOW_FIX)
    if isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError):
        return BackendUnavailable(f"The model server ({backend}) dropped the connection", "check the server's log, then try again")
    if isinstance(exc, httpx.TransportError):
        return BackendUnavailable(f"Cannot reach the model server ({backend})", URL_FIX)
    if isinstance(exc, ServerRefused):
        return _status_error(exc.status_code, exc.message, backend)
    if isinstance(exc, httpx.HTTPError):
        return BackendUnavailable(f"The model server ({backend}) failed: {_detail(exc)}", "try again, or check the server's log")
    return _openai_error(openai, exc, backend, waited) if openai is not None else None


def _status_error(status: int, detail: str, backend: str) -> BackendUnavailable:
    detail = (detail.strip().splitlines() or [""])[0][:160]
    if status in (401, 403):
        return BackendUnavailable(f"The model server ({backend}) refused the API key", "check OPENAI_API_KEY")
    if status == 404:
        return BackendUnavailable(
            f"The model server ({backend}) has no such model or endpoint",
            "check the name after 'openai:' and that KICKCOACH_OPENAI_BASE_URL ends in /v1",
        )
    if status == 429:
        return BackendUnavailable(f"The model server ({backend}) is busy or rate-limited", "wait a moment and try again")
    if status in (400, 413, 422):
        return BackendUnavailable(
            f"The model server ({backend}) refused the request: {detail}",
            "if it says the prompt is too long, lower KICKCOACH_TOKEN_BUDGET",
        )
    return BackendUnavailable(f"The model server ({backend}) answered with an error ({status}: {detail})",
                              "try again, or check the server's log")


def _openai_error(openai: Any, exc: BaseException, backend: str, waited: str) -> BackendUnavailable | None:
    """The openai SDK's errors (for code that calls a server through it)."""
    if isinstance(exc, openai.APITimeoutError):
        return BackendUnavailable(f"The model server ({backend}) sent nothing{waited}", SLOW_FIX)
    if isinstance(exc, openai.APIConnectionError):
        return BackendUnavailable(f"Cannot reach the model server ({backend})", URL_FIX)
    if isinstance(exc, openai.APIStatusError):
        return _status_error(exc.status_code, _detail(exc), backend)
    if isinstance(exc, openai.APIResponseValidationError):
        return BackendUnavailable(
            f"The model server ({backend}) sent an answer that is not OpenAI-compatible",
            "check that KICKCOACH_OPENAI_BASE_URL points at the server's OpenAI API (usually …/v1)",
        )
    if isinstance(exc, openai.APIError):
        return BackendUnavailable(f"The model server ({backend}) failed: {_detail(exc)}", "try again, or check the server's log")
    return None
