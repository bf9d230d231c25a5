"""Who may act as the programme's facilitator when the UI has no accounts: one small seam.

With accounts, the role decides (``ProgrammeHandlers._check``). Without them, the rules are:

- the command line is the local administrator of the data folder, so it is always the facilitator;
- in the web UI without logins (one local user), that user is the facilitator;
- with logins (``KICKCOACH_USERS_FILE``), only the usernames listed in ``KICKCOACH_FACILITATOR``
  (comma-separated) are.

A participant is never decided here: *My programme* acts for the logged-in account only, through the
enrolments linked to its email (``programme.links``); nothing typed on the page says who someone is.
"""

from __future__ import annotations

from typing import Any

from kickcoach.core.config import Settings

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
