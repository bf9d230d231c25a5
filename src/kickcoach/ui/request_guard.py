"""ASGI middleware in front of the whole web app: every request is bound to its login.

For each request it: works out the client address (``people.addresses``: ``X-Forwarded-For`` only from a
trusted proxy) for login throttling; caps the body; refuses a POST from another site (``Origin`` /
``Sec-Fetch-Site``); serves only the routes the app uses (``route_binding.route_of``: everything else is 404);
looks up the login session from the cookie (no login: the page goes to ``/login``, the API answers 401); and
lets a Gradio session hash, event id, upload or file be used only by the login that created it
(``route_binding.Bindings``). Every answer carries anti-framing headers and a content-security policy.
"""

from __future__ import annotations

import json
import os
from collections.abc import Awaitable, Callable
from http.cookies import CookieError, SimpleCookie
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import anyio

from kickcoach.core.person import Person
from kickcoach.people.addresses import client_address as real_address
from kickcoach.ui.exports import Exports
from kickcoach.ui.identity import SESSION_COOKIE, Identity, client_address
from kickcoach.ui.route_binding import Bindings, Route, file_refs, route_of

MAX_BODY_BYTES = 2 * 1024 * 1024
"""No request body above this is read (a chat message is capped at 4,000 characters, a contract at 256 kB)."""

# Gradio's page carries its config in an inline script, and its plots (Vega) compile their expressions with
# ``new Function``: scripts need 'unsafe-inline' and 'unsafe-eval'; everything else comes from the app itself.
CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data: blob:; font-src 'self' data:; media-src 'self' data: blob:; connect-src 'self'; "
       "worker-src 'self' blob:; frame-src 'none'; object-src 'none'; base-uri 'self'; form-action 'self'; "
       "frame-ancestors 'none'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
]

Scope = dict[str, Any]
ASGIApp = Callable[[Scope, Any, Any], Awaitable[None]]


class Refused(Exception):
    def __init__(self, status: int, text: str) -> None:
        super().__init__(text)
        self.status, self.text = status, text


def cookies_of(scope: Scope) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    for key, value in scope.get("headers", []):
        if key == b"cookie":
            try:
                jar.load(value.decode("latin-1"))
            except CookieError:
                continue
    return {k: m.value for k, m in jar.items()}


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return None


class RequestGuard:
    def __init__(self, app: ASGIApp, identity: Identity, exports: Exports, bindings: Bindings | None = None) -> None:
        self.app = app
        self.identity = identity
        self.exports = exports
        self.bindings = bindings or Bindings()
        self.trusted = identity.settings.trusted_proxies
        self.allowed_origins = set(identity.settings.allowed_origins)

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] == "websocket":  # the app uses none: server-sent events only
            await send({"type": "websocket.close", "code": 1008})
            return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        peer = (scope.get("client") or (None,))[0]
        forwarded = [v.decode("latin-1") for k, v in scope.get("headers", []) if k == b"x-forwarded-for"]
        reset = client_address.set(real_address(peer, forwarded, self.trusted))
        send = _with_security_headers(send)
        try:
            await self._guarded(scope, receive, send)
        except Refused as refusal:
            await _reply(send, refusal.status, refusal.text)
        finally:
            client_address.reset(reset)

    async def _guarded(self, scope: Scope, receive: Any, send: Any) -> None:
        method, path = scope.get("method", "GET"), scope.get("path", "")
        length = _header(scope, b"content-length")
        if length is not None and length.isdigit() and int(length) > MAX_BODY_BYTES:
            raise Refused(413, "Request too large")
        if method not in ("GET", "HEAD", "OPTIONS") and not self.same_origin(scope):
            raise Refused(403, "Cross-site request refused")
        route = route_of(path, method)
        if route.kind == "closed":
            raise Refused(404, "Not found")
        receive = _capped(receive)
        if route.kind == "public":
            await self.app(scope, receive, send)
            return
        person = await anyio.to_thread.run_sync(self.identity.person_from_cookies, cookies_of(scope))
        if person is None:
            if path == "/" and method in ("GET", "HEAD"):
                await _redirect(send, "login")
                return
            raise Refused(401, "Not logged in")
        scope["kickcoach_person"] = person
        await self._bound(route, person, scope, receive, send)

    async def _bound(self, route: Route, person: Person, scope: Scope, receive: Any, send: Any) -> None:
        me = person.person_id
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        b = self.bindings
        if route.kind == "page" and "deep_link" in query:
            raise Refused(404, "Not found")
        if route.kind == "file" and not self._may_read(unquote(route.key), me):
            raise Refused(404, "Not found")
        if route.kind == "heartbeat" and not b.sessions.claim(unquote(route.key), me):
            raise Refused(404, "Not found")
        if route.kind == "queue_data" and not all(b.sessions.claim(h, me) for h in query.get("session_hash", [""])):
            raise Refused(404, "Not found")
        if route.kind == "call_event" and not b.events.owns(unquote(route.key), me):
            raise Refused(404, "Not found")
        if route.kind == "upload_progress" and not all(b.uploads.owns(u, me) for u in query.get("upload_id", [""])):
            raise Refused(404, "Not found")
        if route.kind == "upload":
            if not all(b.uploads.claim(u, me) for u in query.get("upload_id", [])):
                raise Refused(404, "Not found")
            await self.app(_plain(scope), receive, _capture(send, lambda body: self._bind_uploads(body, me)))
            return
        if route.kind in ("join", "call", "cancel"):
            raw, receive = await _read_body(receive)
            self._check_body(route.kind, raw, me)
            if route.kind == "cancel":
                await self.app(scope, receive, send)
                return
            await self.app(_plain(scope), receive, _capture(send, lambda body: self._bind_event(body, me)))
            return
        await self.app(scope, receive, send)

    # --- the checks -----------------------------------------------------------------------------
    def same_origin(self, scope: Scope) -> bool:
        """A browser's POST from another site is refused; clients that send neither header (curl, the API client)
        are not browsers and carry no one else's cookies."""
        origin = _header(scope, b"origin")
        site = _header(scope, b"sec-fetch-site")
        if origin == "null":  # an opaque origin: only the browser's own word that it is this site will do
            return site == "same-origin"
        if origin is not None:
            if origin.rstrip("/") in self.allowed_origins:
                return True
            host = (_header(scope, b"host") or "").rsplit(":", 1)[0].strip("[]").lower()
            return bool(host) and (urlsplit(origin).hostname or "").lower() == host
        return site not in ("cross-site", "same-site")

    def _may_read(self, name: str, me: str) -> bool:
        """One of ``me``'s exports (by the token in the file's own name) or uploads; never a path that climbs."""
        path = name.split("?", 1)[0].replace("\\", "/")
        if ".." in path.split("/"):
            return False
        path = os.path.normpath(path)
        owner = self.exports.owner(os.path.basename(path))
        if owner is not None:
            return owner == me
        return self.bindings.files.owns(path, me)

    def _check_body(self, kind: str, raw: bytes, me: str) -> None:
        try:
            body = json.loads(raw or b"{}")
        except ValueError as exc:
            raise Refused(400, "The request body is not JSON") from exc
        if not isinstance(body, dict):
            raise Refused(400, "The request body is not a JSON object")
        session = body.get("session_hash")
        if session is not None and not (isinstance(session, str) and (
                self.bindings.sessions.owns(session, me) if kind == "cancel" else self.bindings.sessions.claim(session, me))):
            raise Refused(404, "Not found")
        if kind == "cancel" and not self.bindings.events.owns(str(body.get("event_id")), me):
            raise Refused(404, "Not found")
        for path in file_refs(body.get("data")):
            if not self._may_read(path, me):
                raise Refused(404, "Not found")

    def _bind_event(self, body: bytes, me: str) -> None:
        try:
            event = json.loads(body).get("event_id")
        except (ValueError, AttributeError):
            return
        if isinstance(event, str):
            self.bindings.events.claim(event, me)

    def _bind_uploads(self, body: bytes, me: str) -> None:
        try:
            paths = json.loads(body)
        except ValueError:
            return
        for path in paths if isinstance(paths, list) else []:
            if isinstance(path, str):
                self.bindings.files.claim(os.path.normpath(path), me)


