"""What a person types, made safe before anything stores it: a length cap, no control or format characters."""

from __future__ import annotations

import re
import unicodedata

from kickcoach.core.errors import InputInvalid

MAX_MESSAGE_CHARS = 4000
"""Chat and rehearsal messages longer than this are refused (server side; the textboxes stop at it too)."""
_KEEP = {"\n", "\t"}
EMAIL = re.compile(r"^[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+$")
MAX_EMAIL_CHARS = 320


def strip_controls(text: str) -> str:
    """Drop control (Cc) and format (Cf: zero-width, bidi overrides) characters; newlines and tabs stay."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(ch for ch in text if ch in _KEEP or unicodedata.category(ch) not in ("Cc", "Cf", "Cs"))


def clean_message(text: str | None, what: str = "message", limit: int = MAX_MESSAGE_CHARS) -> str:
    """``text`` without control or format characters, trimmed; ``InputInvalid`` when over ``limit``."""
    raw = text or ""
    if len(raw) > limit:  # judged before cleaning: a flood of invisible characters is refused too
        raise InputInvalid(
            f"The {what} is {len(raw):,} characters long; the limit is {limit:,}",
            "shorten it, or split it into a few messages",
            field=what,
        )
    return strip_controls(raw).strip()


def clean_nonempty_message(text: str | None, what: str = "message", limit: int = MAX_MESSAGE_CHARS) -> str:
    """``clean_message``, refusing a message with nothing left to say (empty, spaces, zero-width characters only)."""
    cleaned = clean_message(text, what, limit)
    if not cleaned:
        raise InputInvalid(f"The {what} is empty", "type something to send (spaces and invisible characters do not count)",
                           field=what)
    return cleaned


def clean_email(text: str | None) -> str:
    """An email address in lower case, trimmed; ``InputInvalid`` when it is not one."""
    email = strip_controls(text or "").strip().lower()
    if len(email) > MAX_EMAIL_CHARS or not EMAIL.match(email):
        raise InputInvalid(f"{email[:80]!r} is not an email address", "write it as name@example.org", field="email")
    return email


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A spreadsheet reads a cell starting with one of these as a formula (or strips it and then does)."""


def spreadsheet_safe(value: object) -> object:
    """A cell value for a CSV export: text that a spreadsheet would run as a formula gets a leading ``'``
    (OWASP's advice for CSV injection); numbers and other values are left alone."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
