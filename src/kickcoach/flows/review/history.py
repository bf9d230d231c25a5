"""A pair's review history: past reviews, progress over time, commitments kept, meeting cadence, fairness.

Rules (the numbers the History view and ``kickcoach review --history`` report):

* **Progress chart** — per goal, the reported values ("actual") and the planned path ("planned") on each
  review date, both starting from the goal's start value on its start date. Planned values come from the
  goal as copied into each review, so a target changed later does not rewrite the past.
* **Commitment completion** — commitments marked at a check-in: kept / marked. Unmarked ones are left out.
* **Cadence** — the agreed meetings from the contract's start: the first ``weekday`` on or after
  ``start_date``, then every 7 / 14 days, or monthly on the same weekday of the month, as in the calendar
  export. **Expected**: those up to ``as_of``. **Held**: review dates from the start up to ``as_of`` with at
  least one answer. Each held meeting stands for one agreed meeting: the earliest one not yet accounted for,
  provided it is due no more than half a period after the meeting (a meeting held early counts for the
  next one; extra meetings count for none). **Missed**: expected meetings no held one stands for, once more
  than half a period has passed since their date (a meeting due in the last half period is still open).
  So held (counted) + missed + open = expected.
* **Fairness trend** — per review: yes = 1, mostly = 0.5, no = 0 for each partner, and hours each gave.
* **Export** — one review as a Markdown document (:func:`export_markdown`).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel

from kickcoach.contracts.cadence import first_meeting, meeting_dates
from kickcoach.contracts.models import Contract
from kickcoach.contracts.service import load_contract
from kickcoach.core.banks import bank_beside
from kickcoach.flows.review.flow import ReviewFlow, fairness_score
from kickcoach.flows.review.steps import GoalAnswer, Review, TurnAnswer
from kickcoach.flows.review.summary import build_summary
from kickcoach.history.progress import GoalRef, number, planned_value

if TYPE_CHECKING:
    import pandas as pd

    from kickcoach.services import Services

PERIOD_DAYS = {"weekly": 7, "fortnightly": 14, "monthly": 30}
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


def _line(key: str, **slots: object) -> str:
    """A line of the review's bank (``lines.yaml``, group ``history``)."""
    return bank_beside(__file__).line("history", key, **slots)



class ReviewRow(BaseModel):
    review_id: str
    date: dt.date
    status: str
    answered: int
    total: int
    behind: int
    commitments_kept: int
    commitments_marked: int
    both_fair: bool | None
    demo: bool


class ChartPoint(BaseModel):
    date: dt.date
    value: float
    series: Literal["actual", "planned"]
    goal: str


class CommitmentStats(BaseModel):
    kept: int
    marked: int
    rate: float | None
    by_partner: dict[str, tuple[int, int]]


class CadenceStats(BaseModel):
    frequency: str
    period_days: int
    first_meeting: dt.date
    as_of: dt.date
    expected: int
    held: int
    missed: int
    kept_rate: float | None
    text: str


class FairnessPoint(BaseModel):
    date: dt.date
    a: float | None
    b: float | None
    hours_a: float | None
    hours_b: float | None
    both_fair: bool | None


class History(BaseModel):
    as_of: dt.date
    partners: dict[str, str]
    reviews: list[ReviewRow]
    goals: list[str]
    focus: str | None
    """The goal to chart first: the first one behind in the latest review that reported it, else the first goal."""
    chart: list[ChartPoint]
    commitments: CommitmentStats
    cadence: CadenceStats | None
    fairness: list[FairnessPoint]
    demo: bool

    def frame(self, goal: str | None = None) -> pd.DataFrame:
        """The chart points as a DataFrame (columns date, value, series, goal), optionally one goal's."""
        import pandas as pd

        rows = [p.model_dump() for p in self.chart if goal is None or p.goal == goal]
        frame = pd.DataFrame(rows, columns=["date", "value", "series", "goal"])
        frame["date"] = pd.to_datetime(frame["date"])
        frame["value"] = frame["value"].astype(float)
        return frame.sort_values(["goal", "series", "date"], ignore_index=True)

    def lines(self) -> list[str]:
        """The stats as sentences."""
        found = [f"{len(self.reviews)} review{'s' if len(self.reviews) != 1 else ''} so far."]
        c = self.commitments
        if c.marked:
            found.append(f"Commitments kept: {c.kept} of {c.marked} ({c.rate:.0%}).")
        else:
            found.append("Commitments kept: none marked yet.")
        if self.cadence:
            found.append(self.cadence.text)
        scored = [p for p in self.fairness if p.both_fair is not None]
        if scored:
            fair = sum(1 for p in scored if p.both_fair)
            found.append(_line("fair", fair=fair, count=len(scored)))
        return found


