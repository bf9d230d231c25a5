"""`kickcoach db current|upgrade`, in process, on SQLite and on PostgreSQL (the test's own database)."""

from __future__ import annotations

import sqlalchemy as sa
from typer.testing import CliRunner

from kickcoach.cli.main import app
from kickcoach.storage.migrate import HEAD


def _db(*args: str) -> str:
    result = CliRunner().invoke(app, ["db", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_current_and_upgrade_say_what_they_did(cli_home, database_kind):
    if database_kind == "sqlite":
        assert "no database yet" in _db("current")
        assert f"upgraded from no revision to {HEAD}" in _db("upgrade")
    assert f"already at revision {HEAD}" in _db("upgrade")
    assert f"revision {HEAD} (the newest)" in _db("current")


def test_current_names_an_old_database_and_hides_the_password(monkeypatch, tmp_path):
    from kickcoach.core.config import get_settings

    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)"))
        conn.execute(sa.text("INSERT INTO alembic_version VALUES ('0000')"))
    engine.dispose()
    monkeypatch.setenv("KICKCOACH_DATABASE_URL", url)
    get_settings.cache_clear()
    assert f"revision 0000 (the newest is {HEAD}: run `kickcoach db upgrade`)" in _db("current")
    for command in ("current", "upgrade"):
        monkeypatch.setenv("KICKCOACH_DATABASE_URL", "postgresql+psycopg://coach:s3cret@127.0.0.1:1/nowhere")
        get_settings.cache_clear()
        result = CliRunner().invoke(app, ["db", command])
        shown = str(result.exception) + result.output
        opened = "Cannot open the database" in shown or "Cannot reach the database server" in shown  # storage.faults
        assert result.exit_code != 0 and opened and "s3cret" not in shown
    get_settings.cache_clear()
