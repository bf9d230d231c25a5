"""Goal kinds for the template path, read from ``templates.yaml`` (guidance, not code)."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml


@dataclass(frozen=True)
class Kind:
    """A goal kind; ``{n} {by} {target} {topic} {in_topic} {subject} {it}`` are filled in its texts."""

    name: str
    pattern: str
    count: int
    unit: str
    weeks: int
    action: str
    target: str
    how: tuple[str, ...]
    indicators: tuple[str, ...]
    needs_subject: bool = False  # used only when the person names the subject ("learn SQL")


def _kind(data: dict[str, Any]) -> Kind:
    return Kind(
        name=data["name"],
        pattern=data.get("pattern", r"$^"),
        count=int(data["count"]),
        unit=data["unit"],
        weeks=int(data["weeks"]),
        action=data["action"],
        target=data["target"],
        how=tuple(data["how"]),
        indicators=tuple(data["indicators"]),
        needs_subject=bool(data.get("needs_subject", False)),
    )


_DATA: dict[str, Any] = yaml.safe_load(
    resources.files("kickcoach.flows.smarten").joinpath("templates.yaml").read_text(encoding="utf-8")
)
KINDS: tuple[Kind, ...] = tuple(_kind(k) for k in _DATA["kinds"])
MILESTONES = _kind(_DATA["milestones"])
OWN_WORDS = _kind(_DATA["own"])  # steps for a goal in the person's own words that matches no kind
GENERIC_TOPIC_WORDS = frozenset(_DATA["generic_topic_words"])