# --- ASGI plumbing ----------------------------------------------------------------------------------
def _with_security_headers(send: Any) -> Any:
    async def sending(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            present = {k.lower() for k, _ in message.get("headers", [])}
            extra = [(k, v) for k, v in SECURITY_HEADERS if k not in present]
            message = {**message, "headers": [*message.get("headers", []), *extra]}
        await send(message)

    return sending


async def _reply(send: Any, status: int, text: str) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"cache-control", b"no-store")]})
    await send({"type": "http.response.body", "body": text.encode()})


async def _redirect(send: Any, location: str) -> None:
    await send({"type": "http.response.start", "status": 303,
                "headers": [(b"location", location.encode()), (b"cache-control", b"no-store")]})
    await send({"type": "http.response.body", "body": b""})


def _plain(scope: Scope) -> Scope:
    """The scope without ``accept-encoding``: an answer whose ids we read must not come compressed."""
    return {**scope, "headers": [(k, v) for k, v in scope.get("headers", []) if k != b"accept-encoding"]}


def _capture(send: Any, seen: Callable[[bytes], None]) -> Any:
    parts: list[bytes] = []
    status = 0

    async def sending(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = int(message.get("status", 0))
        elif message["type"] == "http.response.body" and status == 200:
            parts.append(message.get("body", b""))
            if not message.get("more_body", False):
                seen(b"".join(parts))
        await send(message)

    return sending


async def _read_body(receive: Any) -> tuple[bytes, Any]:
    """The whole body (at most ``MAX_BODY_BYTES``), and a ``receive`` that hands it on unchanged."""
    chunks: list[bytes] = []
    more = True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            raise Refused(400, "The request ended early")
        chunks.append(message.get("body", b""))
        more = bool(message.get("more_body", False))
    body = b"".join(chunks)
    sent = False

    async def replay() -> Any:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return body, replay


def _capped(receive: Any) -> Any:
    seen = 0

    async def capped() -> Any:
        nonlocal seen
        message = await receive()
        if message.get("type") == "http.request":
            seen += len(message.get("body", b""))
            if seen > MAX_BODY_BYTES:
                raise Refused(413, "Request too large")
        return message

    return capped


__all__ = ["CSP", "MAX_BODY_BYTES", "SESSION_COOKIE", "RequestGuard", "cookies_of"]
