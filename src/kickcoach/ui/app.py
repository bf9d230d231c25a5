"""Build the Gradio app from services; launch it separately (bound to 127.0.0.1 unless configured)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # no telemetry calls: the app runs offline

import gradio as gr

from kickcoach.services import Services
from kickcoach.ui import (
    chat_tab,
    contract_tab,
    feedback_tab,
    programme_participant_tab,
    programme_tab,
    rehearse_tab,
    review_tab,
)
from kickcoach.ui.identity import Identity
from kickcoach.ui.widgets import first_tab, for_pair, role_of, visible_tabs

HELP = Path(__file__).with_name("help_facilitator.md")  # the facilitator's help page
PAGE_JS = Path(__file__).with_name("page.js")

# System fonts only: the default theme would ask Google Fonts, which an offline machine cannot reach.
THEME = gr.themes.Soft(
    primary_hue="teal",
    font=["ui-sans-serif", "system-ui", "Segoe UI", "Roboto", "sans-serif"],
    font_mono=["ui-monospace", "SFMono-Regular", "Menlo", "monospace"],
)
CSS = """
#kick-header h1 {margin-bottom: 0}
#kick-header p {margin-top: 4px; color: var(--body-text-color-subdued)}
#kick-tabs {display: none}
@media (max-width: 640px) {  /* a phone scrolls a wide table instead of breaking its words letter by letter */
  .prose table {display: block; overflow-x: auto; max-width: 100%}
  .prose th, .prose td {word-break: normal; overflow-wrap: normal; min-width: 4.5em}
}
"""


def build_app(services: Services) -> gr.Blocks:
    identity = Identity(services.settings, services.storage)
    from kickcoach.ui.exports import private_dir

    # Gradio's upload and download cache: private (0700) under the data folder, not the shared temp folder
    os.environ["GRADIO_TEMP_DIR"] = str(private_dir(services.settings.home / "tmp" / "gradio"))
    with gr.Blocks(title="kickcoach", delete_cache=(600, 3600)) as app:
        gr.Markdown(
            "# kickcoach\nYour peer-mentoring coach: contracts, goals, reviews, feedback and rehearsals. "
            "Suggestions only when you ask.",
            elem_id="kick-header",
        )
        who = gr.Markdown(elem_id="kick-who")
        hidden_tabs = gr.HTML(elem_id="kick-tabs", container=False)  # page.js hides these (Gradio shows hidden tabs)
        tabs: dict[str, gr.Tab] = {}
        with gr.Tabs() as tab_set:
            with gr.Tab("Chat", id="chat") as tabs["chat"]:
                chat_handlers = chat_tab.ChatHandlers(services, identity)
                refresh_chat, past = chat_tab.render(chat_handlers)
            with gr.Tab("Contract", id="contract") as tabs["contract"]:
                refresh_contract, contract_outputs = contract_tab.render(contract_tab.ContractHandlers(services, identity))
            with gr.Tab("Weekly review", id="review") as tabs["review"]:
                refresh_review, review_outputs = review_tab.render(review_tab.ReviewHandlers(services, identity))
            with gr.Tab("Feedback", id="feedback") as tabs["feedback"]:
                refresh_feedback, feedback_outputs = feedback_tab.render(feedback_tab.FeedbackHandlers(services, identity))
            with gr.Tab("Rehearse", id="rehearse") as tabs["rehearse"]:
                refresh_rehearse, rehearse_outputs = rehearse_tab.render(rehearse_tab.RehearseHandlers(services, identity))
            programme_handlers = programme_tab.ProgrammeHandlers(services, identity=identity)
            with gr.Tab("My programme", id="my-programme") as tabs["my-programme"]:
                refresh_mine, my_programme = programme_participant_tab.render(
                    programme_participant_tab.ParticipantHandlers(services, programme_handlers))
            with gr.Tab("Programme", id="programme", visible=not identity.enabled) as tabs["programme"]:
                programme_tab.render(programme_handlers)
            with gr.Tab("Help", id="help", visible=not identity.enabled) as tabs["help"]:
                gr.Markdown(HELP.read_text(encoding="utf-8"), elem_id="kick-help")

        def who_is_here(request: gr.Request) -> tuple[Any, ...]:
            role = role_of(identity, request)
            shown = visible_tabs(role)
            hidden = "|".join(str(tab.label) for tab_id, tab in tabs.items() if tab_id not in shown)
            return (identity.who(request), f'<span data-hidden="{hidden}"></span>', gr.update(selected=first_tab(role)),
                    *(gr.update(visible=tab_id in shown) for tab_id in tabs))

        app.load(who_is_here, None, [who, hidden_tabs, tab_set, *tabs.values()])
        chat_tab.api(chat_handlers)
        for refresh, outputs in ((refresh_chat, [past]), (refresh_contract, contract_outputs),
                                 (refresh_review, review_outputs), (refresh_feedback, feedback_outputs),
                                 (refresh_rehearse, rehearse_outputs)):
            outputs = outputs if isinstance(outputs, list) else [outputs]
            app.load(for_pair(identity, refresh, len(outputs)), None, outputs)
        app.load(refresh_mine, None, my_programme)
    app.kickcoach_identity = identity
    return app


def launch_options(services: Services, identity: Identity) -> dict[str, object]:
    """The ``launch`` arguments that keep the app safe: login, body and upload caps, private temp files."""
    from starlette.middleware import Middleware

    from kickcoach.ui.request_guard import RequestGuard

    return {
        "auth": identity.auth(),
        "auth_message": "Log in with your kickcoach account.",
        "max_file_size": "1mb",
        "head": f"<script>{PAGE_JS.read_text(encoding='utf-8')}</script>",  # logout in this tab; unsent text kept
        "allowed_paths": [str(identity.exports.folder)],
        "app_kwargs": {"middleware": [Middleware(RequestGuard, identity=identity, exports=identity.exports)]},
    }


def launch(services: Services, **overrides: object) -> None:
    settings = services.settings
    app = build_app(services)
    identity: Identity = app.kickcoach_identity  # type: ignore[attr-defined]
    identity.check_exposure(settings.ui_host, settings.ui_share)
    app.queue(default_concurrency_limit=4).launch(
        server_name=settings.ui_host,
        server_port=settings.ui_port,
        share=settings.ui_share,
        theme=THEME,
        css=CSS,
        show_error=False,
        **{**launch_options(services, identity), **overrides},
    )
