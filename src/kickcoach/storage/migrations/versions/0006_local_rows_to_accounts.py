"""Chats made before accounts existed go to the account holder they belong to.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07

Without accounts the local owner speaks as ``local:<pair>:<partner>``; a person given an account for that slot
later found their earlier chats, rehearsals and drafts gone (they were still the local owner's). For each
account that holds a partner slot, the local owner's private rows of that slot written before the account was
made (a conversation with all its turns, a record) become the account's. Later rows stay the local owner's, as
``kickcoach.storage.handover`` does for accounts made from now on. Not undone by a downgrade: the rows keep
their new owner.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _table(name: str) -> sa.TableClause:
    columns = ["id", "pair_id", "owner_id", "created_at"] + (["conversation_id"] if name == "turns" else [])
    return sa.table(name, *[sa.column(c) for c in columns])


def upgrade() -> None:
    bind = op.get_bind()
    accounts = sa.table("accounts", sa.column("id"), sa.column("pair_id"), sa.column("partner"), sa.column("created_at"))
    conversations, turns, records = _table("conversations"), _table("turns"), _table("records")
    holders = bind.execute(
        sa.select(accounts.c.id, accounts.c.pair_id, accounts.c.partner, accounts.c.created_at)
        .where(accounts.c.pair_id.is_not(None), accounts.c.partner.in_(("a", "b")))
    ).all()
    for person_id, pair_id, partner, made_at in holders:
        local = f"local:{pair_id}:{partner}"
        mine = (conversations.c.pair_id == pair_id) & (conversations.c.owner_id == local)
        earlier = sa.select(conversations.c.id).where(mine, conversations.c.created_at < made_at)
        bind.execute(sa.update(turns).where(turns.c.pair_id == pair_id, turns.c.owner_id == local,
                                             turns.c.conversation_id.in_(earlier)).values(owner_id=person_id))
        bind.execute(sa.update(conversations).where(mine, conversations.c.created_at < made_at).values(owner_id=person_id))
        bind.execute(sa.update(records).where(records.c.pair_id == pair_id, records.c.owner_id == local,
                                               records.c.created_at < made_at).values(owner_id=person_id))


def downgrade() -> None:
    pass  # the rows keep their owner: handing a person's chats back to the local owner would hide them again
