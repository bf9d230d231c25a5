"""ASGI middleware in front of the Gradio app: the client address for login throttling, a cap on request
bodies, and export downloads only for their owner."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import unquote

from kickcoach.ui.exports import Exports
from kickcoach.ui.identity import Identity, client_address

MAX_BODY_BYTES = 2 * 1024 * 1024
"""No request body above this is read (a chat message is capped at 4,000 characters, a contract at 256 kB)."""

Scope = dict[str, Any]
ASGIApp = Callable[[Scope, Any, Any], Awaitable[None]]


async def _reply(send: Any, status: int, text: str) -> None:
    await send({"type": "http.response.start", "status": status, "headers": [(b"content-type", b"text/plain; charset=utf-8")]})
    await send({"type": "http.response.body", "body": text.encode()})


def _cookies(scope: Scope) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    for key, value in scope.get("headers", []):
        if key == b"cookie":
            jar.load(value.decode("latin-1"))
    return {k: m.value for k, m in jar.items()}


class RequestGuard:
    def __init__(self, app: ASGIApp, identity: Identity, exports: Exports) -> None:
        self.app = app
        self.identity = identity
        self.exports = exports

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        reset = client_address.set(client[0] if client else None)
        try:
            if scope["type"] == "http":
                length = dict(scope.get("headers", [])).get(b"content-length")
                if length is not None and length.isdigit() and int(length) > MAX_BODY_BYTES:
                    await _reply(send, 413, "Request too large")
                    return
                if not self._may_download(scope):
                    await _reply(send, 404, "Not found")
                    return
                receive = self._capped(receive, send)
            await self.app(scope, receive, send)
        finally:
            client_address.reset(reset)

    def _may_download(self, scope: Scope) -> bool:
        owner = self.exports.owner(unquote(scope.get("path", "")) + "?" + unquote(scope.get("query_string", b"").decode("latin-1")))
        if owner is None or not self.identity.enabled:
            return True  # not one of our exports, or the local owner's own server on loopback
        tokens = getattr(scope.get("app"), "tokens", {}) or {}
        cookies = _cookies(scope)
        names = {tokens.get(v) for k, v in cookies.items() if k.startswith("access-token")} - {None}
        accounts = self.identity.accounts
        return bool(owner) and accounts is not None and any(
            (p := accounts.get(str(n))) is not None and p.person_id == owner for n in names
        )

    @staticmethod
    def _capped(receive: Any, send: Any) -> Any:
        seen = 0

        async def capped() -> Any:
            nonlocal seen
            message = await receive()
            if message.get("type") == "http.request":
                seen += len(message.get("body", b""))
                if seen > MAX_BODY_BYTES:
                    raise ValueError("request body over the limit")
            return message

        return capped
