"""Saved rephrasings: the user's words are stored before the model runs, the result after."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel

from kickcoach.core.errors import KickcoachError
from kickcoach.flows.feedback.flow import FeedbackResult, check_input, rephrase, template
from kickcoach.safety import SafetyNotice

if TYPE_CHECKING:
    from kickcoach.services import Services

RECORD_KIND = "feedback"


class SavedFeedback(BaseModel):
    id: str
    criticism: str
    want_request: bool
    context: str | None = None
    status: Literal["pending", "done"]
    result: FeedbackResult | None = None
    safety: SafetyNotice | None = None  # the help reply, when the safety check heard risk (then no rewrite)


def rephrase_and_save(
    services: Services,
    pair_id: str,
    criticism: str,
    *,
    want_request: bool = False,
    context: str | None = None,
) -> SavedFeedback:
    """Save the user's words, rephrase, save the result: a crash in between loses nothing the user typed."""
    text = check_input(criticism)
    repo = services.pair(pair_id)
    saved = SavedFeedback(id="", criticism=text, want_request=want_request, context=context, status="pending")
    record_id = repo.put_record(RECORD_KIND, saved.model_dump(exclude={"id"}))
    notice = services.hear(f"{text}\n{context or ''}")  # safety before rewording: help, not a softer sentence
    if notice is not None:
        saved = saved.model_copy(update={"id": record_id, "status": "done", "safety": notice})
        repo.put_record(RECORD_KIND, saved.model_dump(exclude={"id"}), record_id=record_id)
        return saved
    try:
        model = services.model
    except KickcoachError as exc:  # no model (missing GGUF, bad backend): the template still helps
        result = template(text, want_request=want_request, context=context).model_copy(update={"error": str(exc)})
    else:
        result = rephrase(model, text, want_request=want_request, context=context)
    saved = saved.model_copy(update={"id": record_id, "status": "done", "result": result})
    repo.put_record(RECORD_KIND, saved.model_dump(exclude={"id"}), record_id=record_id)
    return saved


def recent(services: Services, pair_id: str, limit: int = 10) -> list[SavedFeedback]:
    """This pair's latest rephrasings, newest first."""
    rows = services.pair(pair_id).records(RECORD_KIND)
    return [SavedFeedback.model_validate({**row.data, "id": row.id}) for row in reversed(rows[-limit:])]
