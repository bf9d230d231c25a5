"""The situation–behaviour–impact–request skeleton with marked blanks, for a criticism that names no behaviour:
never a sentence with no content ("I'd like to talk with you about something…"). Wording in ``skeleton.yaml``."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import Any

import yaml

BLANK = re.compile(r"\[[^\[\]]+\]")


@cache
def _blanks() -> dict[str, Any]:
    text = resources.files("kickcoach.flows.feedback").joinpath("skeleton.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return dict(data["blanks"])


def skeleton(situation: str | None = None) -> str:
    """The skeleton; a situation the person gave ("When I gave you feedback") replaces its blank."""
    parts = _blanks()
    opening = situation.strip().rstrip(".,;:") if situation else parts["situation"]["text"]
    opening = opening[:1].upper() + opening[1:]
    return f"{opening}, {parts['behaviour']['text']}. {parts['impact']['text']}. {parts['request']['text']}"


def skeleton_questions(*, situation_known: bool) -> list[str]:
    """One question per blank left in the skeleton."""
    parts = _blanks()
    keys = ["behaviour", "impact", "request"] if situation_known else ["situation", "behaviour", "impact", "request"]
    return [parts[k]["question"] for k in keys]


def blank_question(name: str) -> str:
    """The question that asks for one part (``situation``, ``behaviour``, ``impact`` or ``request``)."""
    return str(_blanks()[name]["question"])


def is_skeleton(text: str) -> bool:
    """Is ``text`` the skeleton (its behaviour blank still open)?"""
    return _blanks()["behaviour"]["text"] in text
