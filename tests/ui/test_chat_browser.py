import re

import pytest

pytestmark = pytest.mark.browser


def test_chat_streams_a_reply_with_a_source(live_app, page, tmp_path):
    page.goto(live_app)
    page.locator("#chat-input textarea").fill("How often should peer mentors meet?")
    page.locator("#chat-send").click()
    bot = page.locator("#coach-chat .message.bot, #coach-chat [data-testid='bot']").last
    bot.wait_for(timeout=20000)
    page.wait_for_function(
        "() => (document.querySelector('#coach-chat')?.innerText ?? '').includes('Sources:')", timeout=20000
    )
    text = page.locator("#coach-chat").inner_text()
    assert "Our guidance" in text and "Meet weekly" in text  # the guidance's answer, quoted
    assert "meetings-and-follow-up.md" in text
    page.screenshot(path=str(tmp_path / "chat.png"), full_page=True)


def test_a_request_gets_cited_ideas_and_bad_news_gets_a_reflection(live_app, page):
    page.goto(live_app)
    box = page.locator("#chat-input textarea")
    box.fill("I missed the report deadline again and my manager noticed.")
    page.locator("#chat-send").click()
    page.wait_for_function(
        "() => (document.querySelector('#coach-chat')?.innerText ?? '').includes('you missed the report deadline')", timeout=20000
    )
    box.fill("I keep putting it off. Any tips?")
    page.locator("#chat-send").click()
    # the finished reply, not the streamed text before it: citations become [n] markers and a Sources list at the end
    page.wait_for_function("() => { const t = document.querySelector('#coach-chat')?.innerText ?? '';"
                           " return t.includes('What can help') && t.slice(t.lastIndexOf('Any tips?')).includes('Sources:'); }",
                           timeout=20000)
    text = page.locator("#coach-chat").inner_text()
    assert "glad" not in text.lower()
    reply = text[text.rindex("Any tips?"):]
    # two or more ideas, each with its citation marker, and the sources listed once
    assert len(re.findall(r"\[\d+\]", reply)) >= 3 and reply.count("Sources:") == 1 and "What can help with" in reply
