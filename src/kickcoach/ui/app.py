"""Build the Gradio app from services; launch it separately (bound to 127.0.0.1 unless configured)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # no telemetry calls: the app runs offline

import gradio as gr
from fastapi import FastAPI

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
CSS = Path(__file__).with_name("page.css").read_text(encoding="utf-8")  # the page's own styles

LOGOUT_FORM = '<form method="post" action="logout"><button type="submit" id="kick-logout">Log out</button></form>'


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
        if identity.enabled:  # logging out is a POST (a link could be followed by any page or prefetcher)
            gr.Markdown(LOGOUT_FORM, elem_id="kick-logout-form", sanitize_html=False)
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

        def opening(role: str) -> Any:
            """The role's first tab, only where it is not Chat (the page opens on Chat): switching a partner to the
            tab they are on would take them back from a tab they clicked while the page was loading."""
            first = first_tab(role)
            return gr.update(selected=first) if first not in (None, "chat") else gr.update()

        def who_is_here(request: gr.Request) -> tuple[Any, ...]:
            role = role_of(identity, request)
            shown = visible_tabs(role)
            hidden = "|".join(str(tab.label) for tab_id, tab in tabs.items() if tab_id not in shown)
            return (identity.who(request), f'<span data-hidden="{hidden}"></span>', opening(role),
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


def web_app(services: Services, blocks: gr.Blocks | None = None) -> FastAPI:
    """The whole web app: FastAPI with the login routes (and, when configured, the organisation's login at
    ``/oidc``: ``ui.oidc_routes``), the Gradio UI mounted at ``/`` behind ``RequestGuard``.

    Gradio's own login, monitoring, MCP server, run history, PWA and server-side rendering are off; the login
    is ours (``ui.login_routes``) and every request passes ``RequestGuard`` (``ui.request_guard``)."""
    from fastapi import FastAPI

    from kickcoach.ui.login_routes import add_login_routes
    from kickcoach.ui.request_guard import RequestGuard

    blocks = blocks or build_app(services)
    identity: Identity = blocks.kickcoach_identity  # type: ignore[attr-defined]
    blocks.queue(default_concurrency_limit=4)
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    oidc = services.settings.oidc_enabled and identity.enabled  # the organisation's login links to accounts
    add_login_routes(app, identity, "Log in with your kickcoach account.",
                     oidc_label=services.settings.oidc_label if oidc else None)
    if oidc:
        from kickcoach.ui.oidc_routes import oidc_app

        app.mount("/oidc", oidc_app(identity))
    gr.mount_gradio_app(
        app, blocks, path="/", auth_dependency=identity.auth_dependency if identity.enabled else None,
        max_file_size="1mb", allowed_paths=[str(identity.exports.folder)], show_error=False, theme=THEME, css=CSS,
        enable_monitoring=False, mcp_server=False, run_history=False, footer_links=[], ssr_mode=False, pwa=False,
        head=f"<script>{PAGE_JS.read_text(encoding='utf-8')}</script>",  # logout in this tab; unsent text kept
    )
    app.add_middleware(RequestGuard, identity=identity, exports=identity.exports)
    app.state.kickcoach_identity = identity
    return app


def launch(services: Services) -> None:
    """Serve the UI with uvicorn on ``ui_host:ui_port`` (loopback unless configured)."""
    import uvicorn

    from kickcoach.core.errors import ConfigError

    settings = services.settings
    if settings.ui_share:
        raise ConfigError("Gradio share links are not supported: they would tunnel the UI through a third-party server",
                          "serve on your network behind the README's nginx set-up instead")
    app = web_app(services)
    identity: Identity = app.state.kickcoach_identity
    identity.check_exposure(settings.ui_host, settings.ui_share)
    print(f"kickcoach UI on http://{settings.ui_host}:{settings.ui_port}/", flush=True)
    uvicorn.run(app, host=settings.ui_host, port=settings.ui_port, proxy_headers=False, log_level="warning",
                timeout_graceful_shutdown=5)
