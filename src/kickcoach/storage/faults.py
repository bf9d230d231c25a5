"""Database faults as errors that say the fix: read-only, locked, unreachable, full.

``Storage.session()`` turns SQLAlchemy's ``OperationalError`` (SQLite or PostgreSQL) into
:class:`DatabaseUnavailable`, so the CLI prints one line and the UI keeps what the person typed.
"""

from __future__ import annotations

import re

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from kickcoach.core.errors import KickcoachError

_MULTIPLE_UI = "for several UI processes use PostgreSQL (KICKCOACH_DATABASE_URL=postgresql+psycopg://…)"

# (what the driver says, what happened, the fix); first match wins. {where} is the database without secrets.
_FAULTS: tuple[tuple[str, str, str], ...] = (
    (r"readonly database|read-only|read only", "The database {where} is read-only, so nothing can be saved",
     "make the database file and its folder writable by this user (KICKCOACH_HOME), "
     "or point KICKCOACH_DATABASE_URL at a writable database"),
    (r"database is locked|database table is locked|lock timeout|could not obtain lock",
     "The database {where} is locked by another program, and stayed locked while we waited",
     "close whatever holds it (e.g. an open sqlite3 shell or a long transaction) and try again; " + _MULTIPLE_UI),
    (r"connection refused|could not connect|connection to server|timeout expired|no route to host"
     r"|name or service not known|server closed the connection|terminating connection",
     "Cannot reach the database server {where}",
     "start the database server, or fix KICKCOACH_DATABASE_URL (host, port, user)"),
    (r'password authentication failed|role ".*" does not exist|database ".*" does not exist',
     "The database server {where} refused the login or the database",
     "check the user, password and database name in KICKCOACH_DATABASE_URL"),
    (r"disk is full|disk full|no space left", "The disk under the database {where} is full",
     "free some space, or move KICKCOACH_HOME to a larger disk"),
    (r"unable to open database file|disk i/o error", "Cannot open the database file {where}",
     "check that KICKCOACH_HOME exists and is writable, or fix KICKCOACH_DATABASE_URL"),
)


class DatabaseUnavailable(KickcoachError):
    """The database could not be written or reached (read-only, locked, down, full). Nothing was saved."""


def describe(url: str) -> str:
    """The database without its password: a SQLite path, or ``host:port/name`` for a server."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return "(unparsable URL)"
    if parsed.get_backend_name() == "sqlite":
        return str(parsed.database or ":memory:").removeprefix("file:")
    return f"{parsed.host or 'localhost'}:{parsed.port or ''}/{parsed.database or ''}".replace(":/", "/")


def as_database_error(exc: BaseException, url: str) -> DatabaseUnavailable | None:
    """The :class:`DatabaseUnavailable` for a driver's operational error, or None if it is not one."""
    if not isinstance(exc, DBAPIError) or not exc.connection_invalidated and not _is_operational(exc):
        return None
    said = str(exc.orig or exc).lower()
    where = describe(url)
    for pattern, what, fix in _FAULTS:
        if re.search(pattern, said):
            return DatabaseUnavailable(what.format(where=where), fix)
    first = str(exc.orig or exc).strip().splitlines()[0][:200] if str(exc.orig or exc).strip() else type(exc).__name__
    return DatabaseUnavailable(f"The database {where} failed: {first}", "try again; if it keeps failing, check KICKCOACH_DATABASE_URL")


def _is_operational(exc: DBAPIError) -> bool:
    from sqlalchemy.exc import InternalError, OperationalError

    return isinstance(exc, OperationalError | InternalError)
