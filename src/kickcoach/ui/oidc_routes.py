"""``/oidc/login`` and ``/oidc/callback``: log in with the organisation's account (OpenID Connect).

Mounted only when ``KICKCOACH_OIDC_ISSUER`` and ``KICKCOACH_OIDC_CLIENT_ID`` are set (the login page then
shows "Log in with <label>"). authlib's Starlette client runs the authorization-code flow with PKCE (S256) and a
nonce: ``/oidc/login`` sends the browser to the provider, keeping state, nonce and code verifier in a signed
10-minute cookie (``kickcoach-oidc``, HttpOnly, SameSite=Lax, path ``/oidc``); ``/oidc/callback`` checks the
state against that cookie, swaps the code for tokens, and verifies the ID token (signature from the provider's
JWKS, issuer, audience, expiry, nonce, ``at_hash``). The token's email then picks the account
(``people.oidc_claims``), and a login session starts exactly as after a password (``people.sessions``).
Anything that fails shows the login page with the reason, status 400 (the flow) or 403 (no such person).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets

import anyio
import httpx
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.starlette_client import OAuth
from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from joserfc.errors import JoseError
from starlette.middleware.sessions import SessionMiddleware

from kickcoach.core.config import Settings
from kickcoach.people.oidc_claims import ClaimRules, OidcRefused, person_for_claims
from kickcoach.ui.identity import Identity
from kickcoach.ui.login_routes import page, with_session_cookie

log = logging.getLogger(__name__)

STATE_COOKIE = "kickcoach-oidc"
STATE_MAX_AGE_S = 600
"""Seconds between "Log in with …" and the provider's answer before the flow has to start again."""
PATHS = ("/oidc/login", "/oidc/callback")
try:  # authlib's client speaks httpx2 where it is installed, else httpx
    from httpx2 import HTTPError as Httpx2Error
except ImportError:  # pragma: no cover - depends on the environment
    Httpx2Error = httpx.HTTPError  # type: ignore[misc,assignment]
FLOW_ERRORS = (AuthlibBaseError, JoseError, httpx.HTTPError, Httpx2Error, ValueError, KeyError, TypeError, RuntimeError)
"""What a failed or forged flow raises: a state or token mismatch, a bad signature or claim, a provider down."""


SIGNING_ALGS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA")
"""ID-token signatures accepted: public-key ones only ("none" and HMAC never, whatever discovery offers)."""


def signing_algs(metadata: dict) -> list[str]:
    """The provider's advertised ID-token algorithms that are in ``SIGNING_ALGS`` (RS256 when none are)."""
    offered = metadata.get("id_token_signing_alg_values_supported") or []
    return [alg for alg in offered if alg in SIGNING_ALGS] or ["RS256"]


def state_secret(settings: Settings) -> str:
    """The key signing the state cookie: set, else derived from the client secret, else random per process."""
    if settings.oidc_state_secret is not None:
        return settings.oidc_state_secret.get_secret_value()
    if settings.oidc_client_secret is not None:
        key = settings.oidc_client_secret.get_secret_value().encode()
        return hmac.new(key, b"kickcoach oidc state cookie", hashlib.sha256).hexdigest()
    return secrets.token_urlsafe(32)


def oidc_app(identity: Identity) -> FastAPI:
    """The ``/oidc`` sub-application (mount it before Gradio at ``/``); ``RequestGuard`` lets only ``PATHS`` in."""
    settings = identity.settings
    oauth = OAuth()
    secret = settings.oidc_client_secret.get_secret_value() if settings.oidc_client_secret else None
    client = oauth.register(
        "organisation", client_id=settings.oidc_client_id, client_secret=secret,
        server_metadata_url=settings.oidc_discovery,
        client_kwargs={"scope": settings.oidc_scopes, "code_challenge_method": "S256", "timeout": 15.0,
                       "token_endpoint_auth_method": "client_secret_basic" if secret else "none"},
    )
    rules = ClaimRules.of(settings)
    # authlib checks the audience only when told to (its own check is of ``azp``): the issuer and the audience
    # must be exactly ours, whatever the discovery document says
    claim_checks = {"iss": {"essential": True, "values": [settings.oidc_issuer]},
                    "aud": {"essential": True, "values": [settings.oidc_client_id]}}
    label = settings.oidc_label
    secure = (settings.oidc_redirect_url or "").startswith("https://")
    sub = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    sub.add_middleware(SessionMiddleware, secret_key=state_secret(settings), session_cookie=STATE_COOKIE,
                       max_age=STATE_MAX_AGE_S, path="/oidc", same_site="lax", https_only=secure)

    def refused(note: str, status: int) -> Response:
        return page("Log in with your kickcoach account.", note=note, status=status, oidc_label=label, base="../")

    @sub.get("/login", include_in_schema=False)
    async def start(request: Request) -> Response:
        if identity.sessions is None or not identity.enabled:
            return RedirectResponse("../", status_code=303)
        redirect_uri = settings.oidc_redirect_url or str(request.url_for("oidc_callback"))
        try:
            response: Response = await client.authorize_redirect(request, redirect_uri)
        except FLOW_ERRORS as exc:
            log.warning("OIDC: the provider's discovery failed: %s", exc)
            return refused(f"Cannot reach {label} now: try again later.", 502)
        response.headers["cache-control"] = "no-store"
        return response

    @sub.get("/callback", name="oidc_callback", include_in_schema=False)
    async def callback(request: Request) -> Response:
        if identity.sessions is None or identity.accounts is None:
            return RedirectResponse("../", status_code=303)
        try:
            metadata = await client.load_server_metadata()  # cached after the first login
            if metadata.get("issuer") != settings.oidc_issuer:  # OpenID Connect Discovery 1.0, section 4.3
                raise ValueError(f"the discovery document names another issuer: {metadata.get('issuer')!r}")
            metadata["id_token_signing_alg_values_supported"] = signing_algs(metadata)
            token = await client.authorize_access_token(request, claims_options=claim_checks, leeway=60)
            claims = token.get("userinfo")
            if not claims:
                raise ValueError("the provider's answer has no ID token")
        except FLOW_ERRORS as exc:
            request.session.clear()
            log.warning("OIDC: login refused: %s: %s", type(exc).__name__, exc)
            return refused(f"Login with {label} failed ({_reason(exc)}): start again.", 400)
        try:
            person = await anyio.to_thread.run_sync(person_for_claims, identity.accounts, claims, rules)
        except OidcRefused as exc:
            return refused(str(exc), 403)
        session = await anyio.to_thread.run_sync(identity.sessions.start, person.person_id)
        log.info("OIDC: %s logged in", person.name)
        return with_session_cookie(RedirectResponse("../", status_code=303), request, identity, session)

    return sub


def _reason(exc: Exception) -> str:
    """A short, safe reason for the page: the error's kind, never the provider's text."""
    name = getattr(exc, "error", None) or type(exc).__name__
    return str(name).replace("_", " ")[:60]


__all__ = ["PATHS", "SIGNING_ALGS", "STATE_COOKIE", "oidc_app", "signing_algs", "state_secret"]
