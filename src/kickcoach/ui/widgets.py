"""Layout pieces more than one tab uses."""

from __future__ import annotations

import gradio as gr

from kickcoach.inputs import MAX_MESSAGE_CHARS


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
