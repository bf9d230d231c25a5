"""What a test's app has stored, as bytes: every file in its home (SQLite database, WAL, index) and, when the
database is a server (PostgreSQL), every row of every table, so "no plaintext is stored" checks cover both."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa


def stored_bytes(services: Any) -> bytes:
    data = b"".join(f.read_bytes() for f in services.settings.home.rglob("*") if f.is_file())
    if services.settings.database_url:
        engine = services.storage.engine
        with engine.connect() as conn:
            for table in sa.inspect(engine).get_table_names():
                data += repr(conn.execute(sa.text(f'SELECT * FROM "{table}"')).all()).encode()
    return data
