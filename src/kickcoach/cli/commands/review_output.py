"""How ``kickcoach review`` prints a review's summary: readable lines, or JSON with ``--json``."""

from __future__ import annotations

from typing import Any

from kickcoach.cli.support import emit_json, out


def _show(text: str) -> None:
    """A line of the command's result (stdout), unwrapped so it can be piped."""
    out.print(text, markup=False, highlight=False, soft_wrap=True)


def print_summary(summary: Any, as_json: bool) -> None:
    if as_json:
        emit_json(summary_json(summary))
        return
    state = "finished" if summary.status == "done" else "in progress"
    _show(
        f"Weekly review {summary.date.isoformat()} ({state}, {summary.answered} of {summary.total} steps answered) "
        f"· id {summary.review_id}"
    )
    for p in summary.progress:
        flag = "  BEHIND" if p.behind else ""
        _show(f"  {p.partner_name} · {p.what}: {p.text}{flag}")
    for line in summary.lines:
        _show(f"- {line}")
    for key, line in summary.coach.items():
        who = "Coach" if key == "summary" else f"Coach, after {summary.partners[key]}'s turn"
        _show(f"{who}: {line.text}")
        if line.note:
            _show(f"  ⓘ {line.note}")


def summary_json(summary: Any) -> dict[str, Any]:
    """The summary as plain JSON-ready data (the shape ``--json`` prints)."""
    fairness = summary.fairness.model_dump(mode="json") if summary.fairness else None
    return {
        "review_id": summary.review_id,
        "date": summary.date.isoformat(),
        "status": summary.status,
        "answered": summary.answered,
        "skipped": summary.skipped,
        "total": summary.total,
        "demo": summary.demo,
        "goals": [p.model_dump(mode="json") for p in summary.progress],
        "behind": summary.behind,
        "commitments": {
            "checked": [c.model_dump(mode="json") for c in summary.commitments_checked],
            "kept": summary.commitments_kept,
            "marked": summary.commitments_marked,
            "next": [c.model_dump(mode="json") for c in summary.commitments_next],
        },
        "fairness": fairness and {**fairness, "text": summary.fairness_text},
        "lines": summary.lines,
        "coach": {
            k: {"text": c.text, "source": c.source, "asked": c.asked, "note": c.note} for k, c in summary.coach.items()
        },
        "note": summary.note,
    }
