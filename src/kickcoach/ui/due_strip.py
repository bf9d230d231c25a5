"""A small strip of what is due and overdue for the logged-in person (Chat and My programme): the pair's next
meeting, open commitments, goal deadlines, the contract's review date, an unsigned agreement, no meeting for
30 days, and the programme's nudges. Filled on page load and by its own refresh button.

Hook it into a tab with one line inside its layout: ``due_strip.render(services, identity)``.
"""

from __future__ import annotations

from typing import Any

import gradio as gr
from gradio.context import get_blocks_context

from kickcoach.core.errors import KickcoachError
from kickcoach.history.wording import when, wording
from kickcoach.programme.reminders import due_for
from kickcoach.services import Services
from kickcoach.ui.identity import Identity


def strip_markdown(services: Services, identity: Identity, request: Any) -> str:
    """The strip's text for the request's person (their items only)."""
    w = wording()
    try:
        person = identity.speaker(request)
        today = services.settings.today_date
        items = due_for(services.storage, person, today)
    except KickcoachError as exc:
        return f"*{exc.message}*"
    if not items:
        return f"**{w.strip['title']}:** {w.strip['none']}"
    lines = []
    for item in items:
        label = when(item.date, today) if item.date else (w.due["overdue"] if item.overdue else "")
        flag = "⚠️ " if item.overdue else ""
        lines.append(f"- {flag}{item.text}" + (f" — *{label}*" if label else ""))
    return f"**{w.strip['title']}**\n\n" + "\n".join(lines)


def render(services: Services, identity: Identity, elem_id: str = "due-strip") -> gr.Markdown:
    """Lay out the strip (and its refresh), filled when the page loads."""
    with gr.Row():
        strip = gr.Markdown(elem_id=elem_id)
        refresh = gr.Button("↻ Due", size="sm", scale=0, min_width=60, elem_id=f"{elem_id}-refresh")

    def fill(request: gr.Request) -> str:
        return strip_markdown(services, identity, request)

    refresh.click(fill, None, strip)
    context = get_blocks_context()
    if context is not None:
        context.root_block.load(fill, None, strip)
    return strip
