"""A user whose chat turn waits behind another (one turn at a time, as with the one embedded model) sees
their place in the queue, and keeps what they typed until their turn is saved."""

from __future__ import annotations

import threading
import time

import pytest

pytestmark = pytest.mark.browser

SLOW_S = 6.0


@pytest.fixture
def one_at_a_time(services, fake_model):
    services.settings.ui_chat_concurrency = 1
    services.settings.coach_model_text = "always"  # every turn asks the (slow) model

    def slow(messages):
        time.sleep(SLOW_S)
        return "That sounds hard."

    fake_model.default = slow
    return services


def test_a_queued_user_sees_their_place_in_the_queue(one_at_a_time, live_app, page):
    from gradio_client import Client

    page.goto(live_app)
    page.locator("#chat-input textarea").wait_for(timeout=20000)
    other = Client(live_app, verbose=False)
    busy = threading.Thread(target=lambda: other.predict("I had a rough week.", None, api_name="/chat_send"))
    busy.start()  # someone else's turn holds the one slot
    time.sleep(1.0)
    box = page.locator("#chat-input textarea")
    box.fill("Tom cancelled again.")
    page.locator("#chat-send").click()
    page.wait_for_function("() => /queue:\\s*\\d+\\s*\\/\\s*\\d+/i.test(document.body.innerText)", timeout=SLOW_S * 1000)
    assert box.input_value() == "Tom cancelled again."  # not saved yet: the text stays
    page.wait_for_function(
        "() => (document.querySelector('#coach-chat')?.innerText ?? '').includes('Tom cancelled again')", timeout=30000)
    page.wait_for_function("() => document.querySelector('#chat-input textarea').value === ''", timeout=30000)
    busy.join(timeout=30)