def goal_label(goal: GoalRef) -> str:
    words = goal.what.rstrip(".").split()
    short = " ".join(words[:6]) + ("…" if len(words) > 6 else "")
    return f"{goal.partner_name} · {goal.goal_id}: {short}"


def counted_meetings(scheduled: list[dt.date], held: list[dt.date], period: int) -> list[dt.date]:
    """The agreed meetings (of ``scheduled``, in order) the ``held`` ones stand for (see the module docstring)."""
    covered: list[dt.date] = []
    waiting = list(scheduled)
    for day in sorted(held):
        if waiting and (waiting[0] - day).days <= period / 2:
            covered.append(waiting.pop(0))
    return covered


def cadence_stats(contract: Contract, reviews: list[Review], as_of: dt.date) -> CadenceStats:
    period = PERIOD_DAYS[contract.cadence.frequency]
    start = contract.start_date
    first = first_meeting(start, contract.cadence)
    # one agreed meeting past as_of, so a meeting held early for it counts for it and not for an earlier one
    ahead = meeting_dates(start, contract.cadence, as_of + dt.timedelta(days=period + 31))
    scheduled = [day for day in ahead if day <= as_of]
    held = sorted({r.date for r in reviews if start <= r.date <= as_of and r.answered_count() > 0})
    covered = set(counted_meetings(ahead, held, period))
    missed = sum(1 for day in scheduled if day not in covered and (as_of - day).days > period / 2)
    expected = len(scheduled)
    rate = min(len(held), expected) / expected if expected else None
    text = _line("meetings", held=len(held), expected=expected, frequency=contract.cadence.frequency,
                 start=start.isoformat(), missed=missed)
    return CadenceStats(
        frequency=contract.cadence.frequency,
        period_days=period,
        first_meeting=first,
        as_of=as_of,
        expected=expected,
        held=len(held),
        missed=missed,
        kept_rate=rate,
        text=text,
    )


def build_history(services: Services, pair_id: str, as_of: dt.date, flow: ReviewFlow | None = None) -> History:
    """Everything the History view shows for ``pair_id``, computed from the stored reviews."""
    flow = flow or ReviewFlow(services, use_model=False)
    stored = flow.reviews(pair_id)
    contract = load_contract(services, pair_id)
    partners: dict[str, str]
    if contract is not None:
        partners = {p.id: p.name for p in contract.partners}
    else:
        partners = dict(stored[-1][1].partners) if stored else {}
    rows: list[ReviewRow] = []
    fairness: list[FairnessPoint] = []
    chart: list[ChartPoint] = []
    goals: dict[str, GoalRef] = {}
    charted: list[str] = []
    latest: dict[str, bool | None] = {}
    kept = marked = 0
    by_partner: dict[str, list[int]] = {}
    for review_id, review in stored:
        summary = build_summary(review_id, review)
        fair = review.fairness()
        both = None
        if fair and fair.a.fair and fair.b.fair:
            both = fair.a.fair == "yes" and fair.b.fair == "yes"
        rows.append(
            ReviewRow(
                review_id=review_id,
                date=review.date,
                status=review.status,
                answered=summary.answered,
                total=summary.total,
                behind=len(summary.behind),
                commitments_kept=summary.commitments_kept,
                commitments_marked=summary.commitments_marked,
                both_fair=both,
                demo=review.demo,
            )
        )
        kept += summary.commitments_kept
        marked += summary.commitments_marked
        for c in summary.commitments_checked:
            if c.done is not None:
                counts = by_partner.setdefault(c.partner_name, [0, 0])
                counts[0] += int(c.done)
                counts[1] += 1
        if fair:
            fairness.append(
                FairnessPoint(
                    date=review.date,
                    a=fairness_score(fair, "a"),
                    b=fairness_score(fair, "b"),
                    hours_a=fair.a.hours,
                    hours_b=fair.b.hours,
                    both_fair=both,
                )
            )
        for goal, progress in zip(review.goals, summary.progress, strict=True):
            label = goal_label(goal)
            goals.setdefault(label, goal)
            if progress.progress is not None:
                chart.append(ChartPoint(date=review.date, value=progress.progress, series="actual", goal=label))
                latest[label] = progress.behind
                if label not in charted:
                    charted.append(label)
            planned = planned_value(goal, review.date)
            if planned is not None:
                chart.append(ChartPoint(date=review.date, value=round(planned, 2), series="planned", goal=label))
    baselines = [
        ChartPoint(date=goals[label].start_date, value=goals[label].start_value, series=series, goal=label)
        for label in charted
        for series in ("actual", "planned")
        if series == "actual" or goals[label].has_path
    ]
    return History(
        as_of=as_of,
        partners=partners,
        reviews=rows,
        goals=charted,
        focus=next((label for label in charted if latest.get(label)), charted[0] if charted else None),
        chart=baselines + [p for p in chart if p.goal in charted],
        commitments=CommitmentStats(
            kept=kept,
            marked=marked,
            rate=kept / marked if marked else None,
            by_partner={name: (k, m) for name, (k, m) in by_partner.items()},
        ),
        cadence=cadence_stats(contract, [r for _, r in stored], as_of) if contract else None,
        fairness=fairness,
        demo=any(r.demo for _, r in stored),
    )


