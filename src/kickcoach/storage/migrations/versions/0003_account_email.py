"""Accounts carry the person's email and display name; programme participants link to their account.

Revision ID: 0003
Revises: 0002
Create Date: 2027-01-04

``accounts.email`` (lower case, unique when set) and ``accounts.display_name`` are new and empty: no account
had an email before, so no participant is linked yet. ``programme_participants.account_id`` points at the
account whose email the participant has (``programme.links``); removing the account clears it.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FK_NAME = "fk_programme_participants_account_id"


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    accounts = {c["name"] for c in inspector.get_columns("accounts")}
    # a development database made by create_all from the newest models may have them already (as 0002 does)
    if "email" not in accounts:
        op.add_column("accounts", sa.Column("email", sa.String(320), nullable=True))
        op.create_index("ix_accounts_email", "accounts", ["email"], unique=True)
    if "display_name" not in accounts:
        op.add_column("accounts", sa.Column("display_name", sa.String(200), nullable=True))
    if "account_id" not in {c["name"] for c in inspector.get_columns("programme_participants")}:
        # SQLite cannot add a foreign key to a table in place: batch mode copies the table (a plain ALTER elsewhere)
        with op.batch_alter_table("programme_participants") as batch:
            batch.add_column(sa.Column("account_id", sa.String(36), nullable=True))
            batch.create_foreign_key(FK_NAME, "accounts", ["account_id"], ["id"], ondelete="SET NULL")
            batch.create_index("ix_programme_participants_account_id", ["account_id"])


def downgrade() -> None:
    with op.batch_alter_table("programme_participants") as batch:
        batch.drop_index("ix_programme_participants_account_id")
        batch.drop_constraint(FK_NAME, type_="foreignkey")
        batch.drop_column("account_id")
    op.drop_index("ix_accounts_email", table_name="accounts")
    with op.batch_alter_table("accounts") as batch:
        batch.drop_column("display_name")
        batch.drop_column("email")
