"""The coach's chat turn (see shared/design/architecture.md):

save the user's words → did they ask for suggestions? → retrieve guidance and contract clauses →
render the versioned prompt within the token budget → stream the model → guard the stream sentence by
sentence → save the reply with its sources, guard verdict, model, tokens and latency.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage
from pydantic import BaseModel

from kickcoach import guard, prompts, tokens
from kickcoach.contracts.service import load_contract
from kickcoach.errors import BackendUnavailable, KickcoachError
from kickcoach.guard.requests import content_words
from kickcoach.inputs import clean_message
from kickcoach.knowledge.retrieve import Source, retrieve
from kickcoach.llm import model_label
from kickcoach.people import perspective
from kickcoach.people.person import local_owner

if TYPE_CHECKING:
    from kickcoach.services import Services

MODE_ASKED = (
    "The person asked for suggestions. Give two or three concrete, practical suggestions drawn from the notes."
)
MODE_NOT_ASKED = (
    "The person did not ask for advice. Do not tell them what to do. Reflect what you heard, share what the "
    "notes say if they asked a question, and ask one open question."
)
SOURCE_TOKENS = 100  # per passage: prompt tokens cost ~9 ms each with SmolLM2 on 2 cores
IDEAS_INTRO = "Here are some ideas from our guidance:"
GROUNDED_SHARE = 0.4  # a reply is grounded when this share of its content words occur in the passages
QUOTE_WORDS = 60


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
    model_first_token_s: float | None  # first token out of the model
    error: str | None = None


class ChatUpdate(BaseModel):
    """What a UI shows while a turn streams: the reply so far; ``result`` is set on the last update."""

    text: str
    result: ChatResult | None = None


def _sources_block(sources: list[Source]) -> str:
    if not sources:
        return "(no notes found)"
    return "\n".join(
        f'<source n="{i}" cite="{s.citation()}">{tokens.truncate(s.text, SOURCE_TOKENS)}</source>'
        for i, s in enumerate(sources, 1)
    )


def _history_messages(turns: list[dict[str, str]]) -> list[BaseMessage]:
    return [HumanMessage(t["content"]) if t["role"] == "user" else AIMessage(t["content"]) for t in turns]


def ideas_from_sources(sources: list[Source], limit: int = 3) -> list[str]:
    """Suggestion sentences taken from the retrieved guidance: the fallback when asked and the model gave none."""
    ideas: list[str] = []
    for source in sources:
        if source.kind != "guidance":
            continue
        for sentence in guard.split_sentences(source.text):
            clean = sentence.strip().lstrip("-*• ").strip()
            if 6 <= len(clean.split()) <= 40 and guard.is_suggestion(clean) and clean not in ideas:
                ideas.append(clean)
            if len(ideas) >= limit:
                return ideas
    return ideas


_QUESTION = re.compile(r"\?|^\s*(what|how|why|when|where|who|which|is|are|do|does|can|should|could|would|will)\b", re.IGNORECASE)


def is_question(message: str) -> bool:
    return bool(_QUESTION.search(message))


def grounded(reply: str, sources: list[Source]) -> bool:
    """Does the reply draw on the passages? (share of its content words found in them)"""
    words = content_words(reply)
    if not words:
        return False
    known = content_words(" ".join(s.text for s in sources))
    return len(words & known) / len(words) >= GROUNDED_SHARE


def key_passages(question: str, sources: list[Source], asked: bool) -> tuple[list[str], Source | None]:
    """Sentences of the passage that best fits the question, best first, for a quoted answer.

    Suggestion sentences are skipped unless the person asked, so a quote never breaks the house rule.
    """
    if not sources:
        return [], None
    wanted = content_words(question)
    # The passage whose heading best matches the question (our headings are the questions they answer);
    # retrieval rank breaks ties.
    top = max(sources, key=lambda s: (len(wanted & content_words(s.heading)), -sources.index(s)))
    scored = []
    for index, sentence in enumerate(guard.split_sentences(top.text)):
        clean = sentence.strip().lstrip("-*• ").strip()
        if len(clean.split()) < 5 or clean.endswith(":") or (not asked and guard.is_suggestion(clean, strict=True)):
            continue
        words = clean.split()
        clean = " ".join(words[:QUOTE_WORDS]) + ("…" if len(words) > QUOTE_WORDS else "")
        # Our guidance puts each section's answer first, so the opening sentence gets a head start.
        scored.append((len(wanted & content_words(clean)) + (index == 0), -index, clean))
    return [text for *_, text in sorted(scored, reverse=True)], top


class CoachChat:
    def __init__(self, services: Services) -> None:
        self.services = services

    def build_messages(self, history: list[dict[str, str]], message: str, sources: list[Source], asked: bool) -> tuple[prompts.Prompt, list[BaseMessage]]:
        prompt = prompts.load("coach/chat")
        fixed = prompt.render(mode=MODE_ASKED if asked else MODE_NOT_ASKED, sources=_sources_block(sources), history=[], message=message)
        budget = max(0, self.services.settings.token_budget - tokens.count_messages(fixed))
        kept = tokens.fit_history(_history_messages(history), budget)
        return prompt, prompt.render(
            mode=MODE_ASKED if asked else MODE_NOT_ASKED, sources=_sources_block(sources), history=kept, message=message
        )

    def stream(self, pair_id: str, conversation_id: str | None, message: str) -> Iterator[ChatUpdate]:
        """Run one turn, yielding the visible reply as it grows; the last update carries the result.

        The speaker is ``self.services.speaker`` (the UI's login; the local owner, partner a, when None).
        """
        started = time.perf_counter()
        message = clean_message(message)  # too long: InputInvalid before anything is stored
        speaker = self.services.speaker or local_owner(pair_id)
        repo = self.services.pair(pair_id)
        conversation_id = conversation_id or repo.new_conversation("chat")
        history = [{"role": t.role, "content": t.content} for t in repo.turns(conversation_id) if not t.error]
        repo.add_turn(conversation_id, "user", message)  # saved before anything can fail

        verdict = guard.asked(history, message)
        contract = load_contract(self.services, pair_id)
        query = perspective.steer_query(message, speaker, contract)
        sources = retrieve(self.services.ready_store(), pair_id, query, k=self.services.settings.top_k)
        sources = perspective.for_speaker(sources, message, speaker, contract)
        prompt, messages = self.build_messages(history, message, sources, verdict.asked)
        model = self.services.model
        label = model_label(model)
        stream_guard = guard.StreamGuard(asked=verdict.asked, user_message=message)
        first: float | None = None
        model_first: float | None = None
        raw: list[str] = []
        error: str | None = None
        try:
            for chunk in model.stream(messages):
                piece = str(chunk.content)
                model_first = model_first or time.perf_counter() - started
                raw.append(piece)
                visible = stream_guard.feed(piece)
                if visible:
                    first = first or time.perf_counter() - started
                    yield ChatUpdate(text=stream_guard.text)
        except Exception as exc:  # noqa: BLE001 - every backend failure becomes a message, never a traceback
            error = str(_as_user_error(exc, label))
        stream_guard.close()
        reply = stream_guard.text.strip()
        if not error:
            reply = self._ensure_grounded(reply, message, sources, verdict.asked, stream_guard.report.reflected)
        if verdict.asked and not error:
            reply = self._ensure_ideas(reply, sources)
        if error and not reply:
            reply = ""
        result = ChatResult(
            conversation_id=conversation_id,
            reply=reply,
            sources=sources,
            asked=verdict.asked,
            asked_reason=verdict.reason,
            guard_note=stream_guard.report.note(),
            removed=stream_guard.report.removed,
            model=label,
            prompt=prompt.id,
            tokens_in=tokens.count_messages(messages),
            tokens_out=tokens.count("".join(raw)),
            latency_s=round(time.perf_counter() - started, 3),
            first_token_s=round(first, 3) if first else None,
            model_first_token_s=round(model_first, 3) if model_first else None,
            error=error,
        )
        repo.add_turn(
            conversation_id,
            "assistant",
            reply or (error or ""),
            sources=[s.model_dump(exclude={"text"}) for s in sources],
            guard={**stream_guard.report.model_dump(), "asked_reason": verdict.reason},
            model=label,
            prompt=prompt.id,
            tokens_in=result.tokens_in,
            tokens_out=result.tokens_out,
            latency_s=result.latency_s,
            error=error,
        )
        yield ChatUpdate(text=reply, result=result)

    def ask(self, pair_id: str, conversation_id: str | None, message: str) -> ChatResult:
        *_, last = self.stream(pair_id, conversation_id, message)
        assert last.result is not None
        return last.result

    @staticmethod
    def _ensure_grounded(reply: str, message: str, sources: list[Source], asked: bool, reflected: bool = False) -> str:
        """Answer a question from the passages, not from the model's imagination.

        When less than ``GROUNDED_SHARE`` of the reply's words occur in the retrieved passages, the model
        answered beside the point (SmolLM2 invents contract goals it was never shown), so its text is
        replaced by the best-matching sentence of the best passage, cited; so is a reply the guard had to
        empty and replace by a reflection. Only for questions: someone
        venting gets a reflection, not a quote. The guard's permission offer stays the last thing said.
        """
        offer = guard.PERMISSION_OFFER if reply.endswith(guard.PERMISSION_OFFER) else ""
        body = reply[: len(reply) - len(offer)].strip()
        if not is_question(message) or (not reflected and grounded(body, sources)):
            return reply
        candidates, source = key_passages(message, sources, asked)
        for text in candidates:
            cited = f"From {source.citation()}: “{text}”"
            if asked or not guard.is_suggestion(cited, strict=True):  # judged as shown, citation included
                return "\n\n".join(part for part in (cited, offer) if part)
        return reply

    @staticmethod
    def _ensure_ideas(reply: str, sources: list[Source]) -> str:
        """When the person asked, make sure the reply holds at least one concrete suggestion."""
        if any(guard.is_suggestion(s) for s in guard.split_sentences(reply)):
            return reply
        ideas = ideas_from_sources(sources)
        if not ideas:
            return reply
        listed = "\n".join(f"- {idea}" for idea in ideas)
        return f"{reply}\n\n{IDEAS_INTRO}\n{listed}".strip()


def _as_user_error(exc: Exception, label: str) -> KickcoachError:
    if isinstance(exc, KickcoachError):
        return exc
    from kickcoach.llm.openai_compat import as_backend_error

    return as_backend_error(exc, label) or BackendUnavailable(f"The model failed: {type(exc).__name__}: {exc}", "try again; if it keeps failing, check the backend setting")
