"""The Chat tab: talk to the coach; every answer shows the passages it drew on.

Handlers are plain functions of (inputs, request) so tests call them without a browser.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import gradio as gr

from kickcoach.core.errors import KickcoachError
from kickcoach.core.inputs import MAX_MESSAGE_CHARS, strip_controls
from kickcoach.flows.chat import ChatResult, CoachChat
from kickcoach.knowledge.retrieve import Source
from kickcoach.services import Services
from kickcoach.storage.models import Turn
from kickcoach.storage.repo import PENDING
from kickcoach.ui import due_strip, memory_panel
from kickcoach.ui.identity import Identity
from kickcoach.ui.widgets import chat_panel

Messages = list[dict[str, Any]]
KEEP: dict[str, Any] = gr.skip()  # an output left as it is (the message box while a turn runs)


def _citations(sources: list[dict[str, Any]] | list[Source]) -> list[str]:
    cites: list[str] = []
    for s in sources:
        s = s if isinstance(s, Source) else Source.model_validate({**s, "text": s.get("text", "")})
        if s.citation() not in cites:
            cites.append(s.citation())
    return cites


def sources_footer(sources: list[dict[str, Any]] | list[Source], note: str | None = None) -> str:
    """The sources, numbered and listed once ("[1] `file › heading`"), and the guard's note."""
    cites = _citations(sources)
    lines = []
    if cites:
        lines.append("**Sources:** " + " · ".join(f"[{n}] `{c}`" for n, c in enumerate(cites, start=1)))
    if note:
        lines.append(f"*Note: {note}*")
    return "\n\n" + "\n\n".join(lines) if lines else ""


def with_sources(reply: str, sources: list[dict[str, Any]] | list[Source], note: str | None = None) -> str:
    """The reply with each inline "(file › heading)" shortened to its number, then the sources listed once."""
    for n, cite in enumerate(_citations(sources), start=1):
        reply = reply.replace(f"({cite})", f"[{n}]")
    return reply + sources_footer(sources, note)


def _guard_note(guard: dict[str, Any]) -> str | None:
    removed = len(guard.get("removed") or [])
    if not removed:
        return None
    return f"{removed} unrequested suggestion{'s' if removed != 1 else ''} held back"


DEFAULT_CHAT_CONCURRENCY = 4  # the app's queue default (ui.app.launch)
CHAT_QUEUE = "chat"  # the UI's send and the API's chat_send share one limit


def chat_concurrency(settings: Any) -> int:
    """How many chat turns run at once in this process: ``ui_chat_concurrency``, else 1 when a turn reaches
    the in-process embedded model (one model, one turn at a time: the others wait in the queue and are told
    their place), else the app's default."""
    if settings.ui_chat_concurrency:
        return int(settings.ui_chat_concurrency)
    return 1 if settings.backend == "embedded" and settings.coach_rewords else DEFAULT_CHAT_CONCURRENCY


def messages_of(turns: list[Turn]) -> Messages:
    """A conversation's stored turns as the chat panel shows them."""
    messages: Messages = []
    for turn in turns:
        if turn.role == "user":
            messages.append({"role": "user", "content": turn.content})
        elif turn.status == PENDING:
            messages.append({"role": "assistant", "content": "… (this reply is still being written)"})
        elif turn.error:
            messages.append({"role": "assistant", "content": f"⚠️ {turn.error}"})
        else:
            messages.append({"role": "assistant", "content": with_sources(turn.content, turn.sources, _guard_note(turn.engine_state))})
    return messages


