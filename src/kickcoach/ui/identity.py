"""Which pair a browser session belongs to, decided on the server and never taken from the page.

With ``KICKCOACH_USERS_FILE`` set, the UI asks for a login and each user maps to one pair:

    alice: {password: "…", pair_id: "demo"}
    bob:   {password: "…", pair_id: "demo"}

Without it, the server serves one pair (``KICKCOACH_PAIR_ID``, the demo pair by default).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from kickcoach.config import Settings
from kickcoach.errors import ConfigError


class User(BaseModel):
    password: str
    pair_id: str


def load_users(path: Path) -> dict[str, User]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        return {str(name): User.model_validate(entry) for name, entry in raw.items()}
    except (OSError, yaml.YAMLError, ValueError, AttributeError) as exc:
        raise ConfigError(f"Cannot read users file {path} ({exc})", "each entry needs password and pair_id") from exc


class Identity:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.users = load_users(settings.users_file) if settings.users_file else {}

    def auth(self) -> Any:
        """The ``auth`` callable for ``launch``, or None in single-pair mode."""
        if not self.users:
            return None
        return lambda username, password: username in self.users and self.users[username].password == password

    def pair_id(self, request: Any) -> str:
        if not self.users:
            return self.settings.pair_id
        username = getattr(request, "username", None)
        if username not in self.users:
            raise ConfigError("This session is not logged in", "reload the page and log in")
        return self.users[username].pair_id
