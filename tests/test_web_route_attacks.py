"""Every Gradio route bound to its login, over HTTP against the running web app.

The owner (priya) starts a chat turn under her own session hash, uploads a file and gets an export. Four
attackers (tom, her partner; ana, of another pair; fay, the facilitator; an anonymous client with forged
cookies) then try everything a stolen session hash or event id allows: read the turn's stream
(``/gradio_api/call/<api>/<event>``, ``/gradio_api/queue/data``), keep or cancel her session (heartbeat, cancel),
run their own calls under her session hash, read her upload and export (also through another handler's file
argument), the deep-link routes, monitoring, and the other Gradio routes the app does not use; and cross-site
posts with a logged-in cookie; and the organisation's login (``/oidc/callback``): her stolen callback URL, her
code under their own state, a forged state, a replayed code. An attempt succeeds when it gets a 2xx answer or shows the owner's canary. The
figures are printed with ``-s`` and asserted: >= 300 attempts, 0 successes; then the owner's own control run
succeeds (her stream, upload and export), so the judge would have seen a leak.
"""

from __future__ import annotations

import secrets
from contextlib import closing
from typing import Any

import httpx
import pytest

from tests.support.web import Served, serve

CANARY = "PRIYAROUTECANARY"
OWNER_AT_ORG = "priya-at-the-organisation"
ATTACKERS = ("tom", "ana", "fay", "anonymous")
CLOSED = [
    "monitoring", "monitoring/summary", "monitoring/{key}", "monitoring/{key}/dashboard", "gradio_api/deep_link",
    "gradio_api/mcp/sse", "gradio_api/mcp/schema", "gradio_api/runs", "gradio_api/run-history/records", "token",
    "gradio_api/token", "gradio_api/user", "gradio_api/app_id", "gradio_api/openapi.json", "gradio_api/queue/status",
    "gradio_api/vibe-code", "gradio_api/profiling/summary", "gradio_api/dev/reload", "manifest.json", "docs",
    "gradio_api/proxy=http://127.0.0.1:1/", "gradio_api/stream/{event}/playlist.m3u8",
]


@pytest.fixture
def settings(settings, oidc_provider):
    return settings.model_copy(update=oidc_provider.settings())  # the organisation's login is on, and attacked too


@pytest.fixture
def served(services, people, oidc_provider):
    from kickcoach.people.accounts import Accounts

    Accounts(services.storage).set_email("priya", "priya@example.org")
    oidc_provider.add_user("priya@example.org", OWNER_AT_ORG)
    with serve(services) as ui:
        yield ui


def client_for(ui: Served, who: str) -> httpx.Client:
    if who == "anonymous":
        client = httpx.Client(base_url=ui.url, timeout=30.0)
        client.cookies.set("kickcoach-session", secrets.token_urlsafe(32))
        client.cookies.set("access-token", secrets.token_urlsafe(32))
        return client
    return ui.client(who)


def owner_setup(ui: Served, owner: httpx.Client) -> dict[str, str]:
    session = secrets.token_hex(6)
    started = owner.post("gradio_api/call/chat_send", json={"data": [f"{CANARY} how often should we meet?", None],
                                                             "session_hash": session})
    assert started.status_code == 200, started.text
    upload_id = secrets.token_hex(5)
    uploaded = owner.post(f"gradio_api/upload?upload_id={upload_id}",
                          files={"files": ("mine.csv", f"name,email\n{CANARY},x@example.org\n".encode(), "text/csv")})
    assert uploaded.status_code == 200, uploaded.text
    export = ui.identity.export(_request_of(ui, owner), "contract-demo-v1", ".yaml", f"secret: {CANARY}\n")
    return {"session": session, "event": started.json()["event_id"], "upload": uploaded.json()[0],
            "upload_id": upload_id, "export": export}


def _request_of(ui: Served, client: httpx.Client) -> Any:
    from types import SimpleNamespace

    return SimpleNamespace(username="priya", cookies={"kickcoach-session": client.cookies.get("kickcoach-session")})


