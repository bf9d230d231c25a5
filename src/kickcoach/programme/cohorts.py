"""A programme (cohort): name, trial period, agreement due date, minimum meeting frequency, pairing rules.

Only the name is required; every other setting has a default and can be changed later:
the trial starts today (kick-off) and runs 12 weeks, the agreement is due 4 weeks after kick-off,
and partners meet at least monthly (the model's "contact at least monthly").
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from kickcoach.core.errors import InputInvalid

Frequency = Literal["weekly", "fortnightly", "monthly"]
TeamRule = Literal["any", "different", "same"]
"""``any``: teams do not matter; ``different``: never pair two people of one team; ``same``: only within a team."""

TRIAL_WEEKS = 12
AGREEMENT_DUE_WEEKS = 4
DEFAULT_FREQUENCY: Frequency = "monthly"
PERIOD_DAYS: dict[str, int] = {"weekly": 7, "fortnightly": 14, "monthly": 30}
"""Days between meetings at each frequency: the cadence that "meetings held against cadence" counts."""


def slugify(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.strip().lower()).strip("-")[:64].strip("-")
    if not slug:
        raise InputInvalid(f"Programme name {name!r} has no letters or digits", "give it a name like 'Spring 2027'",
                           field="name")
    return slug


class Programme(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=64)
    name: str = Field(min_length=1, max_length=200)
    trial_start: dt.date
    trial_end: dt.date
    agreement_due: dt.date
    meeting_frequency: Frequency = DEFAULT_FREQUENCY
    team_rule: TeamRule = "any"

    @model_validator(mode="after")
    def _dates_in_order(self) -> Programme:
        if self.trial_end <= self.trial_start:
            raise ValueError(f"trial_end {self.trial_end} must come after trial_start {self.trial_start}")
        if not self.trial_start <= self.agreement_due <= self.trial_end:
            raise ValueError(
                f"agreement_due {self.agreement_due} must fall within the trial ({self.trial_start} to {self.trial_end})"
            )
        return self

    @property
    def period_days(self) -> int:
        return PERIOD_DAYS[self.meeting_frequency]

    def changed(self, **changes: Any) -> Programme:
        """This programme with ``changes`` applied; moving the kick-off keeps the defaults' spacing when the
        other dates were not given."""
        changes = {k: v for k, v in changes.items() if v is not None}
        unknown = set(changes) - set(type(self).model_fields) or {"id"} & set(changes)
        if unknown:
            raise InputInvalid(f"Cannot change {', '.join(sorted(unknown))}",
                               "settings: name, trial_start, trial_end, agreement_due, meeting_frequency, team_rule")
        if "trial_start" in changes:
            shift = changes["trial_start"] - self.trial_start
            changes.setdefault("trial_end", self.trial_end + shift)
            changes.setdefault("agreement_due", self.agreement_due + shift)
        return _validated(self.model_dump() | changes)


def new_programme(name: str, *, today: dt.date | None = None, **settings: Any) -> Programme:
    start = settings.pop("trial_start", None) or today or dt.date.today()
    data = {
        "id": slugify(name), "name": name, "trial_start": start,
        "trial_end": settings.pop("trial_end", None) or start + dt.timedelta(weeks=TRIAL_WEEKS),
        "agreement_due": settings.pop("agreement_due", None) or start + dt.timedelta(weeks=AGREEMENT_DUE_WEEKS),
    }
    return _validated(data | {k: v for k, v in settings.items() if v is not None})


def _validated(data: dict[str, Any]) -> Programme:
    try:
        return Programme.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "settings"
        raise InputInvalid(f"{where}: {first['msg']}", "correct that setting and try again", field=where) from exc
