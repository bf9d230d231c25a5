"""Errors that say what went wrong and how to fix it.

Every error a user can meet derives from :class:`KickcoachError`. The message says what happened;
``fix`` says what to do about it. The UI and CLI print ``str(error)`` and never a traceback.
"""

from __future__ import annotations


class KickcoachError(Exception):
    """Base class: ``message`` is what happened, ``fix`` is what the user can do."""

    def __init__(self, message: str, fix: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fix = fix

    def __str__(self) -> str:
        return f"{self.message} — {self.fix}" if self.fix else self.message


class ConfigError(KickcoachError):
    """A setting is missing or wrong (bad backend name, missing GGUF, bad URL)."""


class BackendUnavailable(KickcoachError):
    """The model backend cannot be reached or failed to answer in time."""



class NotFound(KickcoachError):
    """A pair, contract, conversation, review or rehearsal does not exist (for this pair)."""


class InputInvalid(KickcoachError):
    """User input (a file, a form, a CLI argument) is malformed.

    ``field`` names the offending field (dotted path) and ``line`` its line in the source file, when known.
    """

    def __init__(self, message: str, fix: str | None = None, *, field: str | None = None, line: int | None = None) -> None:
        super().__init__(message, fix)
        self.field = field
        self.line = line


class IsolationError(KickcoachError):
    """A data access was attempted without a pair id, or across pairs. Always a bug, never user error."""
