"""Reminder emails: which due item was sent to whom (each once), and a per-person opt-out.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07

``reminders_sent`` holds one row per (person, item key) emailed by ``kickcoach notify``; the unique constraint
makes "sent once" hold even for two runs at the same moment. ``reminder_settings`` holds a person's opt-out.
Both go with the account (ON DELETE CASCADE).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    present = set(sa.inspect(op.get_bind()).get_table_names())
    if "reminders_sent" not in present:  # a development database made by create_all may have it (as 0002 does)
        op.create_table(
            "reminders_sent",
            sa.Column("id", sa.Integer(), primary_key=True),
            sa.Column("person_id", sa.String(36), sa.ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
            sa.Column("item_key", sa.String(200), nullable=False),
            sa.Column("sent_at", sa.DateTime(), nullable=False),
            sa.UniqueConstraint("person_id", "item_key", name="uq_reminder_once"),
        )
        op.create_index("ix_reminders_sent_person_id", "reminders_sent", ["person_id"])
    if "reminder_settings" not in present:
        op.create_table(
            "reminder_settings",
            sa.Column("person_id", sa.String(36), sa.ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True),
            sa.Column("email_opt_out", sa.Boolean(), nullable=False),
            sa.Column("updated_at", sa.DateTime(), nullable=False),
        )


def downgrade() -> None:
    op.drop_table("reminder_settings")
    op.drop_index("ix_reminders_sent_person_id", table_name="reminders_sent")
    op.drop_table("reminders_sent")
