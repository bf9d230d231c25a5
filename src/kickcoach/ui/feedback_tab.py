"""The Feedback tab: a criticism in, feedback about a behaviour out, with what was removed and why.

Handlers are plain functions of (inputs, request) so tests call them without a browser.
"""

from __future__ import annotations

from typing import Any

import gradio as gr

from kickcoach.core.errors import KickcoachError
from kickcoach.flows.feedback import (
    RECORD_KIND,
    FeedbackResult,
    Flag,
    SavedFeedback,
    detect,
    recent,
    rephrase_and_save,
)
from kickcoach.services import Services
from kickcoach.ui.identity import Identity

KIND_LABELS = {
    "trait_label": "label",
    "you_are_judgement": "judgement",
    "absolute": "absolute",
    "mind_reading": "mind-reading",
}
COLORS = {"label": "#f28b82", "judgement": "#fbbc04", "absolute": "#a7c7e7", "mind-reading": "#d7aefb"}
Highlighted = list[tuple[str, str | None]]


def highlight(text: str, flags: list[Flag] | None = None) -> Highlighted:
    """``text`` cut into (piece, label or None) for ``gr.HighlightedText``."""
    flags = detect(text) if flags is None else flags
    pieces: Highlighted = []
    at = 0
    for flag in sorted(flags, key=lambda f: f.start):
        if flag.start < at:
            continue
        if flag.start > at:
            pieces.append((text[at : flag.start], None))
        pieces.append((text[flag.start : flag.end], KIND_LABELS[flag.kind]))
        at = flag.end
    if at < len(text):
        pieces.append((text[at:], None))
    return pieces


def badge(result: FeedbackResult) -> str:
    source = "the model's wording" if result.source == "model" else "a template built from your words"
    if result.verified:
        head = "✅ **Verified**: no labels, absolutes, judgements or mind-reading left, and the behaviour is kept."
    else:
        head = "⚠️ **Not verified**: " + "; ".join(result.problems)
    lines = [head, f"*From {source}.*"]
    if result.error:
        lines.append(f"*The model was unavailable ({result.error}), so the template was used.*")
    if result.guard_note:
        lines.append(f"*Note: {result.guard_note}*")
    return "\n\n".join(lines)


def questions_markdown(questions: list[str]) -> str:
    if not questions:
        return ""
    return "**To make it stronger, answer:**\n\n" + "\n".join(f"- {q}" for q in questions)


def history_markdown(items: list[SavedFeedback]) -> str:
    if not items:
        return "*No rephrasings yet.*"
    lines = []
    for item in items:
        after = item.result.rewrite if item.result else "*(help offered)*" if item.safety else "*(not finished)*"
        lines.append(f"- **Before:** {item.criticism}\n  **After:** {after}")
    return "\n".join(lines)


class FeedbackHandlers:
    def __init__(self, services: Services, identity: Identity) -> None:
        self.services = services
        self.identity = identity

    def history(self, request: Any) -> str:
        return history_markdown(recent(self.identity.services(self.services, request), self.identity.pair_id(request)))

    def share_latest(self, request: Any) -> str:
        """Show your latest rephrasing (before and after) to your partner; drafts are private until then."""
        repo = self.identity.services(self.services, request).pair(self.identity.pair_id(request))
        mine = [r for r in repo.records(RECORD_KIND) if not r.data.get("safety")]  # a flagged one stays private
        if not mine:
            return "*Nothing to share yet.*"
        repo.share_record(mine[-1].id)
        return "✅ Your latest rephrasing is now visible to your partner."

    def shared_with_me(self, request: Any) -> str:
        """Rephrasings your partner chose to share with you."""
        repo = self.identity.services(self.services, request).pair(self.identity.pair_id(request))
        items = [SavedFeedback.model_validate({**r.data, "id": r.id}) for r in repo.shared_with_me(RECORD_KIND)]
        return history_markdown(items) if items else "*Your partner has shared nothing yet.*"

    def rephrase(
        self, criticism: str, want_request: bool, context: str, request: Any
    ) -> tuple[Highlighted, str, str, str, str]:
        """Returns (flagged original, rewrite, questions, badge, recent rephrasings)."""
        pair_id = self.identity.pair_id(request)
        try:
            saved = rephrase_and_save(
                self.identity.services(self.services, request),
                pair_id,
                criticism,
                want_request=bool(want_request),
                context=(context or "").strip() or None,
            )
        except KickcoachError as exc:
            return [], "", "", f"⚠️ {exc}", self.history(request)
        if saved.safety is not None:  # the help reply first, and no rewrite
            return [], "", saved.safety.text, "", self.history(request)
        result = saved.result
        assert result is not None
        return (
            highlight(result.criticism, result.flags),
            result.rewrite,
            questions_markdown(result.questions),
            badge(result),
            self.history(request),
        )


def render(handlers: FeedbackHandlers) -> tuple[Any, gr.Markdown]:
    """Lay out the tab; returns the history refresher and the history box, for the app's load event."""
    with gr.Row():
        with gr.Column(scale=1):
            criticism = gr.Textbox(
                label="What you want to say",
                placeholder="e.g. You're so lazy, you never answer my emails.",
                lines=3,
                elem_id="feedback-input",
            )
            context = gr.Textbox(
                label="When and where did it happen? (optional)",
                placeholder="e.g. In Tuesday's stand-up",
                elem_id="feedback-context",
            )
            want_request = gr.Checkbox(
                label="I'd like a suggested request too", value=False, elem_id="feedback-request"
            )
            go = gr.Button("Rephrase", variant="primary", elem_id="feedback-go")
        with gr.Column(scale=1):
            flagged = gr.HighlightedText(
                label="What attacks the person",
                color_map=COLORS,
                show_legend=True,
                combine_adjacent=True,
                elem_id="feedback-flags",
            )
            rewrite = gr.Textbox(
                label="Feedback about the behaviour", lines=4, buttons=["copy"], elem_id="feedback-rewrite"
            )
            verified = gr.Markdown(elem_id="feedback-badge")
            questions = gr.Markdown(elem_id="feedback-questions")
    with gr.Accordion("Recent rephrasings (private to you until you share one)", open=False):
        history = gr.Markdown(elem_id="feedback-history")
        share = gr.Button("Share my latest with my partner", elem_id="feedback-share")
        shared_note = gr.Markdown(elem_id="feedback-share-note")
    with gr.Accordion("Shared with you by your partner", open=False):
        shared = gr.Markdown(elem_id="feedback-shared")

    # Gradio passes the request only to a parameter annotated gr.Request, hence these small wrappers.
    def refresh(request: gr.Request):
        return handlers.history(request)

    def rephrase(text: str, wanted: bool, when: str, request: gr.Request):
        return handlers.rephrase(text, wanted, when, request)

    def share_latest(request: gr.Request):
        return handlers.share_latest(request)

    def refresh_shared(request: gr.Request):
        return handlers.shared_with_me(request)

    for trigger in (go.click, criticism.submit):
        trigger(rephrase, [criticism, want_request, context], [flagged, rewrite, questions, verified, history])
    share.click(share_latest, None, shared_note)
    history.change(refresh_shared, None, shared)
    return refresh, history
