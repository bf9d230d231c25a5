"""A real browser logs in as each partner in turn: each sees only their own private items and signs only as
themselves. (kickcoach's login page; fake model, hashing embeddings, loopback only.)"""

import pytest

from tests.support.web import serve

pytestmark = pytest.mark.browser


@pytest.fixture
def served(services, people):
    with serve(services) as ui:
        yield ui.url


def _login(page, url, name, password):
    page.context.clear_cookies()
    page.goto(url)
    page.locator("input[type=text], input[name=username]").first.fill(name)
    page.locator("input[type=password]").first.fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_function("() => (document.querySelector('#kick-who') || {innerText: ''}).innerText.includes('Logged in as')",
                           timeout=30000)


def _say(page, text):
    page.locator("#chat-input textarea").fill(text)
    page.locator("#chat-send").click()
    page.wait_for_function(
        "t => (document.querySelector('#coach-chat')?.innerText ?? '').includes(t)", arg=text[:20], timeout=20000)
    page.wait_for_function("() => (document.querySelector('#coach-chat')?.innerText ?? '').includes('Sources:')", timeout=30000)


def _sign(page, expected_label, expected_message):
    page.get_by_role("tab", name="Contract").click()
    button = page.locator("#contract-sign")
    page.wait_for_function("l => (document.querySelector('#contract-sign')?.innerText ?? '').includes(l)", arg=expected_label,
                           timeout=20000)
    button.click()
    page.wait_for_function("m => (document.querySelector('#contract-message')?.innerText ?? '').includes(m)",
                           arg=expected_message, timeout=20000)


def test_each_partner_sees_only_their_own_chats_and_signs_as_themselves(served, page, tmp_path):
    _login(page, served, "priya", "priya-password-1")
    assert "priya" in page.locator("#kick-who").inner_text()
    _say(page, "PRIYABROWSERCANARY how often should we meet?")
    _sign(page, "Sign as Priya (partner A)", "Priya Shah signed version 1; status: draft")
    page.screenshot(path=str(tmp_path / "priya.png"), full_page=True)

    _login(page, served, "tom", "tom-password-1")
    assert "tom" in page.locator("#kick-who").inner_text() and "partner B" in page.locator("#kick-who").inner_text()
    assert "PRIYABROWSERCANARY" not in page.content()  # not in the page, the lists or the chat
    page.get_by_role("tab", name="Chat").click()
    _say(page, "TOMBROWSERCANARY what is accountability?")
    _sign(page, "Sign as Tom (partner B)", "Tom Ellis signed version 1; status: signed")
    assert "PRIYABROWSERCANARY" not in page.content()
    page.screenshot(path=str(tmp_path / "tom.png"), full_page=True)

    _login(page, served, "priya", "priya-password-1")
    page.locator("#chat-input textarea").wait_for()
    assert "TOMBROWSERCANARY" not in page.content()


def test_the_login_page_says_how_long_a_throttled_name_waits_and_log_out_is_a_post(served, page):
    from kickcoach.people.throttle import FREE_FAILURES_USER

    page.goto(served)
    assert page.url.endswith("/login")
    for attempt in range(FREE_FAILURES_USER + 1):
        page.fill("#login-name", "tom")
        page.fill("#login-password", f"wrong-guess-{attempt}")
        page.click("#login-submit")
    page.fill("#login-name", "tom")
    page.fill("#login-password", "tom-password-1")
    page.click("#login-submit")
    note = page.locator("#login-note").inner_text()
    assert "try again in" in note, note  # even the right password waits, and is told for how long
    _login(page, served, "priya", "priya-password-1")  # another name is not held up
    page.locator("#kick-logout").click()
    page.wait_for_url("**/login")
    assert page.context.request.post(served + "gradio_api/call/chat_conversations", data={"data": []}).status == 401
