"""Private rows the local owner wrote before accounts existed go to the account that takes that partner slot.

Without accounts the UI and the CLI speak as the local owner, ``local:<pair>:<partner>`` (partner ``a`` in the
UI). When an account is made for (or joins) that pair as that partner, the person behind it is the one those
chats, rehearsals and drafts belong to: :func:`hand_over_local_rows` gives them the rows the local owner holds
at that moment, and only those (what the local owner writes later, say with the CLI without ``--as``, stays
the local owner's). Alembic revision 0006 does the same once for accounts made before this existed, moving
only rows older than the account.

Reads are unchanged: ``PairRepo`` still shows a person exactly the rows whose owner is their own id.
"""

from __future__ import annotations

from sqlalchemy import update

from kickcoach.core.person import PartnerId, local_owner
from kickcoach.storage.models import Conversation, Record, Turn
from kickcoach.storage.repo import Storage


def hand_over_local_rows(storage: Storage, pair_id: str, partner: PartnerId, person_id: str) -> int:
    """Give ``person_id`` every private row of ``pair_id`` owned by the local owner as ``partner``.

    Returns the number of rows moved (conversations, turns and records together)."""
    local = local_owner(pair_id, partner).person_id
    moved = 0
    with storage.session() as s:
        for table in (Conversation, Turn, Record):
            result = s.execute(
                update(table).where(table.pair_id == pair_id, table.owner_id == local).values(owner_id=person_id)
            )
            moved += int(getattr(result, "rowcount", 0) or 0)
    return moved
