"""The answers each review step takes: pydantic models that read what people type (numbers in words,
"done" marks, yes/mostly/no) and reject unknown fields."""

from __future__ import annotations

import datetime as dt
import math
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

FairVerdict = Literal["yes", "mostly", "no"]
FAIR_SCORE: dict[str, float] = {"yes": 1.0, "mostly": 0.5, "no": 0.0}
SKIP = "skip"


class _Answer(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _text(value: Any) -> Any:
    """Free text; YAML may read a bare answer as a number, date or yes/no, which is kept as written."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float | dt.date):
        return str(value)
    return value


def _lines(value: Any) -> Any:
    """Commitments come as a list, or as text with one per line or separated by ';'."""
    if value is None:
        return []
    if isinstance(value, str):
        value = value.replace(";", "\n").splitlines()
    if isinstance(value, list | tuple):
        return [str(item).strip() for item in value if item is not None and str(item).strip()]
    return value


Text = Annotated[str, BeforeValidator(_text)]
Lines = Annotated[list[str], BeforeValidator(_lines)]


def free_text(raw: Any) -> list[str]:
    """Every string a person typed into an answer (nested lists and mappings included), for the safety check."""
    if isinstance(raw, str):
        return [raw] if raw.strip() else []
    if isinstance(raw, dict):
        return [t for v in raw.values() for t in free_text(v)]
    if isinstance(raw, list | tuple):
        return [t for v in raw for t in free_text(v)]
    return []


def parse_number(value: Any) -> float | None:
    """A progress value: a number, or text holding one ("3", "3.5", "3,5"); empty means not reported."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError("give a number, not yes/no")
    if isinstance(value, str):
        text = value.strip()
        if text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")
        try:
            value = float(text)
        except ValueError:
            raise ValueError(f"{value!r} is not a number; write just the number, e.g. 3 or 3.5") from None
    result = float(value)
    if not math.isfinite(result):
        raise ValueError("give a finite number")
    return result


class CheckinAnswer(_Answer):
    """How both arrive, and which of last time's commitments were kept (commitment id → done)."""

    note: Text = ""
    commitments: dict[str, bool] = Field(default_factory=dict)

    @field_validator("commitments", mode="before")
    @classmethod
    def _marks(cls, value: Any) -> Any:
        if value is None:
            return {}
        if isinstance(value, dict):
            return {str(key): _done(mark) for key, mark in value.items()}
        return value


_DONE_WORDS = {
    "done": True,
    "yes": True,
    "y": True,
    "true": True,
    "not done": False,
    "not_done": False,
    "no": False,
    "n": False,
    "false": False,
}


def _done(mark: Any) -> bool:
    if isinstance(mark, bool):
        return mark
    word = " ".join(str(mark).strip().lower().split())
    if word in _DONE_WORDS:
        return _DONE_WORDS[word]
    raise ValueError(f"mark {mark!r} is not understood; write done or not done")


class TurnAnswer(_Answer):
    """A partner's report without a goal to measure (a partner who has no goals yet)."""

    wins: Text = ""
    waste: Text = ""
    blockers: Text = ""
    commitments: Lines = Field(default_factory=list)

    def texts(self) -> list[str]:
        return [t for t in (self.wins, self.waste, self.blockers, *self.commitments) if t]


class GoalAnswer(TurnAnswer):
    """One goal's report: ``progress`` is the indicator's value now (None = not reported)."""

    progress: float | None = None

    @field_validator("progress", mode="before")
    @classmethod
    def _number(cls, value: Any) -> Any:
        return parse_number(value)


class FairnessSide(_Answer):
    """What one partner gave and got this period, hours given, and whether the trade feels fair to them."""

    gave: Text = ""
    got: Text = ""
    hours: float | None = Field(default=None, ge=0, le=168)
    fair: FairVerdict | None = None

    @field_validator("hours", mode="before")
    @classmethod
    def _hours(cls, value: Any) -> Any:
        return parse_number(value)

    @field_validator("fair", mode="before")
    @classmethod
    def _verdict(cls, value: Any) -> Any:
        if value is None or value == "":
            return None
        if isinstance(value, bool):  # YAML reads a bare yes/no as a boolean
            return "yes" if value else "no"
        word = str(value).strip().lower()
        return {"y": "yes", "fair": "yes", "partly": "mostly", "somewhat": "mostly", "n": "no", "unfair": "no"}.get(
            word, word
        )


class FairnessAnswer(_Answer):
    a: FairnessSide = Field(default_factory=FairnessSide)
    b: FairnessSide = Field(default_factory=FairnessSide)


class SummaryAnswer(_Answer):
    """Anything to add before closing; answering this step finishes the review."""

    note: Text = ""


ANSWER_MODELS: dict[str, type[_Answer]] = {
    "checkin": CheckinAnswer,
    "goal": GoalAnswer,
    "turn": TurnAnswer,
    "fairness": FairnessAnswer,
    "summary": SummaryAnswer,
}

