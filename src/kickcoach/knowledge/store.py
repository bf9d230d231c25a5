"""Open the Chroma index: embedded ``PersistentClient`` by default, a Chroma server if configured."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kickcoach.errors import BackendUnavailable

if TYPE_CHECKING:
    from langchain_chroma import Chroma
    from langchain_core.embeddings import Embeddings

    from kickcoach.config import Settings


def open_store(settings: Settings, embeddings: Embeddings) -> Chroma:
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from langchain_chroma import Chroma

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    try:
        if settings.chroma_host:
            client = chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings)
        else:
            settings.ensure_home()
            client = chromadb.PersistentClient(path=str(settings.chroma_dir), settings=chroma_settings)
    except Exception as exc:  # chromadb raises bare Exceptions for connection problems
        raise BackendUnavailable(
            f"Cannot open the Chroma index ({exc})",
            "check KICKCOACH_CHROMA_HOST/PORT, or unset KICKCOACH_CHROMA_HOST to use the embedded index",
        ) from exc
    # One collection per embedding kind: vectors of different models must never be mixed.
    name = f"kickcoach-{getattr(embeddings, 'name', 'custom')}"
    return Chroma(
        collection_name=name,
        embedding_function=embeddings,
        client=client,
        collection_configuration={"hnsw": {"space": "cosine"}},
    )