def attempts(o: dict[str, str]):
    """(label, method, path, keyword arguments) for every attack with the owner's ids ``o``."""
    s, e, f, x = o["session"], o["event"], o["upload"], o["export"]
    file_arg = {"path": f, "meta": {"_type": "gradio.FileData"}, "orig_name": "mine.csv"}
    for api in ("chat_send", "chat_conversations", "programme_my_pair"):
        yield f"read the turn as {api}", "GET", f"gradio_api/call/{api}/{e}", {}
        yield f"read the turn as v2 {api}", "GET", f"gradio_api/call/v2/{api}/{e}", {}
    yield "stream her session", "GET", f"gradio_api/queue/data?session_hash={s}", {}
    yield "stream her session twice", "GET", f"gradio_api/queue/data?session_hash=mine&session_hash={s}", {}
    yield "keep her session", "GET", f"gradio_api/heartbeat/{s}", {}
    yield "cancel her turn", "POST", "gradio_api/cancel", {"json": {"session_hash": s, "fn_index": 0, "event_id": e}}
    yield "reset her turn", "POST", "gradio_api/reset", {"json": {"event_id": e}}
    yield "call under her session", "POST", "gradio_api/call/chat_conversations", {"json": {"data": [], "session_hash": s}}
    yield "join under her session", "POST", "gradio_api/queue/join", {"json": {"data": [], "fn_index": 0, "session_hash": s}}
    yield "component server", "POST", "gradio_api/component_server", {
        "json": {"session_hash": s, "component_id": 1, "fn_name": "x", "data": None}}
    yield "her upload", "GET", f"gradio_api/file={f}", {}
    yield "her upload, encoded", "GET", "gradio_api/file=" + f.replace("/", "%2F"), {}
    yield "her upload's progress", "GET", f"gradio_api/upload_progress?upload_id={o['upload_id']}", {}
    yield "her upload in my import", "POST", "gradio_api/call/programme_import", {"json": {"data": ["Spring", file_arg]}}
    yield "her upload in my join", "POST", "gradio_api/queue/join", {
        "json": {"data": ["Spring", file_arg], "fn_index": 0, "session_hash": secrets.token_hex(6)}}
    yield "her export", "GET", f"gradio_api/file={x}", {}
    yield "her export, other route", "GET", f"gradio_api/file/{x}", {}
    yield "her export, dotted", "GET", f"gradio_api/file={x.replace('/exports/', '/exports/./')}", {}
    mine = o["attacker_export"]
    yield "her export, climbing from mine", "GET", f"gradio_api/file={mine}/../{x.rsplit('/', 1)[1]}", {}
    yield "her export, climbing encoded", "GET", f"gradio_api/file={mine}%2F..%2F{x.rsplit('/', 1)[1]}", {}
    yield "deep link", "GET", f"gradio_api/deep_link?session_hash={s}", {}
    yield "deep link on the page", "GET", f"?deep_link={s}", {}
    for path in CLOSED:
        yield f"closed route {path}", "GET", path.format(key=secrets.token_hex(8), event=e), {}


def judge(answer: httpx.Response, body: str) -> bool:
    """A success: a 2xx answer, or the owner's canary anywhere in it."""
    return 200 <= answer.status_code < 300 or CANARY in body


def send(client: httpx.Client, method: str, path: str, kwargs: dict[str, Any]) -> tuple[httpx.Response, str]:
    with client.stream(method, path, timeout=10.0, **kwargs) as answer:
        body = b""
        for chunk in answer.iter_bytes():
            body += chunk
            if len(body) > 65536 or answer.status_code == 200:
                break  # a stream that opened is a success already; do not wait for it to end
        return answer, body.decode("utf-8", "replace")


def test_no_one_uses_another_logins_session_event_upload_or_export(served):
    figures = {"attempts": 0, "successes": 0}
    statuses: dict[int, int] = {}
    with closing(served.client("priya")) as owner:
        ids = owner_setup(served, owner)
        for attacker in ATTACKERS:
            with closing(client_for(served, attacker)) as client:
                who = served.identity.accounts.get(attacker) if attacker != "anonymous" else None
                ids["attacker_export"] = served.identity.exports.write(who, "mine", ".md", "mine") if who else ids["export"]
                for round_ in range(2):  # the same attacks again, after the first round's refusals
                    for label, method, path, kwargs in attempts(ids):
                        answer, body = send(client, method, path, kwargs)
                        figures["attempts"] += 1
                        statuses[answer.status_code] = statuses.get(answer.status_code, 0) + 1
                        if judge(answer, body):
                            figures["successes"] += 1
                            print(f"SUCCESS {attacker} round {round_}: {label} → {answer.status_code} {body[:200]}")
        cross_site = cross_site_attempts(served, owner, figures)
        print(f"\nroutes: {figures}, statuses {dict(sorted(statuses.items()))}, cross-site {cross_site}")
        assert figures["attempts"] >= 300 and figures["successes"] == 0
        control(served, owner, ids)


def cross_site_attempts(ui: Served, owner: httpx.Client, figures: dict[str, int]) -> int:
    """Posts a page on another site could make with the owner's cookie: all refused."""
    refused = 0
    for origin in ("http://evil.example", "null", "http://127.0.0.1.evil.example"):
        for path, kwargs in (("gradio_api/call/chat_conversations", {"json": {"data": []}}),
                             ("login", {"data": {"username": "tom", "password": "tom-password-1"}}),
                             ("logout", {})):
            answer = owner.post(path, headers={"origin": origin, "sec-fetch-site": "cross-site"}, **kwargs)
            figures["attempts"] += 1
            refused += answer.status_code == 403
            figures["successes"] += answer.status_code != 403
    return refused


