"""The facilitator's dashboard: matched share, agreements signed by the due date, meetings against the
cadence, check-in scores and the partners' fairness gap, pairs at risk; as figures, tables, plots and CSV.

Built from ``ProgrammeStore`` alone (the programme tables): no chat, rehearsal, feedback draft or
contract text is ever read here. Run ``followup.sync_agreements`` first to bring signature dates in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from kickcoach.core.inputs import spreadsheet_safe
from kickcoach.programme.cohorts import Programme
from kickcoach.programme.followup import PairStatus, statuses
from kickcoach.programme.store import ProgrammeStore

PAIR_COLUMNS = ["pair_id", "a", "b", "score", "published_on", "agreement_due", "signed_on", "signed_on_time",
                "meetings_held", "meetings_expected", "last_meeting", "action_plan", "checkin_month",
                "going_a", "going_b", "equal_a", "equal_b", "fairness_gap", "at_risk", "risks"]


@dataclass
class Dashboard:
    programme: Programme
    today: dt.date
    metrics: dict[str, Any]
    pairs: pd.DataFrame
    risks: pd.DataFrame  # reason, pairs (for the bar plot)
    checkin_trend: pd.DataFrame  # month, measure, score (for the line plot)
    statuses: list[PairStatus]

    @property
    def at_risk(self) -> pd.DataFrame:
        return self.pairs[self.pairs["at_risk"]][["pair_id", "a", "b", "risks"]]

    def to_csv(self) -> str:
        """The pairs table as CSV; text that a spreadsheet would run as a formula is neutralised."""
        return self.pairs.map(spreadsheet_safe).to_csv(index=False)

    def summary_markdown(self) -> str:
        m = self.metrics

        def share(x: float | None) -> str:
            return "–" if x is None else f"{x:.0%}"

        def num(x: float | None) -> str:
            return "–" if x is None else f"{x:.2f}"

        lines = [
            f"### {self.programme.name} · {self.today}",
            (f"- **Matched**: {m['people_in_pairs']} of {m['participants']} participants "
             f"({share(m['matched_share'])}); {m['pairs']} pairs published, {m['declined']} declined, "
             f"{m['proposed']} proposed"),
            (f"- **Agreements signed by the due date**: {m['signed_on_time']} of {m['agreements_due']} due "
             f"({share(m['signed_on_time_share'])}); {m['signed']} signed in all" if m["agreements_due"] else
             f"- **Agreements**: none due yet, due {self.programme.agreement_due}; {m['signed']} signed"),
            (f"- **Meetings against cadence** ({self.programme.meeting_frequency}): {m['meetings_held']} held of "
             f"{m['meetings_expected']} expected ({share(m['meetings_share'])})" if m["meetings_expected"] else
             f"- **Meetings**: {m['meetings_held']} held; none expected yet ({self.programme.meeting_frequency})"),
            (f"- **Check-ins** (latest month per pair): going {num(m['going_mean'])}, contributions equal "
             f"{num(m['equal_mean'])} (1–5); mean fairness gap {num(m['fairness_gap_mean'])}"
             if m["going_mean"] is not None or m["equal_mean"] is not None else "- **Check-ins**: none answered yet"),
            f"- **At risk**: {m['at_risk']} pairs",
        ]
        return "\n".join(lines)


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _row(s: PairStatus) -> dict[str, Any]:
    r = s.row
    return {"pair_id": r.pair_id, "a": r.a_email, "b": r.b_email, "score": round(r.score, 3),
            "published_on": r.published_on, "agreement_due": r.agreement_due, "signed_on": r.agreement_signed_on,
            "signed_on_time": s.signed_on_time, "meetings_held": s.meetings_held,
            "meetings_expected": s.meetings_expected, "last_meeting": s.last_meeting, "action_plan": s.action_plan,
            "checkin_month": s.latest_month, "going_a": s.going.get(r.a_email), "going_b": s.going.get(r.b_email),
            "equal_a": s.equal.get(r.a_email), "equal_b": s.equal.get(r.b_email), "fairness_gap": s.fairness_gap,
            "at_risk": bool(s.risks), "risks": "; ".join(s.risks)}


def build_dashboard(store: ProgrammeStore, programme: Programme, today: dt.date | None = None) -> Dashboard:
    today = today or dt.date.today()
    pair_statuses = statuses(store, programme, today)
    consenting = store.consenting_count(programme.id)
    others = store.pairs(programme.id, ("proposed", "declined"))
    frame = pd.DataFrame([_row(s) for s in pair_statuses], columns=PAIR_COLUMNS)
    due = [s for s in pair_statuses if s.row.agreement_due and s.row.agreement_due < today or s.row.agreement_signed_on]
    on_time = sum(1 for s in due if s.signed_on_time)
    held = sum(s.meetings_held for s in pair_statuses)
    expected = sum(s.meetings_expected for s in pair_statuses)
    going = [v for s in pair_statuses for v in s.going.values()]
    equal = [v for s in pair_statuses for v in s.equal.values()]
    gaps = [float(s.fairness_gap) for s in pair_statuses if s.fairness_gap is not None]
    metrics = {
        "participants": consenting, "people_in_pairs": 2 * len(pair_statuses),
        "matched_share": 2 * len(pair_statuses) / consenting if consenting else None,
        "pairs": len(pair_statuses), "declined": sum(r.state == "declined" for r in others),
        "proposed": sum(r.state == "proposed" for r in others),
        "agreements_due": len(due), "signed_on_time": on_time, "signed_on_time_share": on_time / len(due) if due else None,
        "signed": sum(1 for s in pair_statuses if s.row.agreement_signed_on),
        "meetings_held": held, "meetings_expected": expected, "meetings_share": held / expected if expected else None,
        "going_mean": _mean(going), "equal_mean": _mean(equal), "fairness_gap_mean": _mean(gaps),
        "at_risk": int(frame["at_risk"].sum()) if len(frame) else 0,
    }
    reasons = {"unsigned past due": 0, "no meeting in 30 days": 0, "fairness gap": 0, "unequal contributions": 0}
    for s in pair_statuses:
        for risk in s.risks:
            key = ("unsigned past due" if risk.startswith("agreement") else "no meeting in 30 days"
                   if risk.startswith("no meeting") else "fairness gap" if risk.startswith("fairness")
                   else "unequal contributions")
            reasons[key] += 1
    risk_frame = pd.DataFrame({"reason": list(reasons), "pairs": list(reasons.values())})
    trend = pd.DataFrame([{"month": c.month, "measure": measure, "score": getattr(c, measure)}
                          for c in store.checkins(programme.id) for measure in ("going", "equal")],
                         columns=["month", "measure", "score"])
    if len(trend):
        trend = trend.groupby(["month", "measure"], as_index=False)["score"].mean()
    return Dashboard(programme, today, metrics, frame, risk_frame, trend, pair_statuses)
