"""A contract cut into clauses for retrieval: each one self-contained, citable and stable.

Every clause text names who and which goal ("Priya's goal 2 indicators: …"), so a retrieved clause
makes sense on its own. Partners are called by first name unless both share it. Ids depend only on
the pair, partner, goal id and clause kind, so re-indexing an edited contract replaces clauses in
place (``demo:a:g2:indicators``). ``path`` is the human citation ("Contract › Priya › Goal 2 › Indicators").
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from kickcoach.contracts.models import Contract, Goal

_SEP = " › "


class Clause(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    pair_id: str
    path: str
    text: str


def _join(items: list[str]) -> str:
    return "; ".join(item.rstrip(".") for item in items) + "." if items else "none written yet."


def contract_clauses(contract: Contract) -> list[Clause]:
    """Goal clauses (what/how, target/deadline, indicators) and offers/needs per partner, then the shared terms."""
    c = contract
    clauses: list[Clause] = []
    name = _short_names(c)

    def add(key: str, path: list[str], text: str) -> None:
        clauses.append(
            Clause(id=f"{c.pair_id}:{key}", pair_id=c.pair_id, path=_SEP.join(["Contract", *path]), text=text)
        )

    for partner in c.partners:
        me, other = name[partner.id], name["b" if partner.id == "a" else "a"]
        for number, goal in enumerate(partner.goals, start=1):
            for kind, title, text in _goal_clauses(me, number, goal):
                add(f"{partner.id}:{goal.id}:{kind}", [me, f"Goal {number}", title], text)
        about = ", ".join(x for x in (partner.role, partner.organisation) if x)
        who = f"{me} ({about})" if about else me
        add(f"{partner.id}:offers", [me, "Offers"], f"{who} offers {other}: {_join(partner.offers)}")
        needs = f"{me} needs from {other}: {_join(partner.needs)}"
        if partner.aims:
            needs += f" {me}'s aims: {partner.aims}"
        add(f"{partner.id}:needs", [me, "Needs"], needs)

    names = " and ".join(name.values())
    add("cadence", ["Meetings"], f"{names} meet {c.cadence.summary()}.")
    add("accountability", ["Accountability"], f"Accountability between {names}: {c.terms.accountability}")
    add("confidentiality", ["Confidentiality"], f"Confidentiality between {names}: {c.terms.confidentiality}")
    add("feedback", ["Feedback rules"], f"Feedback rules {names} agreed: {_join(c.terms.feedback_rules)}")
    review = f", review date {c.review_date.isoformat()}" if c.review_date else ", no review date set"
    signed = ", ".join(f"{name[s.partner]} signed on {s.signed_at:%Y-%m-%d}" for s in c.signatures) or "not signed yet"
    add(
        "dates",
        ["Dates and status"],
        f'"{c.title}" between {names}: version {c.version}, status {c.status}, '
        f"started {c.start_date.isoformat()}{review}; {signed}.",
    )
    return clauses


def _short_names(contract: Contract) -> dict[str, str]:
    first: dict[str, str] = {p.id: p.name.split()[0] for p in contract.partners}
    return first if first["a"] != first["b"] else {p.id: p.name for p in contract.partners}


def _goal_clauses(name: str, number: int, goal: Goal) -> list[tuple[str, str, str]]:
    who = f"{name}'s goal {number}"
    when = (
        f"deadline {goal.deadline.isoformat()}"
        if goal.deadline
        else f"timeframe {goal.timeframe}"
        if goal.timeframe
        else "no deadline set"
    )
    status = goal.status.replace("_", " ")
    target = f"{who} target: {goal.target.rstrip('.')}; {when}; status {status}."
    if goal.relevant_to:
        target += f" It serves: {goal.relevant_to}"
    return [
        ("what", "Goal and strategies", f"{who}: {goal.what} How: {_join(goal.how)}"),
        ("target", "Target and deadline", target),
        ("indicators", "Indicators", f"{who} indicators: {_join(goal.indicators)}"),
    ]
