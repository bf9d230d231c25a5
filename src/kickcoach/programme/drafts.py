"""The draft agreement of a published pair: each side's offers and needs, one starting goal per need.

Signing a contract needs at least one goal per partner, so each need becomes a goal to sharpen together
(the Contract tab's SMART checks say what is missing); terms come from ``data/agreement_defaults.yaml``.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from kickcoach.contracts.models import Cadence, Contract, Goal, Partner, Terms
from kickcoach.programme.cohorts import Programme
from kickcoach.programme.inventory import Participant

DEFAULTS = Path(__file__).with_name("data") / "agreement_defaults.yaml"


@lru_cache(maxsize=1)
def defaults() -> dict[str, Any]:
    return yaml.safe_load(DEFAULTS.read_text(encoding="utf-8"))


def pair_slug(programme: Programme, row_id: int) -> str:
    return f"{programme.id[:50].strip('-')}-{row_id}"


def draft_contract(programme: Programme, pair_id: str, a: Participant, b: Participant, today: dt.date) -> Contract:
    terms = defaults()

    def partner(pid: str, person: Participant) -> Partner:
        goals = [Goal(id=f"g{i}", what=need, target=terms["goal_target"],
                      start_date=dt.date(today.year, today.month, today.day))  # own object: no YAML alias
                 for i, need in enumerate(person.needs, start=1)]
        return Partner(id=pid, name=person.name, organisation=person.team or None, goals=goals,
                       offers=list(person.offers), needs=list(person.needs))

    review = programme.trial_end if programme.trial_end > today else today + dt.timedelta(weeks=12)
    return Contract(
        pair_id=pair_id, title=f"{a.name} and {b.name}'s peer-mentoring contract ({programme.name})",
        partners=(partner("a", a), partner("b", b)),
        cadence=Cadence(frequency=programme.meeting_frequency),
        terms=Terms(accountability=terms["accountability"], confidentiality=terms["confidentiality"]),
        start_date=today, review_date=review,
    )
