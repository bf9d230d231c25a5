"""Which login owns each Gradio session, event and upload, and which Gradio routes the app serves at all.

Gradio addresses a browser's queue by a ``session_hash`` and each run by an ``event_id``; both travel in URLs
(so they land in proxy logs) and Gradio itself hands their results to whoever names them. ``Bindings``
remembers the person who first used a session hash, who started an event and who uploaded a file, and
``RequestGuard`` (``ui.request_guard``) refuses every other login. Tables are per process (Gradio's queue is
too) and bounded: the oldest entries are forgotten first.

``route_of`` sorts a request path into the few kinds of route the app uses; anything else (monitoring, MCP,
deep links, run history, vibe editing, profiling, the API docs, Gradio's own token routes …) is ``closed``,
so a route added by a Gradio upgrade stays shut until someone decides it is needed.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

MAX_ENTRIES = 100_000

PUBLIC_PREFIXES = ("/assets/", "/static/", "/svelte/")
PUBLIC_PATHS = {"/login", "/login/", "/logout", "/logout/", "/favicon.ico", "/theme.css", "/robots.txt",
                "/gradio_api/theme.css", "/oidc/login", "/oidc/callback"}  # the last two: ui.oidc_routes
PAGE_PATHS = {"/", "/config", "/config/", "/gradio_api/info", "/gradio_api/info/", "/gradio_api/startup-events"}

_CALL = re.compile(r"^/gradio_api/call/(?:v2/)?[A-Za-z0-9_\-]+/?$")
_CALL_EVENT = re.compile(r"^/gradio_api/call/(?:v2/)?[A-Za-z0-9_\-]+/(?P<event>[^/]+)/?$")
_HEARTBEAT = re.compile(r"^/gradio_api/heartbeat/(?P<session>[^/]+)/?$")


@dataclass(frozen=True)
class Route:
    kind: str  # public, page, join, call, call_event, queue_data, heartbeat, cancel, upload, upload_progress, file, closed
    key: str = ""  # the event id or session hash in the path, where there is one


def route_of(path: str, method: str) -> Route:
    """The kind of route ``path`` is (see the module doc)."""
    if path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES):
        return Route("public")
    if path in PAGE_PATHS:
        return Route("page")
    if path.startswith("/gradio_api/file="):
        return Route("file", path[len("/gradio_api/file="):])
    if method == "POST":
        if path == "/gradio_api/queue/join":
            return Route("join")
        if _CALL.match(path):
            return Route("call")
        if path in ("/gradio_api/cancel", "/gradio_api/cancel/"):
            return Route("cancel")
        if path in ("/gradio_api/upload", "/gradio_api/upload/"):
            return Route("upload")
        return Route("closed")
    if path == "/gradio_api/queue/data":
        return Route("queue_data")
    if path == "/gradio_api/upload_progress":
        return Route("upload_progress")
    if match := _HEARTBEAT.match(path):
        return Route("heartbeat", match["session"])
    if match := _CALL_EVENT.match(path):
        return Route("call_event", match["event"])
    return Route("closed")


class _Table:
    def __init__(self) -> None:
        self.owners: OrderedDict[str, str] = OrderedDict()

    def claim(self, key: str, person_id: str) -> bool:
        """Bind ``key`` to ``person_id`` on first sight; True when it is (now) theirs."""
        owner = self.owners.get(key)
        if owner is None:
            self.owners[key] = person_id
            if len(self.owners) > MAX_ENTRIES:
                self.owners.popitem(last=False)
            return True
        return owner == person_id

    def owns(self, key: str, person_id: str) -> bool:
        """True only when ``key`` was bound, to ``person_id``."""
        return self.owners.get(key) == person_id


class Bindings:
    def __init__(self) -> None:
        self.sessions = _Table()
        self.events = _Table()
        self.uploads = _Table()  # upload ids
        self.files = _Table()  # uploaded files' server paths


def file_refs(data: Any, depth: int = 0) -> list[str]:
    """Every server file path a request body refers to (Gradio's ``{"path": …}`` file objects)."""
    if depth > 64:
        return ["(too deep)"]
    found: list[str] = []
    if isinstance(data, dict):
        path = data.get("path")
        if isinstance(path, str):
            found.append(path)
        url = data.get("url")
        if isinstance(url, str) and "file=" in url:
            found.append(url.split("file=", 1)[1])
        for value in data.values():
            if isinstance(value, dict | list):
                found += file_refs(value, depth + 1)
    elif isinstance(data, list):
        for value in data:
            if isinstance(value, dict | list):
                found += file_refs(value, depth + 1)
    return found
