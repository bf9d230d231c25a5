"""The weekly review's deterministic summary (no model): progress against the path, goals behind, commitments
kept, next week's commitments and fairness."""

from __future__ import annotations

from kickcoach.core.banks import bank_beside
from kickcoach.flows.review.lines import _fairness_text
from kickcoach.flows.review.steps import Review, SummaryAnswer
from kickcoach.flows.review.views import CheckedCommitment, ReviewSummary


def _short_goal(what: str, words: int = 6) -> str:
    parts = what.rstrip(".").split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


def build_summary(review_id: str, review: Review) -> ReviewSummary:
    """The deterministic summary (no model): progress, goals behind, commitments, fairness."""
    progress = review.progress()
    behind = [f"{p.partner_name}: {_short_goal(p.what)} ({p.text})" for p in progress if p.behind]
    marks = review.marks()
    checked = [
        CheckedCommitment(id=c.id, partner_name=c.partner_name, text=c.text, done=marks.get(c.id))
        for c in review.carried
    ]
    kept = sum(1 for c in checked if c.done)
    marked = sum(1 for c in checked if c.done is not None)
    fairness = review.fairness()
    fairness_text = _fairness_text(review, fairness)
    compared = [p for p in progress if p.behind is not None]
    lines = []
    if compared:
        good = len(compared) - len(behind)
        unpathed = sum(1 for p in progress if p.status == "no_path")  # reported, but no target and deadline
        bank = bank_beside(__file__)
        more = bank.line("summary", "unpathed", count=unpathed) if unpathed else ""
        lines.append(bank.line("summary", "on_path", good=good, count=len(compared), unpathed=more))
    else:
        lines.append(bank_beside(__file__).line("summary", "no_path"))
    if behind:
        lines.append("Behind: " + "; ".join(behind) + ".")
    if review.carried:
        unmarked = len(checked) - marked
        line = (
            f"Commitments from last time: {kept} of {marked} kept"
            if marked
            else "Commitments from last time: none marked"
        )
        lines.append(line + (f", {unmarked} not marked." if marked and unmarked else "."))
    next_count = len(review.new_commitments())
    lines.append(f"{next_count} commitment{'s' if next_count != 1 else ''} for next week.")
    lines.append(fairness_text)
    note = review.answer("summary")
    return ReviewSummary(
        review_id=review_id,
        date=review.date,
        status=review.status,
        partners=review.partners,
        answered=review.answered_count(),
        skipped=len(review.skipped),
        total=len(review.steps),
        progress=progress,
        behind=behind,
        commitments_checked=checked,
        commitments_kept=kept,
        commitments_marked=marked,
        commitments_next=review.new_commitments(),
        fairness=fairness,
        fairness_text=fairness_text,
        lines=lines,
        coach=review.coach,
        note=note.note if isinstance(note, SummaryAnswer) else "",
        demo=review.demo,
    )
