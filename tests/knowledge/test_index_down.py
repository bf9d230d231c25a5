"""A Chroma server that is down (or never answers): the coach still answers from the contract, says that
retrieval is degraded, and shows no traceback; `kickcoach ingest` fails with a clear message instead."""

from __future__ import annotations

import json
import socket
import time

import pytest
from typer.testing import CliRunner

from kickcoach.bootstrap import prepare
from kickcoach.cli.main import app
from kickcoach.contracts.service import demo_contract, load_contract, save_contract
from kickcoach.core.config import Settings
from kickcoach.core.errors import BackendUnavailable
from kickcoach.flows.chat import CoachChat
from kickcoach.knowledge import chroma_http
from kickcoach.knowledge.degraded import DEGRADED_NOTE, contract_sources
from kickcoach.knowledge.embeddings import HashingEmbeddings
from kickcoach.knowledge.ingest import sync_guidance
from kickcoach.services import Services
from tests.support.chroma_server import free_port, start_chroma


def _services(tmp_path, fake_model, port: int, host: str = "127.0.0.1") -> Services:
    settings = Settings(backend="fake", embeddings="hashing", home=tmp_path / "home", chroma_host=host,
                        chroma_port=port, _env_file=None)
    return Services(settings, model=fake_model, embeddings=HashingEmbeddings())


def test_a_dead_port_degrades_to_the_contract_with_a_note(tmp_path, fake_model):
    services = _services(tmp_path, fake_model, free_port())  # nothing listens there
    prepare(services)  # the app starts: the demo pair is seeded in the database
    assert load_contract(services, "demo") is not None
    result = CoachChat(services).ask("demo", None, "What are Tom's goals in our contract?")
    assert result.error is None and result.retrieval_note == DEGRADED_NOTE
    assert result.reply.endswith(DEGRADED_NOTE)
    assert result.sources and all(s.kind == "contract" for s in result.sources)
    assert "Tom" in result.reply


def test_a_server_that_never_answers_fails_within_the_client_timeout(tmp_path, fake_model, monkeypatch):
    monkeypatch.setattr(chroma_http, "CHROMA_READ_TIMEOUT_S", 0.5)
    with socket.socket() as silent:  # accepts connections (the kernel's backlog), never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        services = _services(tmp_path, fake_model, silent.getsockname()[1])
        save_contract(services, demo_contract())  # saved, not indexed: no exception
        started = time.monotonic()
        result = CoachChat(services).ask("demo", None, "When do we meet?")
        assert time.monotonic() - started < 10  # seconds, not forever (chromadb's own client never times out)
    assert result.retrieval_note == DEGRADED_NOTE and result.reply


def test_a_server_stopped_mid_session_degrades_and_the_saved_contract_catches_up(tmp_path, fake_model):
    server = start_chroma(tmp_path / "own-server")  # not the shared one: this test stops it
    try:
        services = _services(tmp_path, fake_model, server.port)
        prepare(services)
        coach = CoachChat(services)
        assert coach.ask("demo", None, "How often should peer mentors meet?").retrieval_note is None
        server.stop()
        down = coach.ask("demo", None, "What are Tom's goals?")
        assert down.retrieval_note == DEGRADED_NOTE and any(s.kind == "contract" for s in down.sources)
    finally:
        server.stop()


def test_a_contract_saved_while_the_index_was_down_is_indexed_on_the_next_good_query(services):
    class Down:
        def __getattr__(self, name):
            raise ConnectionError("index down")

    real_store = services.store
    sync_guidance(real_store)
    services.__dict__["store"] = Down()
    save_contract(services, demo_contract())  # saved; indexing skipped
    assert services.retriever.unindexed == {"demo"}
    services.__dict__["store"] = real_store
    services._guidance_synced = True
    sources, note = services.retriever.search("demo", "What are Tom's goals?", load_contract(services, "demo"), 3)
    assert note is None and any(s.kind == "contract" for s in sources) and not services.retriever.unindexed


def test_contract_sources_rank_clauses_by_shared_words():
    contract = demo_contract()
    sources = contract_sources(contract, "When and how often do we meet?", 2)
    assert sources and sources[0].heading == "Contract › Meetings"
    assert contract_sources(contract, "zebra okapi", 3) == []
    assert contract_sources(None, "meet", 3) == []
    assert len(contract_sources(contract, "Tom Priya goal target indicators", 3)) == 3


def test_isolation_errors_are_not_taken_for_an_outage(services):
    from kickcoach.core.errors import IsolationError

    with pytest.raises(IsolationError):
        services.retriever.search("", "anything", None, 3)


def test_cli_chat_answers_with_the_note_and_ingest_fails_clearly(cli_home, monkeypatch):
    monkeypatch.setenv("KICKCOACH_CHROMA_HOST", "127.0.0.1")
    monkeypatch.setenv("KICKCOACH_CHROMA_PORT", str(free_port()))
    result = CliRunner().invoke(app, ["chat", "-m", "What are Tom's goals?", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout.strip().splitlines()[-1])
    assert data["retrieval_note"] == DEGRADED_NOTE and DEGRADED_NOTE in data["reply"]
    ingest = CliRunner().invoke(app, ["ingest"])  # main() prints a KickcoachError as "Error: …" and exits 2
    assert isinstance(ingest.exception, BackendUnavailable) and "KICKCOACH_CHROMA_HOST" in str(ingest.exception)
