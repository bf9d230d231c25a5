"""What a model server's failure means for the user: :func:`as_backend_error` turns any openai or httpx
exception into a one-line :class:`BackendUnavailable` that names the fix (``str(error)`` is
"what happened — what to do").

:class:`ServerStalled` is raised by the server backend itself when a stream stops in the middle: the
partial answer is discarded, never shown as if it were complete.
"""

from __future__ import annotations

from kickcoach.errors import BackendUnavailable, KickcoachError

SLOW_FIX = "check that it is running and not overloaded; raise KICKCOACH_FIRST_TOKEN_TIMEOUT_S for a slow server"
URL_FIX = "start it, or check KICKCOACH_OPENAI_BASE_URL (e.g. http://127.0.0.1:8000/v1); KICKCOACH_BACKEND=embedded works offline"


class ServerStalled(BackendUnavailable):
    """The server sent part of an answer, then stopped (or ran past the whole-answer limit)."""

    def __init__(self, backend: str, tokens: int, reason: str) -> None:
        super().__init__(
            f"The model server ({backend}) stopped after {tokens} token(s) of its answer ({reason})",
            "the partial answer was discarded; try again, or check the server's log",
        )
        self.tokens = tokens


def _detail(exc: Exception) -> str:
    """The server's own words, shortened: {"error": {"message": …}} or the exception's message."""
    body = getattr(exc, "body", None)
    message = body.get("message") if isinstance(body, dict) else None
    text = str(message or getattr(exc, "message", "") or exc)
    first = text.strip().splitlines()[0] if text.strip() else ""
    return first[:160]


def as_backend_error(exc: BaseException, backend: str, *, timeout_s: float | None = None) -> BackendUnavailable | None:
    """Map a client exception to a user-facing ``BackendUnavailable``; None if it is not a backend failure.

    ``backend`` names the server for the message (model and URL); ``timeout_s`` is the wait that ran out.
    """
    if isinstance(exc, BackendUnavailable):
        return exc
    if isinstance(exc, KickcoachError):
        return None
    import httpx
    import openai

    waited = f" in {timeout_s:g} s" if timeout_s else " in time"
    if isinstance(exc, openai.APIConnectionError) and isinstance(exc.__cause__, httpx.HTTPError):
        exc = exc.__cause__  # the SDK wraps httpx's error: a connect timeout is not a silent server
    if isinstance(exc, httpx.ConnectTimeout | httpx.ConnectError):
        return BackendUnavailable(f"Cannot reach the model server ({backend})", URL_FIX)
    if isinstance(exc, openai.APITimeoutError | httpx.TimeoutException):
        return BackendUnavailable(f"The model server ({backend}) sent nothing{waited}", SLOW_FIX)
    if isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError):
        return BackendUnavailable(f"The model server ({backend}) dropped the connection", "check the server's log, then try again")
    if isinstance(exc, openai.APIConnectionError | httpx.TransportError):
        return BackendUnavailable(f"Cannot reach the model server ({backend})", URL_FIX)
    if isinstance(exc, openai.AuthenticationError | openai.PermissionDeniedError):
        return BackendUnavailable(f"The model server ({backend}) refused the API key", "check OPENAI_API_KEY")
    if isinstance(exc, openai.NotFoundError):
        return BackendUnavailable(
            f"The model server ({backend}) has no such model or endpoint",
            "check the name after 'openai:' and that KICKCOACH_OPENAI_BASE_URL ends in /v1",
        )
    if isinstance(exc, openai.RateLimitError):
        return BackendUnavailable(f"The model server ({backend}) is busy or rate-limited", "wait a moment and try again")
    if isinstance(exc, openai.BadRequestError | openai.UnprocessableEntityError):
        return BackendUnavailable(
            f"The model server ({backend}) refused the request: {_detail(exc)}",
            "if it says the prompt is too long, lower KICKCOACH_TOKEN_BUDGET",
        )
    if isinstance(exc, openai.APIStatusError):
        return BackendUnavailable(
            f"The model server ({backend}) answered with an error ({exc.status_code}: {_detail(exc)})",
            "try again, or check the server's log",
        )
    if isinstance(exc, openai.APIResponseValidationError):
        return BackendUnavailable(
            f"The model server ({backend}) sent an answer that is not OpenAI-compatible",
            "check that KICKCOACH_OPENAI_BASE_URL points at the server's OpenAI API (usually …/v1)",
        )
    if isinstance(exc, openai.APIError | httpx.HTTPError):
        return BackendUnavailable(f"The model server ({backend}) failed: {_detail(exc)}", "try again, or check the server's log")
    return None
