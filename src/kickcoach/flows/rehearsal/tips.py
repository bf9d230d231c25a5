"""Tips for the real conversation, grounded in the debrief; given only when the person asked (the flow checks)."""

from __future__ import annotations

from kickcoach.flows.rehearsal.debrief import Debrief


def template_tips(report: Debrief) -> list[str]:
    """One tip per behaviour the debrief did not see, quoting the boss where it helps; if all were seen, a stretch."""
    tips: list[str] = []
    for point in report.not_seen:
        if point.behaviour == "ask":
            tips.append("Put your ask in one sentence and say it in your first or second turn, starting “I'd like…”.")
        elif point.behaviour == "evidence":
            tips.append("Bring one number, date or concrete example that backs your case, such as a result you delivered and when.")
        elif point.behaviour == "objections":
            tips.append(f"When the boss pushes back, answer that point before moving on. {point.point}")
        elif point.behaviour == "next_step":
            tips.append("Before you leave, propose a next step with a date: a follow-up meeting, or something you will send by Friday.")
    if not tips:
        tips.append("Replay it at the hard level (more objections, less patience) and keep the opening that worked.")
    return tips
