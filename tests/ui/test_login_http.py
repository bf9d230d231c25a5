"""The served app behind Gradio's own login: the documented API with gradio_client, throttling over HTTP,
private exports, the request-size cap, and the refusal to serve beyond loopback without accounts."""

from __future__ import annotations

import math
import time

import httpx
import pytest

from kickcoach.core.errors import ConfigError
from kickcoach.people.throttle import FREE_FAILURES_USER, MAX_NAME_DELAY_S
from kickcoach.ui.identity import Identity
from tests.support.web import serve


@pytest.fixture
def served(services, people):
    with serve(services) as ui:
        yield ui.url, ui.identity


def test_api_behind_login_each_person_sees_only_their_own(served):
    from gradio_client import Client

    url, _ = served
    priya = Client(url, auth=("priya", "priya-password-1"), verbose=False)
    sent = priya.predict("PRIYAAPICANARY: how often should we meet?", None, api_name="/chat_send")
    assert sent["reply"] and sent["conversation_id"] and not sent["error"]
    assert [c["id"] for c in priya.predict(api_name="/chat_conversations")] == [sent["conversation_id"]]
    tom = Client(url, auth=("tom", "tom-password-1"), verbose=False)
    assert tom.predict(api_name="/chat_conversations") == []
    stolen = tom.predict("what did I say?", sent["conversation_id"], api_name="/chat_send")
    assert stolen["error"] and "PRIYAAPICANARY" not in str(stolen)
    with pytest.raises(Exception) as caught:
        tom.predict(sent["conversation_id"], api_name="/chat_history")
    assert "PRIYAAPICANARY" not in str(caught.value)
    with pytest.raises(Exception):  # noqa: B017 - a wrong password gets no client at all
        Client(url, auth=("tom", "wrong"), verbose=False)
    anonymous = httpx.post(url + "gradio_api/call/chat_conversations", json={"data": []})
    assert anonymous.status_code in (401, 403)


def test_wrong_logins_are_throttled_over_http(served):
    url, identity = served
    started = time.perf_counter()
    codes = [httpx.post(url + "login", data={"username": "tom", "password": f"guess{i}"}).status_code for i in range(60)]
    elapsed = time.perf_counter() - started
    stats = identity.login.stats
    print(f"\n60 wrong logins in {elapsed:.2f} s: {stats.verified} checked, {stats.refused_throttled} refused unchecked")
    # 5 free failures, then waits of 1, 2, 4 … s: within `elapsed` seconds only a handful more get checked
    bound = FREE_FAILURES_USER + 1 + math.ceil(math.log2(elapsed + 1))
    assert set(codes) == {401, 429} and stats.verified <= bound and stats.refused_throttled >= 60 - bound
    right = httpx.post(url + "login", data={"username": "tom", "password": "tom-password-1"})
    assert right.status_code == 429  # even the right password waits out the name's delay, never longer than the cap
    assert 0 < int(right.headers["retry-after"]) <= MAX_NAME_DELAY_S and right.json()["retry_after_s"] > 0
    page = httpx.post(url + "login", data={"username": "tom", "password": "x"}, headers={"accept": "text/html"})
    assert page.status_code == 429 and "try again in" in page.text and 'id="login-note"' in page.text


def test_exports_are_private_and_big_bodies_refused(served):
    url, identity = served
    mine = identity.exports.write(identity.accounts.get("priya"), "contract-demo-v1", ".yaml", "secret: PRIYAEXPORT\n")

    def fetch(name, password):
        with httpx.Client(base_url=url) as client:
            assert client.post("login", data={"username": name, "password": password}).status_code == 200
            return client.get(f"gradio_api/file={mine}")
    assert fetch("tom", "tom-password-1").status_code == 404
    assert fetch("ana", "ana-password-1").status_code == 404
    owner = fetch("priya", "priya-password-1")
    assert owner.status_code == 200 and "PRIYAEXPORT" in owner.text
    huge = httpx.post(url + "gradio_api/queue/join", content=b"x" * (3 * 1024 * 1024), headers={"content-type": "application/json"})
    assert huge.status_code == 413


def test_serving_beyond_loopback_without_accounts_is_refused(services):
    identity = Identity(services.settings, services.storage)
    assert not identity.enabled
    identity.check_exposure("127.0.0.1", False)
    for host, share in (("0.0.0.0", False), ("192.168.1.5", False), ("127.0.0.1", True)):
        with pytest.raises(ConfigError, match="kickcoach users add"):
            identity.check_exposure(host, share)


def test_an_expired_session_is_refused_and_stays_dead(served):
    import datetime as dt

    from gradio_client import Client
    from sqlalchemy import update

    from kickcoach.people.sessions import MAX_AGE
    from kickcoach.storage.models import LoginSession

    url, identity = served
    tom = Client(url, auth=("tom", "tom-password-1"), verbose=False)
    assert tom.predict(api_name="/chat_conversations") == []
    with identity.accounts.storage.session() as s:
        s.execute(update(LoginSession).values(created_at=LoginSession.created_at - MAX_AGE - dt.timedelta(seconds=1)))
    for _ in range(2):
        with pytest.raises(Exception):  # noqa: B017 - the handler refuses: "Your session has expired"
            tom.predict(api_name="/chat_conversations")
