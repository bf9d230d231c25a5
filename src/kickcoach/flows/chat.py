"""The coach's chat turn (see shared/design/architecture.md):

save the user's words → retrieve guidance and contract clauses → the conversation engine understands the
turn, decides the moves and composes the reply from the banks → optionally a model rewords it, kept only
if the quality gate passes → the guard has the last word → save the reply with its sources, moves, gate
and guard verdicts, model, tokens and latency.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage
from pydantic import BaseModel

from kickcoach import guard, prompts, safety, tokens
from kickcoach.contracts.service import load_contract
from kickcoach.errors import BackendUnavailable, KickcoachError
from kickcoach.flows.coach import gate
from kickcoach.flows.coach.engine import CoachEngine, EngineReply
from kickcoach.flows.coach.history_turn import from_history  # the pair's history: answers, the weekly opening
from kickcoach.flows.coach.pair_history import ASKS_ABOUT_REVIEW, latest_review  # shared data, same choke point
from kickcoach.guard.requests import content_words
from kickcoach.inputs import clean_nonempty_message
from kickcoach.knowledge.degraded import retrieve_or_degrade
from kickcoach.knowledge.retrieve import Source
from kickcoach.llm import model_label
from kickcoach.people import perspective
from kickcoach.people.person import PartnerId, local_owner
from kickcoach.storage.repo import PENDING

if TYPE_CHECKING:
    from kickcoach.safety import SafetyNotice
    from kickcoach.services import Services
    from kickcoach.storage import PairRepo

ENGINE_LABEL = "coach-engine"
SAFETY_LABEL = "coach-safety"  # the help reply: fixed text from safety/banks/help.yaml
RECALL_HELP_TURNS = 6  # after a help reply, the next three replies (six turns back) remind that help is there
ENGINE_STOOD = "(the reply is the coach's own wording)"  # appended to a backend error: the engine's reply was shown
PERMISSION_ASKED = "The person asked for suggestions: keep the suggestions of the draft."
PERMISSION_NOT_ASKED = "The person did not ask for advice: give none, do not tell them what to do."


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


def _history_messages(turns: list[dict[str, Any]]) -> list[BaseMessage]:
    return [HumanMessage(t["content"]) if t["role"] == "user" else AIMessage(t["content"]) for t in turns]


SHORT_TURN_WORDS = 3  # a turn with fewer content words is searched together with the turn before it


def retrieval_query(history: list[dict[str, Any]], message: str) -> str:
    """What to search for: the message, plus the previous user turn when the message is a short follow-up
    ("what would you do in my position?" is about whatever they said before)."""
    if len(content_words(message)) >= SHORT_TURN_WORDS:
        return message
    previous = next((str(t["content"]) for t in reversed(history) if t["role"] == "user"), "")
    return f"{previous} {message}".strip()


class CoachChat:
    def __init__(self, services: Services) -> None:
        self.services = services

    @property
    def engine(self) -> CoachEngine:
        return CoachEngine(self.services.turn_classifier)

    def stream(self, pair_id: str, conversation_id: str | None, message: str, *,
               speaker: str | None = None) -> Iterator[ChatUpdate]:
        """Run one turn, yielding the visible reply as it grows; the last update carries the result.

        The speaker is ``self.services.speaker`` (the UI's login; the local owner, partner a, when None);
        ``speaker`` ("a"/"b") lets the CLI and evals speak as the local owner of either slot.
        The first update has ``saved=True`` once the user's words and a pending reply are stored; a turn
        that fails or is abandoned after that is marked interrupted (a killed process: see ``PairRepo.turns``).
        """
        pending: list[tuple[PairRepo, int]] = []
        try:
            yield from self._turn(pair_id, conversation_id, message, speaker=speaker, pending=pending)
        except BaseException as exc:
            for repo, turn_id in pending:
                reason = str(exc.message) if isinstance(exc, KickcoachError) else None
                try:
                    repo.interrupt_turn(turn_id, reason)
                except KickcoachError:  # the database itself failed: the next load marks it
                    pass
            raise

    def _turn(self, pair_id: str, conversation_id: str | None, message: str, *,
              speaker: str | None, pending: list[tuple[PairRepo, int]]) -> Iterator[ChatUpdate]:
        started = time.perf_counter()
        message = clean_nonempty_message(message)  # too long or empty: InputInvalid before anything is stored
        slot: PartnerId = "b" if speaker == "b" else "a"
        person = self.services.speaker or local_owner(pair_id, slot)
        if speaker and person.partner != slot and person.is_local:
            person = local_owner(pair_id, slot)
        repo = self.services.storage.for_person(person, pair_id)  # the one choke point: this person's view
        conversation_id = conversation_id or repo.new_conversation("chat")
        history = [{"role": t.role, "content": t.content, "coach": (t.guard or {}).get("coach"),
                    "safety": (t.guard or {}).get("safety")}
                   for t in repo.turns(conversation_id) if not t.error and not t.status]
        repo.add_turn(conversation_id, "user", message)  # saved before anything can fail
        pending.append((repo, repo.add_turn(conversation_id, "assistant", "", status=PENDING).id))
        yield ChatUpdate(text="", saved=True)

        notice = self.services.hear(message)  # safety before coaching: no move, no idea, no model on this turn
        if notice is not None:
            yield from self._help_turn(repo, pending[0][1], conversation_id, notice, started)
            return
        contract = load_contract(self.services, pair_id)
        query = perspective.steer_query(retrieval_query(history, message), person, contract)
        sources, retrieval_note = retrieve_or_degrade(self.services, pair_id, query, contract,
                                                      k=self.services.settings.top_k)  # index down: contract only
        sources = perspective.for_speaker(sources, message, person, contract)
        drafted = self.engine.reply(history, message, contract=contract, speaker=person.partner or "a", sources=sources,
                                    reviews=latest_review(repo) if ASKS_ABOUT_REVIEW.search(message) else None)
        drafted = from_history(repo, contract, message, history, drafted, self.services.settings.today_date, conversation_id)
        u = drafted.understanding
        reply, label, prompt_id = drafted.text, ENGINE_LABEL, "coach-engine"
        tokens_in = tokens_out = 0
        model_first: float | None = None
        gate_failed: list[str] = []
        candidate = ""
        error: str | None = None
        used_model = False
        if self.services.settings.coach_rewords:
            label = self.services.settings.backend
            try:
                model = self.services.model
                label = model_label(model)
                prompt, messages = self._reword_messages(history, message, drafted)
                prompt_id = prompt.id
                tokens_in = tokens.count_messages(messages)
                raw = ""
                for chunk in model.stream(messages):
                    model_first = model_first or time.perf_counter() - started
                    raw += str(chunk.content)
                tokens_out = tokens.count(raw)
                candidate = raw.strip()
                verdict = gate.check(
                    candidate, message=message, draft=drafted.text, given=[s.text for s in sources],
                    asked=u.asked, negative=u.valence in ("negative", "mixed"),
                    said_before={s.strip() for t in history if t["role"] == "assistant"
                                 for s in guard.split_sentences(str(t["content"])) if s.strip()},
                    max_questions=max(1, drafted.text.count("?")),
                )
                gate_failed = verdict.failed
                if verdict.passed:
                    reply, used_model = candidate, True
            except Exception as exc:  # noqa: BLE001 - a backend failure is a message; the engine's reply stands
                error = f"{_as_user_error(exc, label)} {ENGINE_STOOD}"  # a partial model reply is never shown
                gate_failed = ["backend"]
        # The guard has the last word on model text. The engine's own sentences were each checked against
        # the same strict detector as they were composed (contract facts, quoted, are the pair's own words).
        shown, report = reply, guard.GuardReport(asked=u.asked)
        if used_model:
            shown, report = guard.filter_text(reply, asked=u.asked, user_message=message)
            if report.removed:  # the model slipped advice past the gate: the engine's reply stands, and the
                shown = drafted.text  # note still says what was held back
                used_model, gate_failed = False, [*gate_failed, "advice"]
        elif "advice" in gate_failed:
            report = guard.filter_text(candidate, asked=u.asked, user_message=message)[1]
        if any(_certain_help(t) for t in history[-RECALL_HELP_TURNS:]):  # help was given a moment ago
            shown = f"{safety.reminder()}\n\n{shown}"  # the help first, then the coaching
        if retrieval_note:
            shown = f"{shown}\n\n{retrieval_note}"
        first = time.perf_counter() - started
        yield ChatUpdate(text=shown)
        result = ChatResult(
            conversation_id=conversation_id, reply=shown, sources=drafted.sources, asked=u.asked,
            asked_reason=u.asked_reason, guard_note=report.note(), removed=report.removed,
            model=label if used_model else ENGINE_LABEL, prompt=prompt_id if used_model else "coach-engine",
            tokens_in=tokens_in, tokens_out=tokens_out, latency_s=round(time.perf_counter() - started, 3),
            first_token_s=round(first, 3), model_first_token_s=round(model_first, 3) if model_first else None,
            error=error, act=u.act, topic=u.topic, moves=drafted.moves, codes=drafted.codes,
            model_text_used=used_model, gate_failed=gate_failed, facts=[] if used_model else drafted.facts,
            retrieval_note=retrieval_note,
        )
        repo.finish_turn(
            pending[0][1], shown,
            sources=[s.model_dump(exclude={"text"}) for s in result.sources],
            guard={**report.model_dump(), "asked_reason": u.asked_reason, "coach": drafted.record,
                   "gate": {"tried": self.services.settings.coach_rewords, "used": used_model, "failed": gate_failed}},
            model=result.model, prompt=result.prompt, tokens_in=tokens_in, tokens_out=tokens_out,
            latency_s=result.latency_s, error=None,  # the reply shown is the engine's, complete: keep it in history
        )
        yield ChatUpdate(text=shown, result=result)

    @staticmethod
    def _help_turn(repo: PairRepo, turn_id: int, conversation_id: str, notice: SafetyNotice,
                   started: float) -> Iterator[ChatUpdate]:
        """The help reply, stored with its flag (private to the speaker, like the rest of their chat)."""
        latency = round(time.perf_counter() - started, 3)
        result = ChatResult(
            conversation_id=conversation_id, reply=notice.text, sources=[], asked=False, asked_reason="safety",
            guard_note=None, removed=[], model=SAFETY_LABEL, prompt=SAFETY_LABEL, tokens_in=0, tokens_out=0,
            latency_s=latency, first_token_s=latency, model_first_token_s=None, act="safety", moves=["safety"],
            safety=notice.category,
        )
        repo.finish_turn(turn_id, notice.text, sources=[], guard={"safety": notice.record()}, model=SAFETY_LABEL,
                         prompt=SAFETY_LABEL, tokens_in=0, tokens_out=0, latency_s=latency, error=None)
        yield ChatUpdate(text=notice.text)
        yield ChatUpdate(text=notice.text, result=result)

    def ask(self, pair_id: str, conversation_id: str | None, message: str, *, speaker: str | None = None) -> ChatResult:
        *_, last = self.stream(pair_id, conversation_id, message, speaker=speaker)
        assert last.result is not None
        return last.result

    def _reword_messages(self, history: list[dict[str, Any]], message: str,
                         drafted: EngineReply) -> tuple[prompts.Prompt, list[BaseMessage]]:
        prompt = prompts.load("coach/reword")
        variables = {
            "moves": ", ".join(drafted.moves), "permission": PERMISSION_ASKED if drafted.understanding.asked
            else PERMISSION_NOT_ASKED, "max_sentences": str(gate.MAX_SENTENCES),
            "valence": drafted.understanding.valence, "message": message, "draft": drafted.text,
        }
        fixed = prompt.render(history=[], **variables)
        budget = max(0, self.services.settings.token_budget - tokens.count_messages(fixed))
        kept = tokens.fit_history(_history_messages(history), budget)
        return prompt, prompt.render(history=kept, **variables)


def _certain_help(turn: dict[str, Any]) -> bool:
    flag = turn.get("safety")
    return isinstance(flag, dict) and bool(flag.get("certain"))


def _as_user_error(exc: Exception, label: str) -> KickcoachError:
    if isinstance(exc, KickcoachError):
        return exc
    from kickcoach.llm.openai_compat import as_backend_error

    return as_backend_error(exc, label) or BackendUnavailable(
        f"The model failed: {type(exc).__name__}: {exc}", "try again; if it keeps failing, check the backend setting"
    )