# --- export: one review as Markdown -------------------------------------------------------------------
def export_markdown(review_id: str, review: Review) -> str:
    """The review as a Markdown document: check-in, each partner's turn, fairness, summary."""
    s = build_summary(review_id, review)
    names = " & ".join(review.partners[p] for p in ("a", "b"))
    lines = [f"# Weekly review: {names}, {review.date.isoformat()}", ""]
    status = "finished" if review.status == "done" else "in progress"
    lines.append(_line("status", status=status, answered=s.answered, total=s.total, skipped=s.skipped,
                       version=review.contract_version))
    if review.demo:
        lines.append("\n*Demo data seeded by `kickcoach review --seed-demo-history`.*")
    lines += ["", "## Summary", "", *[f"- {line}" for line in s.lines]]
    if "summary" in review.coach:
        lines += ["", f"> Coach: {review.coach['summary'].text}"]
    lines += ["", "| Partner | Goal | Progress | Planned | Status |", "|---|---|---|---|---|"]
    for p in s.progress:
        progress = number(p.progress) if p.progress is not None else "–"
        planned = number(p.planned) if p.planned is not None else "–"
        lines.append(
            f"| {p.partner_name} | {_md_cell(p.what)} | {progress} | {planned} | {p.status.replace('_', ' ')} |"
        )
    checkin = review.answer("checkin")
    lines += ["", "## Check-in", ""]
    if checkin and checkin.note:
        lines += [checkin.note, ""]
    if s.commitments_checked:
        lines += ["Commitments from last time:", ""]
        for c in s.commitments_checked:
            mark = {True: "done", False: "not done", None: "not marked"}[c.done]
            lines.append(f"- [{'x' if c.done else ' '}] {c.partner_name}: {c.text} ({mark}, `{c.id}`)")
        lines.append("")
    for partner in ("a", "b"):
        lines += [f"## {review.partner_name(partner)}'s turn", ""]
        for step in review.turn_steps(partner):
            goal = review.goal(step)
            lines.append(f"### {goal.what if goal else 'General'}")
            lines.append("")
            answer = review.answer(step)
            if answer is None:
                lines += ["*Skipped.*" if step in review.skipped else "*Not answered yet.*", ""]
                continue
            if isinstance(answer, GoalAnswer) and goal:
                row = next(p for p in s.progress if p.partner == partner and p.goal_id == goal.goal_id)
                lines.append(f"- **Progress:** {row.text}")
            lines += _turn_lines(answer)
            lines.append("")
        if partner in review.coach:
            lines += [f"> Coach: {review.coach[partner].text}", ""]
    lines += ["## Fairness", "", s.fairness_text, ""]
    if s.fairness:
        for partner in ("a", "b"):
            side = getattr(s.fairness, partner)
            hours = f", {number(side.hours)} h" if side.hours is not None else ""
            lines.append(
                f"- **{review.partner_name(partner)}** gave: {side.gave or '–'}; got: {side.got or '–'}{hours}; "
                f"fair: {side.fair or '–'}"
            )
        lines.append("")
    if s.note:
        lines += ["## Closing note", "", s.note, ""]
    return "\n".join(lines).rstrip() + "\n"


def _turn_lines(answer: TurnAnswer) -> list[str]:
    lines = []
    for label, text in (("Wins", answer.wins), ("Wasted time or energy", answer.waste), ("Blockers", answer.blockers)):
        if text:
            lines.append(f"- **{label}:** {text}")
    if answer.commitments:
        lines.append("- **Commitments for next week:** " + "; ".join(answer.commitments))
    return lines


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|")

