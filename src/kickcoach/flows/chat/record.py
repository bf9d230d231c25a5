"""The turn's storage: the user's words saved first (before anything can fail), then the reply with its record.

Every read and write goes through the speaker's own view of the pair (``TurnContext.repo``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kickcoach.storage.repo import PENDING

if TYPE_CHECKING:
    from kickcoach.flows.chat.results import ChatResult
    from kickcoach.guard import GuardReport
    from kickcoach.people.context import TurnContext
    from kickcoach.storage.models import Turn


@dataclass(frozen=True)
class OpenTurn:
    conversation_id: str
    history: list[dict[str, Any]]  # the conversation before this turn (complete turns only), as the engine reads it
    reply_id: int  # the pending reply row, finished (or marked interrupted) later


def history_of(turns: Sequence[Turn]) -> list[dict[str, Any]]:
    """Stored turns as the engine reads them: complete turns only, with each reply's coach and safety record."""
    return [{"role": t.role, "content": t.content, "coach": (t.engine_state or {}).get("coach"),
             "safety": (t.engine_state or {}).get("safety")}
            for t in turns if not t.error and not t.status]


def save_words(ctx: TurnContext, conversation_id: str | None, message: str,
               earlier: Sequence[Turn] | None = None) -> OpenTurn:
    """Store the user's words and a pending reply; ``earlier`` is the conversation already loaded by the caller
    (loaded here when None)."""
    if not conversation_id:
        conversation_id, earlier = ctx.repo.new_conversation("chat"), []
    history = history_of(earlier if earlier is not None else ctx.repo.turns(conversation_id))
    ctx.repo.add_turn(conversation_id, "user", message)
    pending = ctx.repo.add_turn(conversation_id, "assistant", "", status=PENDING)
    return OpenTurn(conversation_id, history, pending.id)


def save_reply(ctx: TurnContext, turn: OpenTurn, text: str, **fields: Any) -> None:
    """Finish the pending reply (complete: it stays in the conversation's history)."""
    ctx.repo.finish_turn(turn.reply_id, text, error=None, **fields)


def save_coached(ctx: TurnContext, turn: OpenTurn, result: ChatResult, record: dict[str, Any],
                 report: GuardReport, gate: dict[str, Any]) -> None:
    """Finish the pending reply with its sources, the guard's report, the engine's record and the gate's verdict."""
    save_reply(
        ctx, turn, result.reply,
        sources=[s.model_dump(exclude={"text"}) for s in result.sources],
        engine_state={**report.model_dump(), "asked_reason": result.asked_reason, "coach": record, "gate": gate},
        model=result.model, prompt=result.prompt, tokens_in=result.tokens_in, tokens_out=result.tokens_out,
        latency_s=result.latency_s,  # the reply shown is the engine's, complete: keep it in history
    )
