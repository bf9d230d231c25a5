"""Guard: the last barrier for unasked advice, then what frames the reply (the help reminder, the index note).

The engine's own sentences were each checked against the same strict detector as they were composed
(contract facts, quoted, are the pair's own words); model text is filtered here. The model slipped advice
past the gate: the engine's reply stands, and the note still says what was held back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kickcoach import guard, safety

if TYPE_CHECKING:
    from kickcoach.flows.chat.reword import Reworded
    from kickcoach.flows.coach.engine import EngineReply

RECALL_HELP_TURNS = 6  # after a help reply, the next three replies (six turns back) remind that help is there


def filter_reply(reworded: Reworded, drafted: EngineReply, message: str) -> tuple[str, guard.GuardReport]:
    """The text that may be shown and the guard's report (``reworded`` is updated when the guard overrules it)."""
    asked = drafted.understanding.asked
    shown, report = reworded.text, guard.GuardReport(asked=asked)
    if reworded.used:
        shown, report = guard.filter_text(reworded.text, asked=asked, user_message=message)
        if report.removed:
            shown = drafted.text
            reworded.used, reworded.gate_failed = False, [*reworded.gate_failed, "advice"]
    elif "advice" in reworded.gate_failed:
        report = guard.filter_text(reworded.candidate, asked=asked, user_message=message)[1]
    return shown, report


def frame(shown: str, history: list[dict[str, Any]], retrieval_note: str | None, *, unsure_again: bool = False) -> str:
    """The help reminder first when help was given a moment ago, or when the head alone is unsure again
    (``unsure_again``); the degraded-index note last."""
    helped = [t for t in history[-RECALL_HELP_TURNS:] if _certain_help(t)]
    if unsure_again and not helped:
        shown = f"{safety.unsure_again()}\n\n{shown}"
    elif helped:
        said = " ".join(str(t.get("content", "")) for t in history if t.get("role") == "assistant")
        shown = f"{safety.reminder(said, helped[-1]['safety'].get('category'))}\n\n{shown}"
    if retrieval_note:
        shown = f"{shown}\n\n{retrieval_note}"
    return shown


def _certain_help(turn: dict[str, Any]) -> bool:
    flag = turn.get("safety")
    return isinstance(flag, dict) and bool(flag.get("certain"))


AT_WORK = frozenset({"harassment_at_work", "discrimination"})


def unsure_again(certain: bool, history: list[dict[str, Any]]) -> bool:
    """The learned head alone, unsure, after it already checked in earlier in this conversation and nothing was
    ever heard surely: the readers saw a second check-in escalate to "this is still serious" over a complaint about
    feedback. The reply coaches, with one line first that the help listed earlier is still there."""
    flags = [t["safety"] for t in history if isinstance(t.get("safety"), dict)]
    return not certain and bool(flags) and not any(f.get("certain") for f in flags)


def continues_at_work(category: str | None, certain: bool, history: list[dict[str, Any]]) -> bool:
    """A message only the learned head reads as risk, right after harassment or discrimination was surely heard
    ("I'm scared reporting it makes me the problem", "is that plan realistic or am I overpromising again?"): the
    person is talking it through, and the head is trigger-happy in such a thread (a blind reader saw a planning
    question get the crisis list). The reply reminds them who handles it at work (:func:`frame`); whatever the
    rules hear gets the help reply at once."""
    return not certain and bool(category) and any(  # any head-only reading: the rules still give help at once
        _certain_help(t) and t["safety"].get("category") in AT_WORK for t in history[-RECALL_HELP_TURNS:])
