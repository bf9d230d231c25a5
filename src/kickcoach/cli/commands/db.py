"""``kickcoach db upgrade|current|revision``: the database schema's migrations (SQLite or PostgreSQL).

Every start already upgrades (``Storage``); ``db upgrade`` does it on its own, e.g. before starting several
UI processes against one PostgreSQL database, and says what it did.
"""

from __future__ import annotations

from typing import Annotated

import typer

db_app = typer.Typer(help="The database: schema migrations (Alembic) for SQLite or PostgreSQL.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")


def _shown(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


@db_app.command("upgrade")
def upgrade() -> None:
    """Bring the schema to the newest revision (adopting a database made before migrations)."""
    from kickcoach.cli.support import out, settings
    from kickcoach.storage import Storage

    s = settings()
    s.ensure_home()
    result = Storage(s.db_url).migrated
    where = _shown(s.db_url)
    if not result.changed:
        out.print(f"{where}: already at revision {result.after} (the newest).", highlight=False, soft_wrap=True)
    else:
        out.print(f"{where}: upgraded from {result.before or 'no revision'} to {result.after}.", highlight=False, soft_wrap=True)


@db_app.command("current")
def current() -> None:
    """Print the database's revision and whether it is the newest (changes nothing)."""
    from pathlib import Path

    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import OperationalError

    from kickcoach.cli.support import out, settings
    from kickcoach.core.errors import ConfigError
    from kickcoach.storage.migrate import HEAD, current_revision

    s = settings()
    url = make_url(s.db_url)
    if url.get_backend_name() == "sqlite" and url.database and not Path(url.database).exists():
        out.print(f"{_shown(s.db_url)}: no database yet (the first start or `kickcoach db upgrade` creates it).",
                  highlight=False, soft_wrap=True)
        return
    try:
        engine = create_engine(s.db_url)
        revision = current_revision(engine)
    except (OperationalError, ImportError) as exc:
        raise ConfigError(f"Cannot open the database {_shown(s.db_url)!r} ({exc})",
                          "check KICKCOACH_DATABASE_URL / KICKCOACH_HOME") from exc
    state = "the newest" if revision == HEAD else f"the newest is {HEAD}: run `kickcoach db upgrade`"
    out.print(f"{_shown(s.db_url)}: revision {revision or 'none'} ({state}).", highlight=False, soft_wrap=True)
    engine.dispose()


@db_app.command("revision")
def revision(message: Annotated[str, typer.Option("-m", "--message", help="What the change does")]) -> None:
    """For developers: write a new migration from the difference between the models and the newest revision."""
    import tempfile
    from pathlib import Path

    from kickcoach.cli.support import out
    from kickcoach.storage import Storage
    from kickcoach.storage.migrate import write_revision

    with tempfile.TemporaryDirectory() as folder:
        storage = Storage(f"sqlite:///{Path(folder) / 'head.db'}")
        path = write_revision(storage.engine, message)
        storage.engine.dispose()
    out.print(f"Wrote {path}: review it, then set HEAD in storage/migrate.py to its revision id.", highlight=False, soft_wrap=True)
