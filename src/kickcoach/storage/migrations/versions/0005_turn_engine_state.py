"""A turn's ``guard`` column is renamed ``engine_state``: it holds the coach engine's record of the reply (act,
topic, moves, codes, templates, ideas), the gate's and the guard's verdicts and the safety flag, not only the
guard's.

Revision ID: 0004
Revises: 0003
Create Date: 2027-01-11

Renamed in place, rows kept (SQLite: batch mode copies the table; PostgreSQL: ``ALTER TABLE … RENAME COLUMN``).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _rename(old: str, new: str) -> None:
    columns = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("turns")}
    if old in columns and new not in columns:  # a database made by create_all from the newest models has it already
        with op.batch_alter_table("turns") as batch:
            batch.alter_column(old, new_column_name=new)


def upgrade() -> None:
    _rename("guard", "engine_state")


def downgrade() -> None:
    _rename("engine_state", "guard")
