"""A reply's status: ``turns.status`` (None: complete; "pending" while it is written; "interrupted").

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02

A reply is stored as pending before it is composed and completed after, so one cut off by a crash or
``kill -9`` shows as interrupted when the conversation is loaded again (``storage.repo.PairRepo.turns``).
Existing turns are complete: the column is nullable and stays NULL for them.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    present = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("turns")}
    if "status" not in present:  # a development database may have it from the pre-migration start-up
        op.add_column("turns", sa.Column("status", sa.String(20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("turns") as batch:
        batch.drop_column("status")
