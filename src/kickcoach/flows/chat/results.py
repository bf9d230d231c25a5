"""What a chat turn returns: the result kept with the reply, and the updates a UI shows while it streams."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from pydantic import BaseModel

from kickcoach.knowledge.retrieve import Source

if TYPE_CHECKING:
    from kickcoach.flows.chat.reword import Reworded
    from kickcoach.flows.coach.engine import EngineReply
    from kickcoach.guard import GuardReport


class ChatResult(BaseModel):
    conversation_id: str
    reply: str
    sources: list[Source]
    asked: bool
    asked_reason: str
    guard_note: str | None
    removed: list[str]
    model: str
    prompt: str
    tokens_in: int
    tokens_out: int
    latency_s: float
    first_token_s: float | None  # first text the user sees (after the guard)
    model_first_token_s: float | None  # first token out of the model (None: no model call)
    error: str | None = None
    act: str = ""
    topic: str = ""
    moves: list[str] = []
    codes: list[str] = []  # MITI codes of the reply's sentences (SR, CR, Q, AF, GI, SU, OF, OT)
    facts: list[str] = []  # sentences quoted from the pair's contract
    model_text_used: bool = False
    gate_failed: list[str] = []
    retrieval_note: str | None = None  # set when the index was unreachable: the reply drew on the contract only
    safety: str | None = None  # the safety check's category when it heard risk: the reply is the help reply


class ChatUpdate(BaseModel):
    """What a UI shows while a turn streams: the reply so far; ``result`` is set on the last update."""

    text: str
    result: ChatResult | None = None
    saved: bool = False  # the user's words are stored (the UI may clear its box)


ENGINE_LABEL = "coach-engine"


def turn_result(conversation_id: str, shown: str, drafted: EngineReply, reworded: Reworded, report: GuardReport,
                retrieval_note: str | None, started: float, first: float) -> ChatResult:
    """The result of a coached turn: the reply shown, its sources, moves, gate and guard verdicts and timings."""
    u, used = drafted.understanding, reworded.used
    return ChatResult(
        conversation_id=conversation_id, reply=shown, sources=drafted.sources, asked=u.asked,
        asked_reason=u.asked_reason, guard_note=report.note(), removed=report.removed,
        model=reworded.label if used else ENGINE_LABEL, prompt=reworded.prompt_id if used else ENGINE_LABEL,
        tokens_in=reworded.tokens_in, tokens_out=reworded.tokens_out,
        latency_s=round(time.perf_counter() - started, 3), first_token_s=round(first, 3),
        model_first_token_s=round(reworded.model_first_s, 3) if reworded.model_first_s else None,
        error=reworded.error, act=u.act, topic=u.topic, moves=drafted.moves, codes=drafted.codes,
        model_text_used=used, gate_failed=reworded.gate_failed, facts=[] if used else drafted.facts,
        retrieval_note=retrieval_note,
    )
