"""The chat events go through Gradio's queue with a concurrency limit: one turn at a time when turns reach
the one in-process embedded model (a waiting user sees their place in the queue), else the app's default."""

from __future__ import annotations

import pytest

from kickcoach.core.config import Settings
from kickcoach.ui.chat_tab import CHAT_QUEUE, DEFAULT_CHAT_CONCURRENCY, chat_concurrency


@pytest.mark.parametrize(
    ("backend", "model_text", "setting", "expected"),
    [
        ("embedded", "always", None, 1),  # every turn waits for the one model
        ("embedded", "auto", None, DEFAULT_CHAT_CONCURRENCY),  # the engine answers without the model
        ("openai:qwen", "auto", None, DEFAULT_CHAT_CONCURRENCY),  # a server model serves many at once
        ("fake", "always", None, DEFAULT_CHAT_CONCURRENCY),
        ("embedded", "always", 3, 3),  # the setting wins
        ("openai:qwen", "auto", 1, 1),
    ],
)
def test_chat_concurrency(tmp_path, backend, model_text, setting, expected):
    settings = Settings(backend=backend, coach_model_text=model_text, ui_chat_concurrency=setting, home=tmp_path,
                        _env_file=None)
    assert chat_concurrency(settings) == expected


def test_the_setting_must_be_at_least_one(tmp_path):
    with pytest.raises(ValueError):
        Settings(ui_chat_concurrency=0, home=tmp_path, _env_file=None)


def test_the_ui_send_and_the_api_share_the_chat_queue_and_its_limit(services):
    from kickcoach.bootstrap import prepare
    from kickcoach.ui.app import build_app

    services.settings.ui_chat_concurrency = 1
    prepare(services)
    app = build_app(services)
    chat = [fn for fn in app.fns.values() if fn.concurrency_id == CHAT_QUEUE]
    names = {fn.api_name for fn in chat}
    assert names == {"chat_send", "say"}  # the API, and one event for the Send button and the box's Enter
    assert {fn.concurrency_limit for fn in chat} == {1} and all(fn.queue for fn in chat)
