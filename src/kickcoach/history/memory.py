"""Memory you control: what the coach keeps about a person (their own conversations, and the shared history it
reads), and deleting one of their conversations for good (gone from the database, so from every later read:
the coach's history, the conversation list, the API)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from pydantic import BaseModel

from kickcoach.history.read import read

if TYPE_CHECKING:
    from kickcoach.contracts.models import Contract
    from kickcoach.storage import PairRepo


class Kept(BaseModel):
    conversations: list[tuple[str, str, int, dt.datetime]]  # (id, title, turns, started)
    reviews: int
    commitments: int
    meeting_changes: int
    due: int


def what_is_kept(repo: PairRepo, contract: Contract | None, today: dt.date) -> Kept:
    """Everything the coach reads about ``repo``'s person: their conversations and the pair's shared history."""
    h = read(repo, contract, today)
    conversations = [(c.id, c.title, len(repo.turns(c.id)), c.created_at) for c in h.conversations]
    return Kept(conversations=conversations, reviews=len(h.reviews),
                commitments=sum(len(r.commitments) for r in h.reviews),
                meeting_changes=len(repo.records("meeting")), due=len(h.due))


def forget_conversation(repo: PairRepo, conversation_id: str) -> int:
    """Delete one of the person's own conversations and its turns; returns how many turns went."""
    return repo.delete_conversation(conversation_id)
