"""A tiny OpenAI-compatible server on loopback, in a thread, for fault and structured-output tests.

``FakeOpenAIServer(refuse={"json_schema"})`` answers ``/v1/models`` and ``/v1/chat/completions`` (plain or
streamed) with ``reply``, rejecting the ``response_format`` forms named in ``refuse`` as real servers do
(llama-cpp-python's answers ``json_schema`` with a 500 that names the field). ``silent=True`` accepts and
reads every request and never answers (``silent_completions``: only chat requests); ``stall_after=N``
streams N chunks, then stops sending (``ping_while_stalled``: sends only keep-alive comments). Every chat
request is recorded in ``requests`` with the form it asked for (see :func:`form_of`).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def form_of(body: dict[str, Any]) -> str:
    """The structured-output rung a request used: json_schema, json_object+schema, json_object or prompt."""
    fmt = body.get("response_format") or {}
    kind = fmt.get("type")
    if kind == "json_schema":
        return "json_schema"
    if kind == "json_object":
        return "json_object+schema" if "schema" in fmt else "json_object"
    return "prompt"


class FakeOpenAIServer:
    def __init__(
        self,
        *,
        reply: str = "Hello there, friend.",
        models: tuple[str, ...] = ("m",),
        refuse: frozenset[str] | set[str] = frozenset(),
        refusal_status: int = 500,
        silent: bool = False,
        silent_completions: bool = False,
        stall_after: int | None = None,
        ping_while_stalled: bool = False,
        list_models: bool = True,
    ) -> None:
        self.reply, self.models, self.refuse, self.refusal_status = reply, models, set(refuse), refusal_status
        self.silent, self.stall_after, self.list_models = silent, stall_after, list_models
        self.silent_completions = silent or silent_completions
        self.ping_while_stalled = ping_while_stalled
        self.hits = 0  # every request received, answered or not
        self.requests: list[dict[str, Any]] = []
        self.model_listings = 0
        self.released = threading.Event()  # set on stop: silent and stalled handlers return
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    @property
    def forms(self) -> list[str]:
        return [r["form"] for r in self.requests]

    def start(self) -> FakeOpenAIServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.released.set()
        self._httpd.shutdown()
        self._httpd.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                server.hits += 1
                if server.silent:
                    server.released.wait()
                    return
                server.model_listings += 1
                if not server.list_models:
                    self._json(404, {"error": {"message": "not found"}})
                    return
                self._json(200, {"object": "list", "data": [{"id": m, "object": "model"} for m in server.models]})

            def do_POST(self) -> None:  # noqa: N802
                server.hits += 1
                body = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))) or b"{}")
                form = form_of(body)
                server.requests.append({"form": form, "body": body})
                if server.silent_completions:
                    server.released.wait()
                    return
                if form in server.refuse:
                    message = f"1 validation error: response_format: type {form!r} is not supported"
                    self._json(server.refusal_status, {"error": {"message": message, "type": "invalid_request_error"}})
                    return
                if body.get("stream"):
                    self._stream(body)
                else:
                    self._json(200, completion(server.reply, body.get("model", "m")))

            def _stream(self, body: dict[str, Any]) -> None:
                self.send_response(200)
                self.send_header("content-type", "text/event-stream")
                self.end_headers()
                words = server.reply.split(" ")
                for index, word in enumerate(words):
                    if server.stall_after is not None and index >= server.stall_after:
                        while not server.released.wait(0.1 if server.ping_while_stalled else None):
                            self.wfile.write(b": ping\n\n")  # an SSE comment, as sse-starlette's keep-alive
                            self.wfile.flush()
                        return
                    text = word if index == len(words) - 1 else word + " "
                    self._event(chunk(text, body.get("model", "m")))
                self._event(chunk("", body.get("model", "m"), finish="stop"))
                self.wfile.write(b"data: [DONE]\n\n")
                self.wfile.flush()
                self.close_connection = True

            def _event(self, data: dict[str, Any]) -> None:
                self.wfile.write(f"data: {json.dumps(data)}\n\n".encode())
                self.wfile.flush()

            def _json(self, status: int, data: dict[str, Any]) -> None:
                raw = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

        return Handler


def completion(text: str, model: str) -> dict[str, Any]:
    return {
        "id": "c1", "object": "chat.completion", "created": 0, "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


def chunk(text: str, model: str, finish: str | None = None) -> dict[str, Any]:
    delta = {"content": text} if text else {}
    return {
        "id": "c1", "object": "chat.completion.chunk", "created": 0, "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }


@contextmanager
def fake_openai(**options: Any) -> Iterator[FakeOpenAIServer]:
    server = FakeOpenAIServer(**options).start()
    try:
        yield server
    finally:
        server.stop()
