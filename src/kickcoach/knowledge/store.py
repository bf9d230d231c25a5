"""Open the Chroma index: embedded ``PersistentClient`` by default, a Chroma server if configured.

The server client gets short timeouts (chromadb's own HTTP client waits forever): a server that is down
refuses at once, and one that accepts but never answers fails after
:data:`kickcoach.knowledge.chroma_http.CHROMA_READ_TIMEOUT_S`, so the coach
can answer in degraded mode (:mod:`kickcoach.knowledge.degraded`) within seconds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kickcoach.core.errors import BackendUnavailable

if TYPE_CHECKING:
    from langchain_chroma import Chroma
    from langchain_core.embeddings import Embeddings

    from kickcoach.core.config import Settings

def open_store(settings: Settings, embeddings: Embeddings) -> Chroma:
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from langchain_chroma import Chroma

    try:
        if settings.chroma_host:
            from kickcoach.knowledge.chroma_http import server_client

            client = server_client(settings.chroma_host, settings.chroma_port)
        else:
            settings.ensure_home()
            client = chromadb.PersistentClient(path=str(settings.chroma_dir),
                                               settings=ChromaSettings(anonymized_telemetry=False))
    except Exception as exc:  # chromadb raises bare Exceptions for connection problems
        raise BackendUnavailable(
            f"Cannot open the Chroma index ({exc})",
            "check KICKCOACH_CHROMA_HOST/PORT, or unset KICKCOACH_CHROMA_HOST to use the embedded index",
        ) from exc
    # One collection per embedding kind: vectors of different models must never be mixed.
    name = f"kickcoach-{getattr(embeddings, 'name', 'custom')}"
    try:
        return Chroma(
            collection_name=name,
            embedding_function=embeddings,
            client=client,
            collection_configuration={"hnsw": {"space": "cosine"}},
        )
    except Exception as exc:  # the server went away between the handshake and the collection
        raise BackendUnavailable(f"Cannot open the Chroma collection {name} ({exc})",
                                 "check that the Chroma server is running") from exc
