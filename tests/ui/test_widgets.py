"""The layout pieces the tabs share."""

from __future__ import annotations

import gradio as gr

from kickcoach.core.inputs import MAX_MESSAGE_CHARS
from kickcoach.ui.widgets import chat_panel


def test_chat_panel_has_no_share_button_and_caps_the_message() -> None:
    with gr.Blocks():
        chatbot, box, send = chat_panel("Coach", "empty", elem_id="x-chat", height=300, prompt="say", elem_prefix="x")
    assert "share" not in (chatbot.buttons or [])  # "share" would post the transcript to the Hugging Face Hub
    assert box.max_length == MAX_MESSAGE_CHARS
    assert (chatbot.elem_id, box.elem_id, send.elem_id) == ("x-chat", "x-input", "x-send")


def test_no_chat_in_the_app_has_a_share_button(services) -> None:
    """The rehearsal chat used to show Gradio's default "share" button; every chat now comes from chat_panel."""
    from kickcoach.ui.app import build_app

    app = build_app(services)
    chats = [b for b in app.blocks.values() if isinstance(b, gr.Chatbot)]
    assert {c.elem_id for c in chats} >= {"coach-chat", "rehearse-chat"}
    assert all("share" not in (c.buttons or []) for c in chats)


def test_every_handler_gets_the_arguments_gradio_passes(services) -> None:
    """Gradio warns "Expected at least N arguments" when a handler's request parameter is not typed gr.Request
    (it is then counted as an input and the click fails); the memory panel's Show and Delete did that."""
    import warnings

    from kickcoach.ui.app import build_app

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        build_app(services)
    arity = [str(w.message) for w in caught if "arguments for function" in str(w.message)]
    assert arity == []