def control(ui: Served, owner: httpx.Client, ids: dict[str, str]) -> None:
    """The owner herself: her turn's stream, her upload and her export all answer."""
    turn = owner.get(f"gradio_api/call/chat_send/{ids['event']}")
    assert turn.status_code == 200 and "event: complete" in turn.text, turn.text[:300]
    upload = owner.get(f"gradio_api/file={ids['upload']}")
    assert upload.status_code == 200 and CANARY in upload.text
    export = owner.get(f"gradio_api/file={ids['export']}")
    assert export.status_code == 200 and CANARY in export.text
    assert judge(export, export.text)  # the judge sees the owner's own reads as successes


def test_the_page_cannot_be_framed_and_logging_out_takes_a_post(served):
    with closing(served.client("tom")) as tom:
        page = tom.get("")
        assert page.status_code == 200
        assert page.headers["x-frame-options"] == "DENY" and "frame-ancestors 'none'" in page.headers["content-security-policy"]
        assert "connect-src 'self'" in page.headers["content-security-policy"]
        assert tom.get("logout").status_code == 405 and tom.post("gradio_api/call/chat_conversations",
                                                                  json={"data": []}).status_code == 200
        cookie = next(c for c in tom.cookies.jar if c.name == "kickcoach-session")
        assert cookie.expires and cookie.has_nonstandard_attr("HttpOnly")
        assert tom.post("logout").status_code == 200
        tom.cookies.set("kickcoach-session", cookie.value)  # the old cookie, replayed: dead
        assert tom.post("gradio_api/call/chat_conversations", json={"data": []}).status_code == 401
    anonymous = httpx.get(served.url, follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"] == "login"


# --- the organisation's login (OIDC) -------------------------------------------------------------------
def oidc_attempts(ui: Served, client: httpx.Client, provider: Any):
    """(label, path) for each way to turn the owner's OIDC login into the attacker's session."""
    from tests.support.oidc_provider import finish_flow, start_flow

    stolen = start_flow(ui.url, "priya@example.org", OWNER_AT_ORG)  # her callback URL, as a proxy log holds it
    yield "her callback, stolen", stolen.callback_url
    own = client.get("oidc/login")  # the attacker's own flow: a state cookie of their own
    mine = own.headers.get("location", "")
    state = mine.split("state=", 1)[1].split("&", 1)[0] if "state=" in mine else "none"
    her_code = stolen.callback_url.split("code=", 1)[1].split("&", 1)[0]
    yield "her code under my state", f"oidc/callback?code={her_code}&state={state}"
    yield "her state under my cookie", stolen.callback_url
    yield "forged state", f"oidc/callback?code={her_code}&state={secrets.token_urlsafe(20)}"
    yield "no state", f"oidc/callback?code={her_code}"
    yield "an error in her name", f"oidc/callback?error=access_denied&state={state}"
    used = finish_flow(start_flow(ui.url, "priya@example.org", OWNER_AT_ORG))  # she logs in; the code is spent
    client.cookies.set("kickcoach-oidc", used.state_cookie or "", path="/oidc")  # her old state cookie, stolen too
    yield "her spent code replayed with her state cookie", used.callback_url
    client.cookies.delete("kickcoach-oidc", path="/oidc")
    for path in ("oidc/docs", "oidc/openapi.json", "oidc/", f"oidc/callback/?code={her_code}&state={state}"):
        yield f"closed route {path}", path


def test_no_one_logs_in_through_the_owners_organisation_login(served, oidc_provider):
    figures = {"attempts": 0, "successes": 0}
    for attacker in ATTACKERS:
        with closing(client_for(served, attacker)) as client:
            client.follow_redirects = False
            before = client.cookies.get("kickcoach-session")
            for round_ in range(2):
                for label, path in oidc_attempts(served, client, oidc_provider):
                    answer = client.get(path)
                    figures["attempts"] += 1
                    issued = answer.cookies.get("kickcoach-session")
                    person = served.identity.person_from_cookies({"kickcoach-session": issued}) if issued else None
                    if 200 <= answer.status_code < 400 or person is not None:
                        figures["successes"] += 1
                        print(f"SUCCESS {attacker} round {round_}: {label} → {answer.status_code} {person}")
            assert client.cookies.get("kickcoach-session") == before  # still who they were (or no one)
    print(f"\noidc: {figures}, spent codes refused by the provider {oidc_provider.codes_refused}")
    assert figures["attempts"] >= 80 and figures["successes"] == 0
    assert oidc_provider.codes_refused >= 2 * len(ATTACKERS)  # each replayed code got as far as the provider
    # control: her own browser, the same flow, logs her in
    from tests.support.oidc_provider import finish_flow, start_flow

    mine = finish_flow(start_flow(served.url, "priya@example.org", OWNER_AT_ORG))
    assert mine.answer.status_code == 303
    token = mine.browser.cookies.get("kickcoach-session")
    assert served.identity.person_from_cookies({"kickcoach-session": token}).name == "priya"
