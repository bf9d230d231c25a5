""""What the coach keeps about you": the person's own conversations (with their turn counts) and what it reads of
the pair's shared history; a conversation can be deleted for good. Hook into a tab with one line:
``memory_panel.render(services, identity)``."""

from __future__ import annotations

from typing import Any

import gradio as gr

from kickcoach.core.errors import KickcoachError
from kickcoach.history.memory import forget_conversation, what_is_kept
from kickcoach.programme.reminders import contract_of
from kickcoach.services import Services
from kickcoach.ui.identity import Identity


class MemoryHandlers:
    def __init__(self, services: Services, identity: Identity) -> None:
        self.services, self.identity = services, identity

    def _repo(self, request: gr.Request) -> Any:
        return self.identity.services(self.services, request).pair(self.identity.pair_id(request))

    def show(self, request: gr.Request) -> tuple[str, Any]:
        try:
            repo = self._repo(request)
            kept = what_is_kept(repo, contract_of(repo), self.services.settings.today_date)
        except KickcoachError as exc:
            return f"*{exc.message}*", gr.update(choices=[])
        lines = [f"**Your conversations with the coach ({len(kept.conversations)})** — only you and the coach see them."]
        lines += [f"- {title or '(empty)'} · {turns} messages · {started:%Y-%m-%d}" for _, title, turns, started in kept.conversations]
        lines += ["", f"**Shared with your partner:** {kept.reviews} weekly reviews, {kept.commitments} commitments, "
                      f"{kept.meeting_changes} meeting changes, your contract; {kept.due} items due now."]
        choices = [(f"{title or '(empty)'} · {started:%Y-%m-%d}", cid) for cid, title, _, started in kept.conversations]
        return "\n".join(lines), gr.update(choices=choices, value=None)

    def delete(self, conversation_id: str | None, request: gr.Request) -> tuple[str, Any]:
        if not conversation_id:
            text, choices = self.show(request)
            return "*Pick a conversation to delete.*\n\n" + text, choices
        try:
            gone = forget_conversation(self._repo(request), conversation_id)
        except KickcoachError as exc:
            return f"*{exc.message}*", gr.update()
        text, choices = self.show(request)
        return f"*Deleted, with its {gone} messages.*\n\n{text}", choices


def render(services: Services, identity: Identity) -> None:
    handlers = MemoryHandlers(services, identity)
    with gr.Accordion("What the coach keeps about you", open=False):
        shown = gr.Markdown(elem_id="memory-kept")
        with gr.Row():
            pick = gr.Dropdown(label="Conversation", choices=[], interactive=True, elem_id="memory-pick", scale=3)
            show = gr.Button("Show", scale=1, elem_id="memory-show")
            delete = gr.Button("Delete for good", variant="stop", scale=1, elem_id="memory-delete")
    show.click(handlers.show, None, [shown, pick])
    delete.click(handlers.delete, [pick], [shown, pick])
