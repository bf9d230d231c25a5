"""The throwaway PostgreSQL launcher the tests use (tests/support/postgres.py)."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from tests.support import postgres


def test_without_server_binaries_the_reason_says_what_to_install(monkeypatch):
    monkeypatch.setattr(postgres, "find_bin_dir", lambda: None)
    reason = postgres.missing_reason()
    assert reason and "initdb" in reason and "postgresql" in reason
    with pytest.raises(postgres.PostgresUnavailable):
        postgres.start_postgres(Path("/nonexistent-never-created"))


def test_the_session_cluster_listens_on_loopback_only_and_hands_out_databases(postgres_server):
    assert postgres_server.url.startswith(f"postgresql+psycopg://{postgres.SUPERUSER}@127.0.0.1:{postgres_server.port}/")
    settings = dict(postgres_server.execute("SELECT name, setting FROM pg_settings WHERE name IN ('listen_addresses', 'fsync')"))
    assert settings == {"listen_addresses": "127.0.0.1", "fsync": "off"}
    url = postgres_server.new_database("support_check")
    assert url.endswith(f":{postgres_server.port}/support_check")
    assert postgres_server.execute("SELECT 1", database="support_check") == [(1,)]
    postgres_server.drop_database("support_check")
    assert postgres_server.execute("SELECT count(*) FROM pg_database WHERE datname = 'support_check'") == [(0,)]
    with pytest.raises(ValueError):
        postgres_server.new_database('x"; DROP DATABASE postgres; --')


def test_a_cluster_stops_and_leaves_nothing_behind(postgres_server, tmp_path):  # postgres_server: skips without binaries
    server = postgres.start_postgres(tmp_path / "second")
    assert server.execute("SELECT 1") == [(1,)]
    server.stop()
    server.stop()  # twice is fine (the atexit hook calls it again)
    assert not server.root.exists()
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", server.port)) != 0
