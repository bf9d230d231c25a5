"""The database schema's migrations (Alembic, shipped in ``storage/migrations``; no alembic.ini).

``upgrade(engine)`` brings any database to the newest revision: an empty one, one at an older revision, or
one made before migrations existed (``create_all`` plus the old ``add_missing_columns``), which the first
revision adopts in place. It runs on every start (``Storage``) and costs one query when already at head.
``kickcoach db upgrade`` / ``kickcoach db current`` run it by hand.

Adding a revision: change the models, then ``kickcoach db revision -m "what changed"`` writes one from the
difference (review it: autogenerate misses renames and data moves); ``tests/storage/test_migrations.py``
fails while models and migrations disagree.
"""

from __future__ import annotations

import importlib
import logging
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import MetaData, inspect, text
from sqlalchemy.engine import Connection, Engine

from kickcoach.core.errors import ConfigError

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

MIGRATIONS_DIR = Path(__file__).with_name("migrations")

HEAD = "0006"
"""The newest revision in ``migrations/versions``, so a start at head needs no Alembic import; a new revision
updates it (``test_migrations`` checks it against the files)."""

MODEL_MODULES = ("kickcoach.storage.models", "kickcoach.programme.tables")
"""Every module that defines tables on ``models.Base``: together they are the schema the migrations build."""

_LOCK_KEY = zlib.crc32(b"kickcoach schema migrations")
"""PostgreSQL advisory lock held while migrating, so two processes starting at once migrate once."""

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class UpgradeResult:
    before: str | None  # revision before (None: no alembic_version: empty or made before migrations)
    after: str

    @property
    def changed(self) -> bool:
        return self.before != self.after


def target_metadata() -> MetaData:
    """``Base.metadata`` with every model module imported (what autogenerate compares against)."""
    for name in MODEL_MODULES:
        importlib.import_module(name)
    from kickcoach.storage.models import Base

    return Base.metadata


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("version_locations", str(MIGRATIONS_DIR / "versions"))
    config.set_main_option("path_separator", "os")
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def _scripts() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


def script_heads() -> list[str]:
    """The head revisions of the migration files (one, unless two branches need merging)."""
    return list(_scripts().get_heads())


def current(connection: Connection) -> str | None:
    """The database's revision; None when it has no ``alembic_version`` table (or row)."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    rows = list(connection.execute(text("SELECT version_num FROM alembic_version")).scalars())
    if len(rows) > 1:
        raise RuntimeError(f"the database has {len(rows)} revisions ({rows}); kickcoach keeps one line of migrations")
    return rows[0] if rows else None


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return current(conn)


@contextmanager
def _migration_lock(conn: Connection) -> Iterator[None]:
    """One migrating process at a time: PostgreSQL's advisory lock, or a lock file beside a SQLite file."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _LOCK_KEY})
        conn.commit()
        try:
            yield
        finally:
            conn.rollback()
            conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _LOCK_KEY})
            conn.commit()
        return
    database = conn.engine.url.database if conn.dialect.name == "sqlite" else None
    if not database or database == ":memory:" or database.startswith("file:"):
        yield
        return
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock (start one process first there)
        yield
        return
    with open(f"{database}.migrate-lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        yield


@contextmanager
def _sqlite_foreign_keys_off(conn: Connection) -> Iterator[None]:
    """SQLite batch migrations copy and drop tables, which enforced foreign keys would refuse or cascade."""
    if conn.dialect.name != "sqlite":
        yield
        return
    conn.exec_driver_sql("PRAGMA foreign_keys=OFF")  # outside a transaction, where SQLite honours it
    try:
        yield
    finally:
        conn.rollback()
        conn.exec_driver_sql("PRAGMA foreign_keys=ON")
        conn.commit()


def upgrade(engine: Engine, revision: str = "head") -> UpgradeResult:
    """Migrate the database to ``revision`` (default: the newest); a no-op costing one query at head."""
    target = HEAD if revision == "head" else revision
    with engine.connect() as conn:
        before = current(conn)
        conn.rollback()
        if before == target:
            return UpgradeResult(before, target)
        with _migration_lock(conn):
            before = current(conn)  # another process may have migrated while we waited for the lock
            conn.rollback()
            if before != target:
                from alembic import command

                if before is not None and before not in {script.revision for script in _scripts().walk_revisions()}:
                    raise ConfigError(
                        f"The database is at revision {before!r}, which this kickcoach does not know (its newest is {HEAD})",
                        "it was migrated by a newer kickcoach: upgrade kickcoach, or point KICKCOACH_DATABASE_URL elsewhere",
                    )

                log.info("migrating the database from %s to %s", before or "(none)", target)
                with _sqlite_foreign_keys_off(conn):
                    command.upgrade(alembic_config(conn), revision)
                    conn.commit()
    return UpgradeResult(before, target)


def schema_differences(engine: Engine) -> list[object]:
    """What autogenerate would change to make the database match the models (empty: they agree)."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return list(compare_metadata(context, target_metadata()))


def write_revision(engine: Engine, message: str) -> str:
    """Autogenerate a new revision file from the models' difference to ``engine`` (which must be at head)."""
    from alembic import command

    with engine.connect() as conn:
        if current(conn) != HEAD:
            raise RuntimeError("upgrade the database to head before writing a revision against it")
        rev_id = f"{int(HEAD) + 1:04d}" if HEAD.isdigit() else None  # 0002, 0003 …: the order reads from the names
        script = command.revision(alembic_config(conn), message=message, autogenerate=True, rev_id=rev_id)
        conn.commit()
    if script is None or isinstance(script, list):
        raise RuntimeError("alembic wrote no single revision")
    return str(script.path)
