"""Layout pieces more than one tab uses."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import gradio as gr

from kickcoach.core.inputs import MAX_MESSAGE_CHARS

DOWNLOAD_BOX = ["kick-download"]
"""The class of a download box: while empty it is a slim strip, not a blank panel (the CSS in ``app.py``)."""


def chat_panel(
    label: str, placeholder: str, *, elem_id: str, height: int, prompt: str, elem_prefix: str
) -> tuple[gr.Chatbot, gr.Textbox, gr.Button]:
    """A chat transcript (``placeholder`` while empty) over the line to write in (``prompt`` while empty).

    The transcript has copy buttons and no "share" button (that one posts to the Hugging Face Hub). The
    message box is capped at the message limit and has no submit button of its own: Enter or Send sends.
    Element ids: ``elem_id`` for the transcript, ``{elem_prefix}-input`` and ``{elem_prefix}-send``.
    """
    chatbot = gr.Chatbot(
        label=label,
        show_label=False,  # Gradio floats the label over the first message once the transcript scrolls
        height=height,
        elem_id=elem_id,
        placeholder=placeholder,
        feedback_options=None,
        buttons=["copy", "copy_all"],
    )
    with gr.Row():
        box = gr.Textbox(
            placeholder=prompt,
            show_label=False,
            scale=5,
            elem_id=f"{elem_prefix}-input",
            submit_btn=False,
            max_length=MAX_MESSAGE_CHARS,
        )
        send = gr.Button("Send", variant="primary", scale=1, elem_id=f"{elem_prefix}-send")
    return chatbot, box, send


# --- who sees which tab --------------------------------------------------------------------------
PAIR_TABS = ("chat", "contract", "review", "feedback", "rehearse")


def role_of(identity: Any, request: Any) -> str:
    """``"pair"`` (a partner of a pair), ``"waiting"`` (a participant with no pair yet), ``"facilitator"``,
    ``"local"`` (no accounts: the local owner sees everything) or ``"none"`` (not logged in, or expired)."""
    from kickcoach.core.errors import KickcoachError

    try:
        person = identity.speaker(request)
    except KickcoachError:
        return "none"
    if person.is_local:
        return "local"
    if person.pair_id is not None:
        return "pair"
    return "facilitator" if person.is_facilitator else "waiting"


def visible_tabs(role: str) -> set[str]:
    """The tab ids a role sees: a participant the pair's tabs and My programme, a facilitator Programme and Help."""
    return {
        "pair": {*PAIR_TABS, "my-programme"},
        "waiting": {"my-programme"},
        "facilitator": {"programme", "help"},
        "local": {*PAIR_TABS, "my-programme", "programme", "help"},
        "none": set(),
    }[role]


def first_tab(role: str) -> str | None:
    return {"pair": "chat", "waiting": "my-programme", "facilitator": "programme", "local": "chat"}.get(role)


def for_pair(identity: Any, refresh: Callable[..., Any], count: int) -> Callable[..., Any]:
    """``refresh`` for the app's load event, run only for someone with a pair (others' outputs are left as
    they are, so a facilitator's login raises nothing and logs no traceback)."""

    def run(request: gr.Request) -> Any:
        if role_of(identity, request) not in ("pair", "local"):
            skipped = tuple(gr.skip() for _ in range(count))
            return skipped[0] if count == 1 else skipped
        return refresh(request)

    return run
