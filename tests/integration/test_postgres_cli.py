"""Acceptance: `kickcoach db upgrade`, then `kickcoach chat -m`, as real processes against a fresh PostgreSQL
database (the throwaway cluster), store the conversation there and nothing in a SQLite file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

import kickcoach
from kickcoach.storage.migrate import HEAD

pytestmark = pytest.mark.integration


def _kickcoach(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    code = "from kickcoach.cli.main import main; main()"
    return subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, timeout=300)


def test_db_upgrade_then_a_chat_stores_the_turns_in_postgresql(postgres_server, tmp_path):
    url = postgres_server.new_database("cli_acceptance")
    home = tmp_path / "home"
    src = str(Path(kickcoach.__file__).resolve().parent.parent)
    env = {k: v for k, v in os.environ.items() if not k.startswith("KICKCOACH_")} | {
        "KICKCOACH_HOME": str(home), "KICKCOACH_DATABASE_URL": url, "KICKCOACH_BACKEND": "fake",
        "KICKCOACH_EMBEDDINGS": "hashing", "PYTHONPATH": os.pathsep.join([src, os.environ.get("PYTHONPATH", "")]),
    }
    upgraded = _kickcoach("db", "upgrade", env=env)
    assert upgraded.returncode == 0, upgraded.stderr
    assert f"upgraded from no revision to {HEAD}" in upgraded.stdout and "cli_acceptance" in upgraded.stdout
    assert f"revision {HEAD} (the newest)" in _kickcoach("db", "current", env=env).stdout

    chat = _kickcoach("chat", "-m", "I keep missing my writing deadline and feel stuck.", "--json", env=env)
    assert chat.returncode == 0, chat.stderr
    answer = json.loads(chat.stdout)
    assert answer["reply"] and answer["error"] is None

    engine = sa.create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT role, content FROM turns WHERE conversation_id = :c ORDER BY id"),
                            {"c": answer["conversation_id"]}).all()
        owner = conn.execute(sa.text("SELECT owner_id FROM conversations WHERE id = :c"), {"c": answer["conversation_id"]})
        assert owner.scalar() == "local:demo:a"
    engine.dispose()
    assert [r.role for r in rows] == ["user", "assistant"]
    assert rows[0].content.startswith("I keep missing") and rows[1].content == answer["reply"]
    assert not (home / "kickcoach.db").exists()  # nothing went to the default SQLite file
    postgres_server.drop_database("cli_acceptance")
