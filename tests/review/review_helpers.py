"""Shared constants and answers for the weekly review tests."""

from __future__ import annotations

import datetime as dt
import json

TODAY = dt.date(2026, 11, 23)  # a Monday, six weeks into the demo contract (start 2026-10-12, Thursdays)
DAY = dt.date(2026, 11, 26)  # the Thursday meeting after it
DEMO_STEPS = ["checkin", "a.g1", "a.g2", "b.g1", "b.g2", "fairness", "summary"]


def sentence(text: str) -> str:
    """A model reply in the shape the review's prompts ask for."""
    return json.dumps({"sentence": text})


def goal_answer(progress, **texts):
    return {"progress": progress, "wins": "", "waste": "", "blockers": "", "commitments": [], **texts}


FULL = {
    "checkin": {"note": "Both keen."},
    "a.g1": goal_answer(
        3,
        wins="Gave the talk without notes.",
        blockers="Fear of the CFO's questions.",
        commitments=["Record one practice run."],
    ),
    "a.g2": goal_answer(2, wins="Second article live.", commitments="Send draft three to Tom; Fix the charts"),
    "b.g1": goal_answer(3, blockers="Distractions in my SQL hour.", commitments=["Rewrite the churn query."]),
    "b.g2": goal_answer(0, waste="Meetings.", commitments=[]),
    "fairness": {
        "a": {"gave": "SQL review", "got": "Rehearsal", "hours": 1.5, "fair": "yes"},
        "b": {"gave": "Rehearsal", "got": "SQL review", "hours": 1, "fair": "mostly"},
    },
    "summary": {"note": "See you Thursday."},
}
