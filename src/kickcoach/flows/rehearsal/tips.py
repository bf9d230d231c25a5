"""Tips for the real conversation, grounded in the debrief; given only when the person asked (the flow checks)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from langchain_core.messages import AIMessage, HumanMessage

from kickcoach import guard
from kickcoach.core import prompts
from kickcoach.core.banks import bank_beside
from kickcoach.core.errors import BackendUnavailable, KickcoachError
from kickcoach.flows.rehearsal.debrief import Debrief
from kickcoach.flows.rehearsal.models import Note, Rehearsal
from kickcoach.llm import model_label
from kickcoach.llm.generate import complete_text
from kickcoach.text.wellformed import well_formed

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

TIPS_MAX_TOKENS = 120


def _tip(key: str, **slots: object) -> str:
    return bank_beside(__file__).line("tips", key, **slots)


def template_tips(report: Debrief) -> list[str]:
    """One tip per behaviour the debrief did not see, quoting the boss where it helps; if all were seen, a stretch."""
    tips: list[str] = []
    for point in report.not_seen:
        if point.behaviour == "ask":
            tips.append(_tip("ask"))
        elif point.behaviour in ("evidence", "specifics"):
            tips.append(_tip("evidence"))
        elif point.behaviour == "objections":
            tips.append(_tip("objections", point=point.point))
        elif point.behaviour == "next_step":
            tips.append(_tip("next_step"))
    if not tips:
        tips.append(_tip("stretch"))
    return tips


def as_user_error(exc: Exception, label: str) -> KickcoachError:
    if isinstance(exc, KickcoachError):
        return exc
    from kickcoach.llm.openai_compat import as_backend_error

    return as_backend_error(exc, label) or BackendUnavailable(
        f"The model failed: {type(exc).__name__}: {exc}", "try again; if it keeps failing, check the backend setting"
    )


def tips_note(model: BaseChatModel, rehearsal: Rehearsal, text: str) -> Note:
    """Tips grounded in the debrief (:func:`template_tips`) plus up to two of the model's, guarded."""
    assert rehearsal.debrief is not None
    report = rehearsal.debrief
    seen = "; ".join(p.point for p in report.went_well) or "nothing yet"
    missing = "; ".join(p.point for p in report.not_seen) or "nothing: every behaviour was seen"
    history = [
        HumanMessage(n.text) if n.role == "user" else AIMessage(n.text) for n in rehearsal.followups[:-1]
    ]
    messages = prompts.load("rehearse/tips").render(
        ask=rehearsal.ask, seen=seen, missing=missing, history=history[-4:], message=text
    )
    error = guard_note = None
    model_tips: list[str] = []
    try:
        raw = complete_text(model, messages, max_tokens=TIPS_MAX_TOKENS)
    except Exception as exc:  # noqa: BLE001 - the template tips still answer the user
        error = str(as_user_error(exc, model_label(model)))
    else:
        filtered, guard_report = guard.filter_text(raw, True, text)
        guard_note = guard_report.note()
        # whole sentences only: a reply cut at the token limit ends mid-clause ("…but it's not always possible;")
        whole = [s.strip() for s in guard.split_sentences(filtered) if well_formed(s.strip())]
        model_tips = [s for s in whole if guard.is_suggestion(s)][:2]
    grounded = template_tips(report)
    tips = grounded + [t for t in model_tips if t not in grounded]
    body = _tip("title") + "\n".join(f"- {t}" for t in tips)
    return Note(role="coach", text=body, guard_note=guard_note, error=error)
