"""The history's wording (``banks/wording.yaml``) and the date format every answer, strip and email uses."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict

BANK = Path(__file__).resolve().parent / "banks" / "wording.yaml"


class Wording(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: int
    due: dict[str, str]
    email: dict[str, str]
    strip: dict[str, str]
    progress: dict[str, str]


@cache
def wording() -> Wording:
    return Wording.model_validate(yaml.safe_load(BANK.read_text(encoding="utf-8")))


def day(date: dt.date) -> str:
    """"Thursday 10 December 2026": weekday, day, month and year (the year keeps a date unambiguous)."""
    return f"{date:%A} {date.day} {date:%B %Y}"


def short_day(date: dt.date) -> str:
    """"3 December": a past review's date."""
    return f"{date.day} {date:%B}"


def when(date: dt.date, today: dt.date) -> str:
    """"today", "tomorrow", "in 3 days" or "overdue"."""
    w, days = wording().due, (date - today).days
    if days < 0:
        return w["overdue"]
    if days == 0:
        return w["today"]
    return w["tomorrow"] if days == 1 else w["in_days"].format(days=days)
