"""``/login`` (a page and a form POST) and ``/logout`` (POST only), on the FastAPI app the UI is mounted in.

A right name and password start a database session (``people.sessions``) and set the ``kickcoach-session``
cookie: HttpOnly, SameSite=Lax, Secure behind HTTPS, expiring with the session's 12-hour cap. A browser's form
is sent back to the page; an API client (``gradio_client``'s ``auth=``) gets JSON. A wrong password answers
401; a throttled name or address answers 429 with ``Retry-After`` and says for how long, on the page too.
Cross-site POSTs never get here (``RequestGuard`` refuses them).
"""

from __future__ import annotations

import html
import math
from typing import Any

import anyio
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from kickcoach.people.sessions import MAX_AGE
from kickcoach.ui.identity import SESSION_COOKIE, Identity, client_address

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>kickcoach · log in</title>{base}
<style>
body {{font-family: ui-sans-serif, system-ui, sans-serif; background: #f4f7f7; margin: 0;}}
main {{max-width: 22rem; margin: 12vh auto; background: #fff; padding: 2rem; border-radius: 12px;
      box-shadow: 0 1px 4px rgba(0,0,0,.1);}}
label {{display: block; margin-top: 1rem;}} input {{width: 100%; padding: .5rem; box-sizing: border-box;}}
button {{margin-top: 1.5rem; width: 100%; padding: .6rem; background: #0d9488; color: #fff; border: 0;
        border-radius: 6px;}}
.note {{color: #9a3412; margin-top: 1rem;}}
.sso {{display: block; margin-top: 1rem; padding: .6rem; text-align: center; border: 1px solid #0d9488;
      border-radius: 6px; color: #0d9488; text-decoration: none;}}
</style></head>
<body><main><h1>kickcoach</h1><p>{message}</p>
<form method="post" action="login">
<label>Name <input name="username" autocomplete="username" required value="{name}" id="login-name"></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required id="login-password">
</label>
<button type="submit" id="login-submit">Log in</button></form>{oidc}{note}
</main></body></html>
"""


def _wants_html(request: Request) -> bool:
    return "text/html" in request.headers.get("accept", "")


def _is_https(request: Request, identity: Identity) -> bool:
    if request.url.scheme == "https":
        return True
    peer = request.client.host if request.client else None
    from kickcoach.people.addresses import is_trusted, networks

    trusted = networks(identity.settings.trusted_proxies)
    return bool(peer and trusted and is_trusted(peer, trusted)
                and request.headers.get("x-forwarded-proto", "").lower() == "https")


def page(message: str, name: str = "", note: str = "", status: int = 200, headers: dict[str, str] | None = None,
         oidc_label: str | None = None, base: str = "") -> HTMLResponse:
    """The login page; with ``oidc_label``, a "Log in with <label>" link too (the organisation's login, ``ui.oidc_routes``).
    ``base`` is the page's way back to the app's root when it is served below it (``../`` from ``/oidc/…``)."""
    shown = f'<p class="note" id="login-note" role="alert">{html.escape(note)}</p>' if note else ""
    oidc = (f'<a class="sso" id="login-oidc" href="oidc/login">Log in with {html.escape(oidc_label)}</a>'
            if oidc_label else "")
    text = PAGE.format(message=html.escape(message), name=html.escape(name), note=shown, oidc=oidc,
                       base=f'<base href="{html.escape(base)}">' if base else "")
    return HTMLResponse(text, status_code=status, headers={"cache-control": "no-store", **(headers or {})})


def with_session_cookie(response: Response, request: Request, identity: Identity, token: str) -> Response:
    """``response`` carrying the login session's cookie: HttpOnly, SameSite=Lax, Secure behind HTTPS, 12 hours."""
    response.set_cookie(SESSION_COOKIE, token, max_age=int(MAX_AGE.total_seconds()), path="/", httponly=True,
                        samesite="lax", secure=_is_https(request, identity))
    response.headers["cache-control"] = "no-store"
    return response


def throttled_note(wait_s: float) -> str:
    return f"Too many failed logins for this name or from this address: try again in {math.ceil(wait_s)} s."


def add_login_routes(app: FastAPI, identity: Identity, message: str, oidc_label: str | None = None) -> None:
    """``oidc_label``: the organisation's name for the "Log in with …" link, when its login is configured."""
    @app.get("/login", include_in_schema=False)
    @app.get("/login/", include_in_schema=False)
    def login_page() -> Response:
        if not identity.enabled:
            return RedirectResponse("./", status_code=303)
        return page(message, oidc_label=oidc_label)

    @app.post("/login", include_in_schema=False)
    @app.post("/login/", include_in_schema=False)
    async def login(request: Request) -> Response:
        form = await request.form()
        name, password = str(form.get("username") or "")[:200], str(form.get("password") or "")[:2048]
        if identity.login is None or identity.sessions is None:
            return JSONResponse({"error": "This server has no accounts"}, status_code=404)
        outcome = await anyio.to_thread.run_sync(identity.login.outcome, name, password, client_address.get())
        if outcome.person is None:
            status = 429 if outcome.throttled else 401
            note = throttled_note(outcome.wait_s) if outcome.throttled else "Incorrect name or password."
            headers = {"retry-after": str(math.ceil(outcome.wait_s))} if outcome.throttled else {}
            if _wants_html(request):
                return page(message, name, note, status, headers, oidc_label=oidc_label)
            return JSONResponse({"error": note, "retry_after_s": math.ceil(outcome.wait_s) if outcome.throttled else 0},
                                status_code=status, headers=headers)
        token = await anyio.to_thread.run_sync(identity.sessions.start, outcome.person.person_id)
        response: Response = (RedirectResponse("./", status_code=303) if _wants_html(request)
                              else JSONResponse({"success": True}))
        return with_session_cookie(response, request, identity, token)

    @app.post("/logout", include_in_schema=False)
    @app.post("/logout/", include_in_schema=False)
    async def logout(request: Request) -> Response:
        token = request.cookies.get(SESSION_COOKIE)
        if token and identity.sessions is not None:
            await anyio.to_thread.run_sync(identity.sessions.end, token)
        response: Response = (RedirectResponse("login", status_code=303) if _wants_html(request)
                              else JSONResponse({"success": True}))
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    @app.get("/logout", include_in_schema=False)
    def logout_by_get() -> Any:
        return JSONResponse({"error": "Log out with a POST (the Log out button)"}, status_code=405,
                            headers={"allow": "POST"})


__all__ = ["add_login_routes", "page", "throttled_note", "with_session_cookie"]
