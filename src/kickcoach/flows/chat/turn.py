"""One chat turn, as one screen (see shared/design/architecture.md and the README's "How it works"):

save the user's words → safety → understand → retrieve → decide → compose → reword through the gate → guard
→ save the reply. Each step is a small module of this package; the conversation engine (understand, decide,
compose from the banks) lives in :mod:`kickcoach.flows.coach`. Who is speaking arrives resolved, once, as a
``TurnContext``; the conversation so far is read once per send (the UI hands in what it already loaded).
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from kickcoach.contracts.service import read_contract
from kickcoach.core.errors import KickcoachError
from kickcoach.core.inputs import clean_nonempty_message
from kickcoach.flows.chat.guard_check import continues_at_work, filter_reply, frame, unsure_again
from kickcoach.flows.chat.help_reply import help_turn
from kickcoach.flows.chat.record import save_coached, save_words
from kickcoach.flows.chat.results import ChatResult, ChatUpdate, turn_result
from kickcoach.flows.chat.retrieval import find_sources
from kickcoach.flows.chat.reword import Reworded, reword
from kickcoach.flows.coach.engine import CoachEngine
from kickcoach.flows.coach.history_head import history_head
from kickcoach.flows.coach.history_turn import from_history
from kickcoach.flows.coach.pair_history import ASKS_ABOUT_REVIEW, latest_review  # shared data, same choke point
from kickcoach.people.context import TurnContext

if TYPE_CHECKING:
    from kickcoach.flows.chat.parts import ChatParts
    from kickcoach.storage import PairRepo
    from kickcoach.storage.models import Turn


class CoachChat:
    def __init__(self, parts: ChatParts) -> None:
        self.parts = parts

    @property
    def engine(self) -> CoachEngine:
        return CoachEngine(self.parts.turn_classifier)

    def run(self, ctx: TurnContext, conversation_id: str | None, message: str, *,
            earlier: Sequence[Turn] | None = None) -> Iterator[ChatUpdate]:
        """Run one turn as ``ctx``'s person, yielding the visible reply as it grows; the last update carries the
        result. ``earlier``: the conversation's turns when the caller already read them (read here otherwise).
        The first update has ``saved=True`` once the user's words and a pending reply are stored; a turn that
        fails or is abandoned after that is marked interrupted (a killed process: see ``PairRepo.turns``)."""
        pending: list[tuple[PairRepo, int]] = []
        try:
            yield from self._turn(ctx, conversation_id, message, earlier, pending)
        except BaseException as exc:
            for repo, turn_id in pending:
                reason = str(exc.message) if isinstance(exc, KickcoachError) else None
                try:
                    repo.interrupt_turn(turn_id, reason)
                except KickcoachError:  # the database itself failed: the next load marks it
                    pass
            raise

    def _turn(self, ctx: TurnContext, conversation_id: str | None, message: str, earlier: Sequence[Turn] | None,
              pending: list[tuple[PairRepo, int]]) -> Iterator[ChatUpdate]:
        started, settings, engine = time.perf_counter(), self.parts.settings, self.engine
        message = clean_nonempty_message(message)  # too long or empty: InputInvalid before anything is stored
        turn = save_words(ctx, conversation_id, message, earlier)  # saved before anything can fail
        pending.append((ctx.repo, turn.reply_id))
        yield ChatUpdate(text="", saved=True)
        again = any(isinstance(t.get("safety"), dict) for t in turn.history)  # help given earlier: not the same words
        notice = self.parts.hear(message, again=again)  # safety before coaching: no move, no idea, no model on this turn
        unsure = notice is not None and unsure_again(notice.certain, turn.history)
        if notice is not None and not unsure and not continues_at_work(notice.category, notice.certain, turn.history):
            yield from help_turn(ctx, turn, notice, started)
            return
        contract = read_contract(ctx.repo)
        u, state = engine.understand(turn.history, message, contract=contract, speaker=ctx.slot)
        sources, note = find_sources(self.parts.retriever, ctx, turn.history, message, contract, settings.top_k)
        plan = engine.decide(u, state, message)
        reviews = latest_review(ctx.repo) if ASKS_ABOUT_REVIEW.search(message) else None
        drafted = engine.compose(u, state, plan, message=message, contract=contract, speaker=ctx.slot,
                                 sources=sources, reviews=reviews)
        drafted = from_history(ctx.repo, contract, message, turn.history, drafted, settings.today_date,
                               turn.conversation_id, history_head(self.parts.turn_classifier))  # answers, opening
        reworded = (reword(lambda: self.parts.model, settings.backend, settings.token_budget, turn.history,
                           message, drafted, sources, started)
                    if settings.coach_rewords else Reworded(label=settings.backend, text=drafted.text))
        shown, report = filter_reply(reworded, drafted, message)  # the guard has the last word on model text
        shown = frame(shown, turn.history, note, unsure_again=unsure)
        yield ChatUpdate(text=shown)
        result = turn_result(turn.conversation_id, shown, drafted, reworded, report, note, started,
                             first=time.perf_counter() - started)
        save_coached(ctx, turn, result, drafted.record, report,
                     {"tried": settings.coach_rewords, "used": reworded.used, "failed": reworded.gate_failed})
        yield ChatUpdate(text=shown, result=result)

    # --- callers that speak as the local owner of a slot (CLI, evals) or as ``services.speaker`` --------------
    def stream(self, pair_id: str, conversation_id: str | None, message: str, *,
               speaker: str | None = None) -> Iterator[ChatUpdate]:
        """``run`` as the services' speaker (the local owner of slot ``speaker``, "a" or "b", when none)."""
        yield from self.run(context_for(self.parts, pair_id, speaker), conversation_id, message)

    def answer(self, ctx: TurnContext, conversation_id: str | None, message: str) -> ChatResult:
        """``run`` to the end: the turn's result."""
        *_, last = self.run(ctx, conversation_id, message)
        assert last.result is not None
        return last.result

    def ask(self, pair_id: str, conversation_id: str | None, message: str, *, speaker: str | None = None) -> ChatResult:
        *_, last = self.stream(pair_id, conversation_id, message, speaker=speaker)
        assert last.result is not None
        return last.result


def context_for(services: ChatParts, pair_id: str, speaker: str | None = None) -> TurnContext:
    """The edge for callers without a login: ``services.speaker`` when set, else the local owner of ``speaker``'s
    slot (the CLI's ``--as`` and the evals speak as either partner)."""
    from kickcoach.core.person import PartnerId, local_owner

    slot: PartnerId = "b" if speaker == "b" else "a"
    person = getattr(services, "speaker", None) or local_owner(pair_id, slot)
    if speaker and person.partner != slot and person.is_local:
        person = local_owner(pair_id, slot)
    return TurnContext.of(services.storage, person, pair_id)
