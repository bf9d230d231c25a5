"""Helpers shared by the CLI's command modules: settings with CLI overrides, services, output."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

from rich.console import Console

from kickcoach.core.config import Settings, get_settings

if TYPE_CHECKING:
    from kickcoach.services import Services

err = Console(stderr=True)
out = Console()
overrides: dict[str, Any] = {}


def settings() -> Settings:
    base = get_settings()
    return Settings.model_validate({**base.model_dump(), **overrides}) if overrides else base


def services(*, prepared: bool = True) -> Services:
    """Services for a command; ``prepared`` indexes the guidance and seeds the demo pair first."""
    from kickcoach.services import Services

    svc = Services(settings())
    if prepared:
        from kickcoach.bootstrap import prepare

        prepare(svc)
    return svc


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, default=str) + "\n")
