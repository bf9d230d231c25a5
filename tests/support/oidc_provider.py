"""A local OpenID provider on loopback, built with authlib's server side, for the "Log in with …" tests.

    with running_provider() as op:            # discovery, JWKS, /authorize (a sign-in form), /token
        op.add_user("ada@example.org", "ada-op-password", name="Ada Lovelace", groups=["staff"])
        settings = Settings(..., **op.settings())   # KICKCOACH_OIDC_* for the app under test
        op.faults["iss"] = "https://evil.example"   # the next ID token lies about its issuer

It serves the authorization-code flow with PKCE (S256 required) and a nonce, a confidential client
(``client_secret_basic``) and a public one (no secret), whose redirect URIs are any loopback ``…/oidc/callback``, codes that work once and
for 60 s, and ID tokens signed RS256 with a key generated at start (its public half at ``/jwks``). ``faults``
makes the next ID tokens wrong on purpose: ``iss``, ``aud``, ``nonce`` (a value to put instead), ``exp_offset``
(seconds from now: negative is expired), ``email_verified`` (False), ``sign_with_other_key`` (True);
``discovery_issuer`` makes the discovery document name another issuer.
"""

from __future__ import annotations

import html
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

from authlib.oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import OAuth2Request
from authlib.oauth2.rfc6749.grants import AuthorizationCodeGrant
from authlib.oauth2.rfc6749.models import AuthorizationCodeMixin, ClientMixin
from authlib.oauth2.rfc6749.requests import BasicOAuth2Payload
from authlib.oauth2.rfc6750 import BearerTokenGenerator
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import OpenIDCode
from joserfc.jwk import RSAKey
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from tests.support.ports import free_port

HOST = "127.0.0.1"
CLIENT_ID = "kickcoach-test"
CODE_LIFETIME_S = 60


@dataclass
class User:
    email: str
    password: str
    claims: dict[str, Any]


@dataclass
class Client(ClientMixin):
    client_id: str
    client_secret: str

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str | None:
        return None

    def get_allowed_scope(self, scope: str) -> str:
        return " ".join(s for s in scope.split() if s in {"openid", "email", "profile", "groups"})

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        parts = urlsplit(redirect_uri)
        return parts.scheme == "http" and parts.hostname == HOST and parts.path.endswith("/oidc/callback")

    def check_client_secret(self, client_secret: str) -> bool:
        return bool(self.client_secret) and secrets.compare_digest(client_secret, self.client_secret)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        if endpoint != "token":
            return True
        return method == ("client_secret_basic" if self.client_secret else "none")  # a public client: PKCE only

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "authorization_code"


@dataclass
class Code(AuthorizationCodeMixin):
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    user: User
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    issued_at: float = field(default_factory=time.time)

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str | None:
        return self.nonce

    def get_auth_time(self) -> int:
        return int(self.issued_at)

    def get_acr(self) -> str | None:
        return None

    def get_amr(self) -> list[str] | None:
        return None


class StarletteRequest(OAuth2Request):
    """authlib's request view of a Starlette request whose form was already read (query and form merged)."""

    def __init__(self, method: str, url: str, headers: Any, query: dict[str, str], form: dict[str, str]) -> None:
        super().__init__(method, url, headers=headers)
        self._args, self._form = query, form
        self.payload = BasicOAuth2Payload({**query, **form})

    @property
    def args(self) -> dict[str, str]:
        return self._args

    @property
    def form(self) -> dict[str, str]:
        return self._form


