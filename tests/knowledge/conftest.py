"""Knowledge tests run against both index backends: the embedded store and a real Chroma server
(``chroma run`` on a free loopback port, started once per session, each test on empty collections)."""

from __future__ import annotations

import pytest

from kickcoach.core.config import Settings
from kickcoach.knowledge.embeddings import HashingEmbeddings
from kickcoach.services import Services
from tests.support.chroma_server import ChromaBinaryMissing, ChromaServer, start_chroma


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory) -> ChromaServer:
    try:
        server = start_chroma(tmp_path_factory.mktemp("chroma-server"))
    except ChromaBinaryMissing as exc:
        pytest.skip(f"no Chroma server binary: {exc}")
    yield server
    server.stop()


def empty_server(server: ChromaServer) -> None:
    """Drop every collection, so a test starts from an empty index."""
    from kickcoach.knowledge.chroma_http import server_client

    client = server_client(server.host, server.port)
    for collection in client.list_collections():
        client.delete_collection(collection.name)


@pytest.fixture(params=["embedded", "server"])
def index_backend(request) -> str:
    return str(request.param)


@pytest.fixture
def settings(tmp_path, index_backend, request) -> Settings:
    base = Settings(backend="fake", embeddings="hashing", home=tmp_path / "home", _env_file=None)
    if index_backend == "server":
        server = request.getfixturevalue("chroma_server")
        empty_server(server)
        return base.model_copy(update={"chroma_host": server.host, "chroma_port": server.port})
    return base


@pytest.fixture
def services(settings: Settings, fake_model) -> Services:
    return Services(settings, model=fake_model, embeddings=HashingEmbeddings())
