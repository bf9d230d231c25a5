"""The Feedback tab's handlers, called like Gradio would (no browser)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from kickcoach.ui.feedback_tab import FeedbackHandlers, highlight
from kickcoach.ui.identity import Identity

REQUEST = SimpleNamespace(username=None)


@pytest.fixture
def handlers(services):
    services.storage.ensure_pair(services.settings.pair_id, "Demo")
    return FeedbackHandlers(services, Identity(services.settings))


def test_rephrase_shows_flags_rewrite_questions_badge_and_history(handlers):
    flagged, rewrite, questions, badge, history = handlers.rephrase(
        "You're so lazy, you never answer my emails.", False, "", REQUEST
    )
    assert flagged == [
        ("You're so lazy", "judgement"),
        (", you ", None),
        ("never", "absolute"),
        (" answer my emails.", None),
    ]
    assert rewrite == "I noticed that you didn't answer my emails."
    assert "When did this happen?" in questions
    assert badge.startswith("✅ **Verified**")
    assert "You're so lazy, you never answer my emails." in history and rewrite in history
    assert handlers.history(REQUEST) == history


def test_context_and_request_are_used(handlers):
    _, rewrite, questions, _, _ = handlers.rephrase("You never answer my emails.", True, "On Monday", REQUEST)
    assert rewrite == "On Monday, you didn't answer my emails. Next time, could you answer my emails?"
    assert "When did this happen?" not in questions


def test_empty_input_shows_the_fix_and_saves_nothing(handlers):
    flagged, rewrite, _, badge, history = handlers.rephrase("   ", False, "", REQUEST)
    assert flagged == [] and rewrite == ""
    assert badge.startswith("⚠️ There is no criticism to rephrase")
    assert history == "*No rephrasings yet.*"


def test_highlight_covers_the_whole_text():
    text = "Every time I ask you ignore me. So disrespectful."
    assert "".join(piece for piece, _ in highlight(text)) == text


def test_the_tab_lays_out_inside_a_blocks(handlers):
    import gradio as gr

    from kickcoach.ui.feedback_tab import render

    with gr.Blocks() as demo, gr.Tab("Feedback"):
        refresh, history = render(handlers)
    assert isinstance(history, gr.Markdown) and callable(refresh)
    labels = {getattr(block, "label", None) for block in demo.blocks.values()}
    assert {"What you want to say", "I'd like a suggested request too", "What attacks the person"} <= labels
