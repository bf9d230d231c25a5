"""Build the Gradio app from services; launch it separately (bound to 127.0.0.1 unless configured)."""

from __future__ import annotations

import os

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

# System fonts only: the default theme would ask Google Fonts, which an offline machine cannot reach.
THEME = gr.themes.Soft(
    primary_hue="teal",
    font=["ui-sans-serif", "system-ui", "Segoe UI", "Roboto", "sans-serif"],
    font_mono=["ui-monospace", "SFMono-Regular", "Menlo", "monospace"],
)
CSS = """
#kick-header h1 {margin-bottom: 0}
#kick-header p {margin-top: 4px; color: var(--body-text-color-subdued)}
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
        with gr.Tabs():
            with gr.Tab("Chat", id="chat"):
                chat_handlers = chat_tab.ChatHandlers(services, identity)
                refresh_chat, past = chat_tab.render(chat_handlers)
            with gr.Tab("Contract", id="contract"):
                refresh_contract, contract_outputs = contract_tab.render(contract_tab.ContractHandlers(services, identity))
            with gr.Tab("Weekly review", id="review"):
                refresh_review, review_outputs = review_tab.render(review_tab.ReviewHandlers(services, identity))
            with gr.Tab("Feedback", id="feedback"):
                refresh_feedback, feedback_outputs = feedback_tab.render(feedback_tab.FeedbackHandlers(services, identity))
            with gr.Tab("Rehearse", id="rehearse"):
                refresh_rehearse, rehearse_outputs = rehearse_tab.render(rehearse_tab.RehearseHandlers(services, identity))
            programme_handlers = programme_tab.ProgrammeHandlers(services, identity=identity)
            with gr.Tab("My programme", id="my-programme"):
                programme_participant_tab.render(programme_participant_tab.ParticipantHandlers(services, programme_handlers))
            with gr.Tab("Programme", id="programme"):
                programme_tab.render(programme_handlers)

        def who_is_here(request: gr.Request) -> str:
            return identity.who(request)

        app.load(who_is_here, None, who)
        chat_tab.api(chat_handlers)
        app.load(refresh_chat, None, past)
        app.load(refresh_contract, None, contract_outputs)
        app.load(refresh_review, None, review_outputs)
        app.load(refresh_feedback, None, feedback_outputs)
        app.load(refresh_rehearse, None, rehearse_outputs)
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
