"""Log in with the organisation's account (OpenID Connect), over HTTP, against a local provider on loopback.

The provider (``tests.support.oidc_provider``, authlib's server side) signs real RS256 ID tokens; each fault
test makes one thing wrong (state, nonce, issuer, audience, expiry, signature, email) and checks the app
refuses with a page that says why, and starts no session.
"""

from __future__ import annotations

import pytest

from tests.support.oidc_provider import finish_flow, start_flow
from tests.support.web import serve


@pytest.fixture
def settings(settings, oidc_provider):
    return settings.model_copy(update=oidc_provider.settings())


@pytest.fixture
def served(services, people, oidc_provider):
    from kickcoach.people.accounts import Accounts

    accounts = Accounts(services.storage)
    for name in ("priya", "fay"):
        accounts.set_email(name, f"{name}@example.org")
        oidc_provider.add_user(f"{name}@example.org", f"{name}-at-org", name=name.title())
    oidc_provider.add_user("stranger@example.org", "stranger-at-org", name="Stranger")
    with serve(services) as ui:
        yield ui


def _session_of(ui, flow):
    token = flow.browser.cookies.get("kickcoach-session")
    return ui.identity.person_from_cookies({"kickcoach-session": token}) if token else None


def _refused(ui, flow, status: int, words: str) -> None:
    answer = flow.answer
    assert answer.status_code == status, answer.text[:300]
    assert words in answer.text and "Traceback" not in answer.text
    assert 'id="login-oidc"' in answer.text and "<base href=\"../\">" in answer.text  # start again, or use a password
    assert flow.browser.cookies.get("kickcoach-session") is None and _session_of(ui, flow) is None


def test_the_login_page_offers_the_organisation_only_when_configured(served, services, people):
    page = served.client().get("login")
    assert page.status_code == 200 and "Log in with Example Org" in page.text
    plain = services.settings.model_copy(update={"oidc_issuer": None})
    from kickcoach.services import Services

    with serve(Services(plain, model=services.model, embeddings=services.embeddings), prepare=False) as other:
        client = other.client()
        assert "login-oidc" not in client.get("login").text
        assert client.get("oidc/login").status_code == 404 and client.get("oidc/callback?code=x&state=y").status_code == 404


def test_a_known_email_logs_in_as_that_account_with_its_pair_and_role(served, oidc_provider):
    flow = finish_flow(start_flow(served.url, "priya@example.org", "priya-at-org"))
    assert flow.answer.status_code == 303 and flow.answer.headers["location"] == "../"
    person = _session_of(served, flow)
    assert (person.name, person.pair_id, person.partner, person.role) == ("priya", "demo", "a", "participant")
    assert person.display_name == "Priya"  # the token's name filled the empty display name
    cookie = next(c for c in flow.browser.cookies.jar if c.name == "kickcoach-session")
    assert cookie.has_nonstandard_attr("HttpOnly") and cookie.expires
    page = flow.browser.get("")
    assert page.status_code == 200  # the app itself, not the login page
    assert flow.browser.post("gradio_api/call/chat_conversations", json={"data": []}).status_code == 200

    flow = finish_flow(start_flow(served.url, "fay@example.org", "fay-at-org"))
    person = _session_of(served, flow)
    assert (person.name, person.role, person.pair_id) == ("fay", "facilitator", None)


def test_a_callback_without_the_browsers_state_is_refused(served):
    flow = start_flow(served.url, "priya@example.org", "priya-at-org")
    flow.browser.cookies.clear()  # another browser (an attacker's link to the victim) has no state cookie
    _refused(served, finish_flow(flow), 400, "mismatching state")
    flow = start_flow(served.url, "priya@example.org", "priya-at-org")
    flow.callback_url = flow.callback_url.replace("state=", "state=forged")
    _refused(served, finish_flow(flow), 400, "mismatching state")


