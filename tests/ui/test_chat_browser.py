import pytest

pytestmark = pytest.mark.browser


def test_chat_streams_a_reply_with_a_source(live_app, page, tmp_path):
    page.goto(live_app)
    page.locator("#chat-input textarea").fill("How often should peer mentors meet?")
    page.locator("#chat-send").click()
    bot = page.locator("#coach-chat .message.bot, #coach-chat [data-testid='bot']").last
    bot.wait_for(timeout=20000)
    page.wait_for_function(
        "() => document.querySelector('#coach-chat').innerText.includes('Sources:')", timeout=20000
    )
    text = page.locator("#coach-chat").inner_text()
    assert "From our guidance" in text
    assert "meetings-and-follow-up.md" in text
    page.screenshot(path=str(tmp_path / "chat.png"), full_page=True)
