"""Demo review history for a pair: finished reviews on its past meeting dates, marked ``demo``.

``kickcoach review --seed-demo-history`` and the demo pair use it, so the History view (chart, commitments,
cadence, fairness) has something to show before a pair has held real reviews.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from kickcoach.contracts.cadence import meeting_dates
from kickcoach.contracts.models import Contract
from kickcoach.contracts.service import load_contract
from kickcoach.core.errors import InputInvalid, NotFound
from kickcoach.flows.review.flow import ReviewFlow
from kickcoach.flows.review.steps import SKIP, Review
from kickcoach.history.progress import number, planned_value

if TYPE_CHECKING:
    from kickcoach.services import Services

DEMO_PACES = (1.0, 1.15, 0.55, 0.9)
"""Share of the planned progress each goal (in contract order, repeating) reaches in the seeded history:
some on track, one ahead, one drifting behind, so the chart and the flags have something to show."""
_DEMO_NOTES = (
    "Both arrived on time after a busy week.",
    "A calm week; Tom was tired after a release.",
    "Priya had a deadline on Friday; both keen to start.",
    "Good energy; one meeting moved by a day.",
)
_DEMO_WASTE = (
    "Too many status meetings.",
    "Switching between tasks all afternoon.",
    "Checking messages during focus time.",
)
_DEMO_BLOCKERS = (
    "Procrastination on the first step.",
    "Fear of sounding unprepared.",
    "Distractions from chat notifications.",
)


def seed_demo_history(services: Services, pair_id: str, today: dt.date, *, count: int = 5) -> list[str]:
    """Add ``count`` finished demo reviews on the pair's past meeting dates, marked ``demo`` (shown as demo data).

    Values follow each goal's planned path times ``DEMO_PACES``; texts come from the contract (goals'
    "how", partners' offers). One meeting inside the range is left out so the cadence stats show a miss.
    Dates that already have a review are left alone; a pair with real reviews is refused.
    """
    contract = load_contract(services, pair_id)
    if contract is None:
        raise NotFound(f"Pair {pair_id!r} has no contract yet", "save a contract (the demo pair has one) first")
    flow = ReviewFlow(services, use_model=False)
    existing = flow.reviews(pair_id)
    if any(not r.demo for _, r in existing):
        raise InputInvalid(
            f"Pair {pair_id!r} already has real reviews; demo history would mix with them",
            "seed demo history only for a pair with no reviews of its own, such as a fresh demo pair",
        )
    past = meeting_dates(contract.start_date, contract.cadence, today - dt.timedelta(days=1))[-(count + 1) :]
    if len(past) > 3:
        del past[-3]  # a missed meeting, for the cadence stats
    taken = {r.date for _, r in existing}
    made = []
    for n, date in enumerate(past):
        if date in taken:
            continue
        view = flow.start(pair_id, date, demo=True)
        review = flow.load(pair_id, view.review_id)
        for step, answer in _demo_answers(contract, review, n).items():
            if answer == SKIP:
                flow.skip(pair_id, view.review_id, step=step)
            else:
                flow.answer(pair_id, view.review_id, answer, step=step)
        made.append(view.review_id)
    return made


def _demo_answers(contract: Contract, review: Review, n: int) -> dict[str, Any]:
    answers: dict[str, object] = {
        "checkin": {
            "note": _DEMO_NOTES[n % len(_DEMO_NOTES)],
            "commitments": {c.id: (i + n) % 3 != 2 for i, c in enumerate(review.carried)},
        }
    }
    hows = {f"{p.id}.{g.id}": g.how for p, g in contract.all_goals()}
    for i, goal in enumerate(review.goals):
        how = hows.get(goal.key) or []
        planned = planned_value(goal, review.date)
        progress = None
        if planned is not None:
            value = goal.start_value + (planned - goal.start_value) * DEMO_PACES[i % len(DEMO_PACES)]
            whole = float(goal.start_value).is_integer() and float(goal.target_value or 0).is_integer()
            progress = float(round(value)) if whole else round(value, 1)
        step_how = how[(n + i) % len(how)] if how else goal.target
        answers[goal.key] = {
            "progress": progress,
            "wins": f"Made progress on: {step_how}",
            "waste": _DEMO_WASTE[(n + i) % len(_DEMO_WASTE)],
            "blockers": _DEMO_BLOCKERS[(n + 2 * i) % len(_DEMO_BLOCKERS)],
            "commitments": [f"Next step: {step_how}"],
        }
    for partner in ("a", "b"):
        if partner in review.steps:
            answers[partner] = SKIP
    a, b = contract.partners
    answers["fairness"] = {
        "a": {"gave": _pick(a.offers, n), "got": _pick(b.offers, n), "hours": 1.0, "fair": "yes"},
        "b": {
            "gave": _pick(b.offers, n),
            "got": _pick(a.offers, n),
            "hours": 0.75,
            "fair": "mostly" if n % 2 else "yes",
        },
    }
    answers["summary"] = {
        "note": f"Demo review {n + 1}; next meeting as usual ({number(contract.cadence.duration_minutes)} minutes)."
    }
    return answers


def _pick(items: list[str], n: int) -> str:
    return items[n % len(items)] if items else ""