class ChatHandlers:
    def __init__(self, services: Services, identity: Identity) -> None:
        self.services = services
        self.identity = identity

    def queue_options(self) -> dict[str, Any]:
        return {"concurrency_limit": chat_concurrency(self.services.settings), "concurrency_id": CHAT_QUEUE}

    def _repo(self, request: gr.Request) -> Any:
        return self.identity.context(self.services.storage, request).repo

    def conversations(self, request: gr.Request) -> list[tuple[str, str]]:
        """The speaker's own conversations, newest first: (title, id)."""
        return [(c.title or "(empty)", c.id) for c in self._repo(request).conversations("chat")]

    def history(self, conversation_id: str | None, request: gr.Request) -> Messages:
        return messages_of(self._repo(request).turns(conversation_id)) if conversation_id else []

    def send(self, message: str, conversation_id: str | None, request: gr.Request) -> Iterator[tuple[Messages, Any, str | None]]:
        ctx = self.identity.context(self.services.storage, request)  # who is speaking, once (a facilitator: refused)

        def earlier_turns() -> list[Turn]:  # the conversation is read once per send, and handed to the turn
            return ctx.repo.turns(conversation_id) if conversation_id else []

        if len(message or "") > MAX_MESSAGE_CHARS:
            shown = messages_of(earlier_turns())
            note = f"⚠️ Your message is {len(message):,} characters long; the limit is {MAX_MESSAGE_CHARS:,}. Nothing was saved."
            yield shown + [{"role": "assistant", "content": note}], message[:MAX_MESSAGE_CHARS], conversation_id
            return
        message = strip_controls(message or "").strip()
        if not message:  # nothing, spaces or invisible characters only: refused, and nothing is stored
            note = "⚠️ Your message is empty: type something to send (spaces and invisible characters do not count)."
            yield messages_of(earlier_turns()) + [{"role": "assistant", "content": note}], "", conversation_id
            return
        # The box keeps what was typed until the user's turn is saved, is cleared once then, and is left alone
        # after that (text typed while the reply finishes stays too).
        box: Any = KEEP
        earlier: Messages = []
        saved = False
        try:
            turns = earlier_turns()
            earlier = messages_of(turns)
            shown = earlier + [{"role": "user", "content": message}]
            yield shown + [{"role": "assistant", "content": "…"}], box, conversation_id
            result: ChatResult | None = None
            for update in CoachChat(self.services).run(ctx, conversation_id, message, earlier=turns):
                result = update.result
                if update.saved:
                    saved, box = True, ""
                if result is None:
                    yield shown + [{"role": "assistant", "content": update.text or "…"}], box, conversation_id
                    box = KEEP
        except KickcoachError as exc:  # e.g. a read-only or locked database: say so, keep the typed text
            if not saved:
                note = f"⚠️ {exc}. Your message was not saved: it is still in the box, send it again."
                yield earlier + [{"role": "assistant", "content": note}], KEEP, conversation_id
            else:
                yield shown + [{"role": "assistant", "content": f"⚠️ {exc}"}], box, conversation_id
            return
        assert result is not None
        if result.error:
            content = (result.reply + "\n\n" if result.reply else "") + f"⚠️ {result.error}"
        else:
            content = with_sources(result.reply, result.sources, result.guard_note)
        yield shown + [{"role": "assistant", "content": content}], box, result.conversation_id

    # --- the documented API (see README "Scripting the UI") --------------------------------------
    def api_send(self, message: str, conversation_id: str | None, request: gr.Request) -> dict[str, Any]:
        """One chat turn as the logged-in person: ``{reply, conversation_id, sources, guard_note, error}``."""
        ctx = self.identity.context(self.services.storage, request)
        try:
            result = CoachChat(self.services).answer(ctx, conversation_id or None, message or "")
        except KickcoachError as exc:
            return {"reply": "", "conversation_id": conversation_id, "sources": [], "guard_note": None, "error": str(exc)}
        return {
            "reply": result.reply,
            "conversation_id": result.conversation_id,
            "sources": [{"source": s.source, "heading": s.heading} for s in result.sources],
            "guard_note": result.guard_note,
            "error": result.error,
        }

    def api_conversations(self, request: gr.Request) -> list[dict[str, str]]:
        """The caller's own conversations, newest first: ``[{id, title}]``."""
        return [{"id": cid, "title": title} for title, cid in self.conversations(request)]

    def api_history(self, conversation_id: str, request: gr.Request) -> list[dict[str, str]]:
        """The turns of one of the caller's own conversations: ``[{role, content}]``, plus ``status``
        ("pending" or "interrupted") on a reply that is not complete."""
        return [{"role": t.role, "content": t.content, **({"status": t.status} if t.status else {})}
                for t in self._repo(request).turns(conversation_id)]


def api(handlers: ChatHandlers) -> None:
    """Register the stable API endpoints (inside ``gr.Blocks``): ``chat_send``, ``chat_conversations``, ``chat_history``."""

    def chat_send(message: str, conversation_id: str | None, request: gr.Request) -> dict[str, Any]:
        return handlers.api_send(message, conversation_id, request)

    def chat_conversations(request: gr.Request) -> list[dict[str, str]]:
        return handlers.api_conversations(request)

    def chat_history(conversation_id: str, request: gr.Request) -> list[dict[str, str]]:
        return handlers.api_history(conversation_id, request)

    gr.api(chat_send, api_name="chat_send", **handlers.queue_options())
    gr.api(chat_conversations, api_name="chat_conversations")
    gr.api(chat_history, api_name="chat_history")


def render(handlers: ChatHandlers) -> tuple[Any, gr.Dropdown]:
    """Lay out the tab; returns the conversation-list refresher and the list, for the app's load event."""
    conversation = gr.State(None)
    due_strip.render(handlers.services, handlers.identity, "chat-due")  # what is due (ui/due_strip.py)
    with gr.Row():
        with gr.Column(scale=1, min_width=220):
            new = gr.Button("New conversation", variant="secondary")
            past = gr.Dropdown(label="Past conversations", info="Your earlier chats appear here.", choices=[],
                               interactive=True)
        with gr.Column(scale=4):
            chatbot, box, send = chat_panel(
                "Coach", "Ask about peer mentoring or your contract. I give suggestions only when you ask for them.",
                elem_id="coach-chat", height=460, prompt="e.g. How often should peer mentors meet?", elem_prefix="chat",
            )

    def refresh(request: gr.Request):
        return gr.update(choices=handlers.conversations(request))

    def pick(conversation_id, request: gr.Request):
        return handlers.history(conversation_id, request), conversation_id

    def start_new():
        return [], None, gr.update(value=None)

    def say(message, conversation_id, request: gr.Request):
        """The turn, with Send disabled until the reply is in (the box keeps what is typed meanwhile)."""
        for update in handlers.send(message, conversation_id, request):
            yield (*update, gr.update(interactive=False))
        yield KEEP, KEEP, KEEP, gr.update(interactive=True)

    # one event for Send and Enter: while a turn runs, a second press is ignored and the text stays in the box
    gr.on([send.click, box.submit], say, [box, conversation], [chatbot, box, conversation, send],
          **handlers.queue_options()).then(lambda: gr.update(interactive=True), None, send).then(refresh, None, past)
    past.select(pick, [past], [chatbot, conversation])
    new.click(start_new, None, [chatbot, conversation, past])
    memory_panel.render(handlers.services, handlers.identity)  # what the coach keeps; delete a conversation
    return refresh, past
