"""The real web app (``kickcoach.ui.app.web_app``: login routes, ``RequestGuard``, Gradio mounted) served by
uvicorn in a thread on a free loopback port, for HTTP and browser tests in this process.

    with serve(services) as ui:          # waits until it answers
        httpx.post(ui.url + "login", data={"username": "tom", "password": "…"})
        ui.identity.login.stats          # the server's own objects, for assertions

For a separate ``kickcoach ui`` process (several processes, a proxy in front) see ``tests.support.ui_server``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx

from tests.support.ports import free_port

HOST = "127.0.0.1"


@dataclass
class Served:
    url: str
    app: Any  # the FastAPI app
    identity: Any  # kickcoach.ui.identity.Identity

    def client(self, name: str | None = None, password: str | None = None, **kwargs: Any) -> httpx.Client:
        """An HTTP client; logged in as ``name`` when given (password: ``<name>-password-1`` by default)."""
        client = httpx.Client(base_url=self.url, timeout=30.0, **kwargs)
        if name is not None:
            answer = client.post("login", data={"username": name, "password": password or f"{name}-password-1"})
            assert answer.status_code == 200, answer.text
        return client


@contextmanager
def serve(services: Any, blocks: Any = None, prepare: bool = True) -> Iterator[Served]:
    import uvicorn

    from kickcoach.ui.app import web_app

    if prepare:
        from kickcoach.bootstrap import prepare as prepare_services

        prepare_services(services)
    app = web_app(services, blocks)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host=HOST, port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, name=f"ui-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"the UI did not start on port {port}")
        time.sleep(0.05)
    try:
        yield Served(f"http://{HOST}:{port}/", app, app.state.kickcoach_identity)
    finally:
        server.should_exit = True
        thread.join(15)
