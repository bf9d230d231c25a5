"""Safety before coaching: when the words carry risk, the help reply (fixed text from safety/banks/help.yaml),
stored with its flag (private to the speaker, like the rest of their chat); no move, idea or model on this turn."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

from kickcoach.flows.chat.record import save_reply
from kickcoach.flows.chat.results import ChatResult, ChatUpdate

if TYPE_CHECKING:
    from kickcoach.flows.chat.record import OpenTurn
    from kickcoach.people.context import TurnContext
    from kickcoach.safety import SafetyNotice

SAFETY_LABEL = "coach-safety"


def help_turn(ctx: TurnContext, turn: OpenTurn, notice: SafetyNotice, started: float) -> Iterator[ChatUpdate]:
    latency = round(time.perf_counter() - started, 3)
    result = ChatResult(
        conversation_id=turn.conversation_id, reply=notice.text, sources=[], asked=False, asked_reason="safety",
        guard_note=None, removed=[], model=SAFETY_LABEL, prompt=SAFETY_LABEL, tokens_in=0, tokens_out=0,
        latency_s=latency, first_token_s=latency, model_first_token_s=None, act="safety", moves=["safety"],
        safety=notice.category,
    )
    save_reply(ctx, turn, notice.text, sources=[], engine_state={"safety": notice.record()}, model=SAFETY_LABEL,
               prompt=SAFETY_LABEL, tokens_in=0, tokens_out=0, latency_s=latency)
    yield ChatUpdate(text=notice.text)
    yield ChatUpdate(text=notice.text, result=result)
