"""What a person types, made safe before anything stores it: a length cap, no control or format characters."""

from __future__ import annotations

import unicodedata

from kickcoach.errors import InputInvalid

MAX_MESSAGE_CHARS = 4000
"""Chat and rehearsal messages longer than this are refused (server side; the textboxes stop at it too)."""
_KEEP = {"\n", "\t"}


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
