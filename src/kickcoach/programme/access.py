"""Who may act as the programme's facilitator, and which participant a browser session is: one small seam.

Until accounts with roles exist (the accounts issue), the rules are:

- the command line is the local administrator of the data folder, so it is always the facilitator;
- in the web UI without logins (one local user), that user is the facilitator;
- with logins (``KICKCOACH_USERS_FILE``), only the usernames listed in ``KICKCOACH_FACILITATOR``
  (comma-separated) are.

A participant in the UI is their login name when it is an email, else the ``email`` field of their entry
in the users file; without logins the page asks which enrolled email it is acting for (a local demo).
At merge, replace both functions with the accounts' roles (``facilitator``) and the person's email.
"""

from __future__ import annotations

from typing import Any

import yaml

from kickcoach.config import Settings

CLI = "__cli__"


def facilitators(settings: Settings) -> set[str]:
    return {name.strip().lower() for name in (settings.facilitator or "").split(",") if name.strip()}


def is_facilitator(identity: str | None, settings: Settings) -> bool:
    """``identity``: ``CLI`` for the command line, a login name in the UI, or None when the UI has no logins."""
    if identity == CLI:
        return True
    if identity is None:
        return not settings.users_file
    return identity.strip().lower() in facilitators(settings)


def ui_identity(request: Any) -> str | None:
    return getattr(request, "username", None) if request is not None else None


def participant_email(identity: str | None, settings: Settings) -> str | None:
    """The email a logged-in user acts as; None when the UI has no logins (the page then asks)."""
    if identity is None:
        return None
    if "@" in identity:
        return identity.strip().lower()
    if settings.users_file:
        try:
            entry = (yaml.safe_load(settings.users_file.read_text(encoding="utf-8")) or {}).get(identity) or {}
        except (OSError, yaml.YAMLError):
            return None
        email = entry.get("email") if isinstance(entry, dict) else None
        return str(email).strip().lower() if email else None
    return None