class LocalProvider:
    def __init__(self) -> None:
        self.port = free_port()
        self.issuer = f"http://{HOST}:{self.port}"
        self.client = Client(CLIENT_ID, secrets.token_urlsafe(24))
        self.public_client = Client(f"{CLIENT_ID}-public", "")
        self.key = RSAKey.generate_key(2048, parameters={"kid": secrets.token_hex(4), "use": "sig", "alg": "RS256"})
        self.other_key = RSAKey.generate_key(2048, parameters={"kid": self.key.kid, "alg": "RS256"})
        self.users: dict[str, User] = {}
        self.codes: dict[str, Code] = {}
        self.faults: dict[str, Any] = {}
        self.tokens_issued = 0
        self.codes_refused = 0
        self.server = self._server()
        self.app = Starlette(routes=[
            Route("/.well-known/openid-configuration", self.discovery),
            Route("/jwks", self.jwks),
            Route("/authorize", self.authorize, methods=["GET", "POST"]),
            Route("/token", self.token, methods=["POST"]),
        ])

    # --- set-up -----------------------------------------------------------------------------------
    def add_user(self, email: str, password: str, **claims: Any) -> User:
        user = User(email, password, {"email": email, "email_verified": True, **claims})
        self.users[email] = user
        return user

    def settings(self, public: bool = False, **extra: Any) -> dict[str, Any]:
        """``Settings(...)`` keywords (or a ``model_copy`` update) that point kickcoach at this provider, as its
        confidential client, or with ``public`` as its public client (no secret: PKCE only)."""
        from pydantic import SecretStr

        client = self.public_client if public else self.client
        secret = SecretStr(client.client_secret) if client.client_secret else None
        return {"oidc_issuer": self.issuer, "oidc_client_id": client.client_id, "oidc_client_secret": secret,
                "oidc_label": "Example Org", **extra}

    # --- authlib's server -------------------------------------------------------------------------
    def _server(self) -> AuthorizationServer:
        provider = self

        class Server(AuthorizationServer):
            def query_client(self, client_id: str) -> Client | None:
                return next((c for c in (provider.client, provider.public_client) if c.client_id == client_id), None)

            def create_oauth2_request(self, request: OAuth2Request) -> OAuth2Request:
                return request  # already authlib's view (StarletteRequest)

            def save_token(self, token: dict[str, Any], request: OAuth2Request) -> None:
                provider.tokens_issued += 1

            def handle_response(self, status: int, body: Any, headers: Any) -> Response:
                if isinstance(body, dict):
                    return JSONResponse(body, status_code=status, headers=dict(headers))
                return Response(body or b"", status_code=status, headers=dict(headers))

            def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
                return None

        class CodeGrant(AuthorizationCodeGrant):
            TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "none"]

            def save_authorization_code(self, code: str, request: OAuth2Request) -> None:
                data = request.payload.data
                provider.codes[code] = Code(code, request.client.client_id, data.get("redirect_uri"), request.payload.scope,
                                            request.user, data.get("nonce"), data.get("code_challenge"),
                                            data.get("code_challenge_method"))

            def query_authorization_code(self, code: str, client: Client) -> Code | None:
                found = provider.codes.get(code)
                if found is None or found.client_id != client.client_id or time.time() - found.issued_at > CODE_LIFETIME_S:
                    provider.codes_refused += 1
                    return None
                return found

            def delete_authorization_code(self, authorization_code: Code) -> None:
                provider.codes.pop(authorization_code.code, None)  # a code works once

            def authenticate_user(self, authorization_code: Code) -> User:
                return authorization_code.user

        class OpenID(OpenIDCode):
            def exists_nonce(self, nonce: str, request: OAuth2Request) -> bool:
                return any(c.nonce == nonce for c in provider.codes.values())

            def resolve_client_private_key(self, client: Client) -> RSAKey:
                return provider.other_key if provider.faults.get("sign_with_other_key") else provider.key

            def get_client_algorithm(self, client: Client) -> str:
                return "RS256"

            def get_encode_header(self, client: Client) -> dict[str, str]:
                return {"alg": "RS256", "kid": str(provider.key.kid)}

            def get_client_claims(self, client: Client) -> dict[str, Any]:
                faults = provider.faults
                claims = {"iss": faults.get("iss", provider.issuer), "aud": [faults.get("aud", client.client_id)],
                          "exp": int(time.time()) + int(faults.get("exp_offset", 300))}
                if "aud" in faults:  # "issued to us by another party": passes a check of azp alone
                    claims["azp"] = client.client_id
                return claims

            def get_authorization_code_claims(self, authorization_code: Code) -> dict[str, Any]:
                claims = super().get_authorization_code_claims(authorization_code)
                if "nonce" in provider.faults:
                    claims["nonce"] = provider.faults["nonce"]
                return claims

            def generate_user_info(self, user: User, scope: str) -> dict[str, Any]:
                info = {"sub": user.email, **user.claims}
                if "email_verified" in provider.faults:
                    info["email_verified"] = provider.faults["email_verified"]
                return info

        server = Server()
        server.register_token_generator("default", BearerTokenGenerator(lambda *a, **k: secrets.token_urlsafe(32)))
        server.register_grant(CodeGrant, [CodeChallenge(required=True), OpenID(require_nonce=True)])
        return server

    # --- routes -----------------------------------------------------------------------------------
    async def discovery(self, request: Request) -> Response:
        return JSONResponse({
            "issuer": self.faults.get("discovery_issuer", self.issuer), "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token", "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"], "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"], "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic"],
            "scopes_supported": ["openid", "email", "profile", "groups"],
        })

    async def jwks(self, request: Request) -> Response:
        return JSONResponse({"keys": [self.key.as_dict(private=False)]})

    async def _oauth_request(self, request: Request) -> StarletteRequest:
        form = {k: str(v) for k, v in (await request.form()).items()} if request.method == "POST" else {}
        return StarletteRequest(request.method, str(request.url), request.headers, dict(request.query_params), form)

    async def authorize(self, request: Request) -> Response:
        oauth_request = await self._oauth_request(request)
        from authlib.oauth2 import OAuth2Error

        try:
            grant = self.server.get_consent_grant(oauth_request)
        except OAuth2Error as error:
            return JSONResponse({"error": error.error, "description": error.description}, status_code=400)
        if request.method == "GET":
            return self._sign_in_form(dict(request.query_params))
        user = self.users.get(oauth_request.form.get("email", ""))
        if user is None or not secrets.compare_digest(user.password, oauth_request.form.get("password", "")):
            return self._sign_in_form(dict(request.query_params), "Wrong email or password")
        return self.server.create_authorization_response(oauth_request, grant_user=user, grant=grant)

    def _sign_in_form(self, query: dict[str, str], note: str = "") -> Response:
        action = html.escape("authorize?" + urlencode(query))
        return HTMLResponse(
            f"<!doctype html><title>Example Org sign-in</title><h1>Example Org</h1><p id='op-note'>{note}</p>"
            f"<form method='post' action='{action}'><label>Email <input name='email' id='op-email'></label>"
            "<label>Password <input name='password' type='password' id='op-password'></label>"
            "<button type='submit' id='op-submit'>Sign in</button></form>")

    async def token(self, request: Request) -> Response:
        return self.server.create_token_response(await self._oauth_request(request))


