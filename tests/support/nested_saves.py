"""Saving a 200 kB nested-``[`` contract over HTTP while another person chats (Gradio's call route, as the
Contract tab's "Validate and save" and the chat's Send use it): for ``tests/test_parser_load.py`` and
``benchmarks/parser_load.py``."""

from __future__ import annotations

import time

import httpx

NESTED = "title: x\ngoals: " + "[" * 200_000
PEOPLE = [("priya", "p1", "a"), ("tom", "p1", "b"), ("ana", "p2", "a"), ("ben", "p2", "b")]


def client_of(ui, name: str) -> httpx.Client:
    """A logged-in HTTP client for one of ``PEOPLE`` (password ``<name>-password-1``)."""
    client = httpx.Client(base_url=ui.url, timeout=60.0)
    assert client.post("login", data={"username": name, "password": f"{name}-password-1"}).status_code == 200
    return client


def save_over_http(client: httpx.Client, text: str) -> str:
    """One "Validate and save" (``/save_yaml`` in Gradio's API), read to its result."""
    event = client.post("gradio_api/call/save_yaml", json={"data": [text]})
    assert event.status_code == 200, event.text
    return client.get(f"gradio_api/call/save_yaml/{event.json()['event_id']}").text


def chat_times(client: httpx.Client, turns: int) -> list[float]:
    """Send ``turns`` chat turns one after another; each turn's wall time, submit to complete."""
    times = []
    for index in range(turns):
        began = time.perf_counter()
        event = client.post("gradio_api/call/chat_send", json={"data": [f"How often should we meet? {index}", None]})
        answer = client.get(f"gradio_api/call/chat_send/{event.json()['event_id']}")
        assert "event: complete" in answer.text
        times.append(time.perf_counter() - began)
    return times