@pytest.mark.parametrize(("fault", "value", "reason"), [
    ("nonce", "a-nonce-from-another-login", "(invalid claim)"),
    ("iss", "https://evil.example", "(invalid claim)"),
    ("aud", "another-client", "(invalid claim)"),
    ("exp_offset", -3600, "(expired token)"),
    ("sign_with_other_key", True, "(bad signature)"),
    ("discovery_issuer", "https://evil.example", "(ValueError)"),
])
def test_an_id_token_that_is_wrong_is_refused(served, oidc_provider, fault, value, reason, caplog):
    oidc_provider.faults[fault] = value
    _refused(served, finish_flow(start_flow(served.url, "priya@example.org", "priya-at-org")), 400, reason)
    claim = {"exp_offset": "expired", "sign_with_other_key": "BadSignatureError",
             "discovery_issuer": "names another issuer"}.get(fault, f"'{fault}'")
    assert claim in caplog.text  # the log names what was wrong


def test_an_unknown_or_unverified_email_gets_a_clear_refusal(served, oidc_provider):
    flow = finish_flow(start_flow(served.url, "stranger@example.org", "stranger-at-org"))
    _refused(served, flow, 403, "No kickcoach account has the email stranger@example.org")
    oidc_provider.faults["email_verified"] = False
    flow = finish_flow(start_flow(served.url, "priya@example.org", "priya-at-org"))
    _refused(served, flow, 403, "has not verified the address priya@example.org")


def test_a_replayed_code_is_refused(served, oidc_provider):
    flow = finish_flow(start_flow(served.url, "priya@example.org", "priya-at-org"))
    assert flow.answer.status_code == 303
    refused_before = oidc_provider.codes_refused
    import httpx

    replay = httpx.Client(base_url=served.url, timeout=30.0, follow_redirects=False)
    replay.cookies.set("kickcoach-oidc", flow.state_cookie, path="/oidc")  # the state cookie, copied before its use
    flow = finish_flow(type(flow)(replay, callback_url=flow.callback_url))
    _refused(served, flow, 400, "invalid grant")
    assert oidc_provider.codes_refused == refused_before + 1  # the provider saw the code again and refused it


def test_a_provider_that_cannot_be_reached_gets_a_page_not_a_traceback(services, people):
    from kickcoach.services import Services
    from tests.support.ports import free_port

    dead = services.settings.model_copy(update={"oidc_issuer": f"http://127.0.0.1:{free_port()}",
                                                "oidc_client_id": "kickcoach", "oidc_label": "Example Org"})
    with serve(Services(dead, model=services.model, embeddings=services.embeddings), prepare=False) as ui:
        answer = ui.client().get("oidc/login")
        assert answer.status_code == 502 and "Cannot reach Example Org now" in answer.text
        assert "Traceback" not in answer.text and 'id="login-name"' in answer.text  # the password login still works


def test_only_public_key_signatures_are_accepted_whatever_discovery_offers():
    from kickcoach.ui.oidc_routes import signing_algs

    assert signing_algs({"id_token_signing_alg_values_supported": ["none", "HS256", "RS256", "ES256"]}) == ["RS256", "ES256"]
    assert signing_algs({"id_token_signing_alg_values_supported": ["none"]}) == ["RS256"]
    assert signing_algs({}) == ["RS256"]


def test_a_public_client_without_a_secret_logs_in_with_pkce_alone(services, people, oidc_provider):
    from kickcoach.people.accounts import Accounts
    from kickcoach.services import Services

    Accounts(services.storage).set_email("tom", "tom@example.org")
    oidc_provider.add_user("tom@example.org", "tom-at-org")
    public = services.settings.model_copy(update=oidc_provider.settings(public=True))
    assert public.oidc_client_secret is None
    with serve(Services(public, model=services.model, embeddings=services.embeddings), prepare=False) as ui:
        flow = finish_flow(start_flow(ui.url, "tom@example.org", "tom-at-org"))
        assert flow.answer.status_code == 303 and _session_of(ui, flow).name == "tom"
        stolen = start_flow(ui.url, "tom@example.org", "tom-at-org")
        mine = start_flow(ui.url, "tom@example.org", "tom-at-org")  # an attacker's own state, tom's stolen code
        her_code = stolen.callback_url.split("code=", 1)[1].split("&", 1)[0]
        mine.callback_url = mine.callback_url.split("code=", 1)[0] + f"code={her_code}&" + mine.callback_url.split("&", 1)[1]
        _refused(ui, finish_flow(mine), 400, "invalid grant")  # the code is bound to the other browser's verifier