@contextmanager
def running_provider() -> Iterator[LocalProvider]:
    """The provider served by uvicorn in a thread on a free loopback port, until the block ends."""
    import uvicorn

    provider = LocalProvider()
    server = uvicorn.Server(uvicorn.Config(provider.app, host=HOST, port=provider.port, log_level="warning"))
    thread = threading.Thread(target=server.run, name=f"oidc-{provider.port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"the OpenID provider did not start on port {provider.port}")
        time.sleep(0.05)
    try:
        yield provider
    finally:
        server.should_exit = True
        thread.join(10)


@dataclass
class Flow:
    """One "Log in with …" over HTTP: the browser's client of the app, and where each step went."""

    browser: Any  # httpx.Client on the app, holding its cookies
    authorize_url: str = ""
    callback_url: str = ""
    state_cookie: str | None = None  # the app's signed state cookie as it was before the callback
    answer: Any = None  # the app's answer to the callback


def start_flow(app_url: str, email: str, password: str) -> Flow:
    """Click "Log in with …", sign in at the provider, and stop just before the browser returns to the app."""
    import httpx

    browser = httpx.Client(base_url=app_url, timeout=30.0, follow_redirects=False)
    started = browser.get("oidc/login")
    assert started.status_code == 302, started.text
    flow = Flow(browser, authorize_url=started.headers["location"])
    flow.state_cookie = browser.cookies.get("kickcoach-oidc", path="/oidc")
    with httpx.Client(timeout=30.0, follow_redirects=False) as at_provider:
        form = at_provider.get(flow.authorize_url)
        assert form.status_code == 200 and "op-email" in form.text, form.text
        signed_in = at_provider.post(flow.authorize_url, data={"email": email, "password": password})
    assert signed_in.status_code == 302, signed_in.text
    flow.callback_url = signed_in.headers["location"]
    return flow


def finish_flow(flow: Flow) -> Flow:
    """The browser comes back to the app's callback."""
    flow.answer = flow.browser.get(flow.callback_url)
    return flow
