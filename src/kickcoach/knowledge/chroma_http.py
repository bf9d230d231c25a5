"""A Chroma server client with short timeouts (chromadb's own HTTP session waits forever for an answer).

Imported only when a Chroma server is configured (``KICKCOACH_CHROMA_HOST``). A heartbeat with our timeouts
comes first, so a server that is down or accepts and never answers fails within seconds; the client's own
session then gets the same timeouts for every later request.
"""

from __future__ import annotations

from typing import Any

import chromadb
import httpx
from chromadb.config import Settings as ChromaSettings

CHROMA_CONNECT_TIMEOUT_S = 2.0
CHROMA_READ_TIMEOUT_S = 10.0  # an upsert of one batch of 32 chunks answers in well under a second


def timeouts() -> httpx.Timeout:
    return httpx.Timeout(CHROMA_READ_TIMEOUT_S, connect=CHROMA_CONNECT_TIMEOUT_S)


def server_client(host: str, port: int) -> Any:
    """A client of the Chroma server at ``host:port`` (``chromadb.HttpClient``, with our timeouts)."""
    response = httpx.get(f"http://{host}:{port}/api/v2/heartbeat", timeout=timeouts())
    response.raise_for_status()
    client = chromadb.HttpClient(host=host, port=port, settings=ChromaSettings(anonymized_telemetry=False))
    session = getattr(getattr(client, "_server", None), "_session", None)
    if isinstance(session, httpx.Client):
        session.timeout = timeouts()
    return client
