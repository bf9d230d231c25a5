"""One read of a pair's shared history for the coach (``history.read``): the contract, the weekly reviews
(commitments and whether kept, progress and the gap to the agreed path, blockers, fairness), the meetings
(held, and the next ones from the cadence with recorded changes) and what is due, plus the speaker's own
earlier conversations.

Everything goes through the speaker's ``PairRepo`` (the one choke point, filtered by pair and person): shared
rows of the pair, and private rows of the speaker only. The partner's chats, rehearsals and drafts are never
read: the repo cannot return them.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel

from kickcoach.contracts.models import Contract  # noqa: TC001 - pydantic reads the annotation
from kickcoach.history.due import DueItem, due_items
from kickcoach.history.meetings import Meeting, changes, upcoming
from kickcoach.history.reviews import Commitment, ReviewFacts, read_reviews

if TYPE_CHECKING:
    from kickcoach.storage import PairRepo


class OwnConversation(BaseModel):
    """One of the speaker's own conversations (never the partner's)."""

    id: str
    flow: str
    title: str
    created_at: dt.datetime


class PairHistory(BaseModel):
    today: dt.date
    speaker: Literal["a", "b"]
    names: dict[str, str]  # partner → first name
    contract: Contract | None
    reviews: list[ReviewFacts]
    upcoming: list[Meeting]
    due: list[DueItem]
    conversations: list[OwnConversation]

    @property
    def partner(self) -> Literal["a", "b"]:
        return "b" if self.speaker == "a" else "a"

    @property
    def latest(self) -> ReviewFacts | None:
        return self.reviews[-1] if self.reviews else None

    def commitments(self, partner: str) -> tuple[list[Commitment], list[Commitment]]:
        """``partner``'s commitments from the latest review (open), and from the one before it (marked at the
        latest review, when it marked them)."""
        if not self.reviews:
            return [], []
        latest = [c for c in self.reviews[-1].commitments if c.partner == partner]
        earlier = [c for c in self.reviews[-2].commitments if c.partner == partner] if len(self.reviews) > 1 else []
        return latest, earlier

    def open_commitments(self, partner: str) -> list[Commitment]:
        return [c for c in self.commitments(partner)[0] if c.done is None]


def read(repo: PairRepo, contract: Contract | None, today: dt.date, *, conversations: bool = True) -> PairHistory:
    """The pair's history as ``repo``'s person may read it (their partner slot is the speaker)."""
    person = repo.person
    speaker: Literal["a", "b"] = "b" if person is not None and person.partner == "b" else "a"
    reviews = read_reviews(repo)
    names = {p.id: p.name.split()[0] for p in contract.partners} if contract else (reviews[-1].names if reviews else {})
    meetings = upcoming(contract, changes(repo), today) if contract else []
    own = []
    if conversations and person is not None:
        own = [OwnConversation(id=c.id, flow=c.flow, title=c.title, created_at=c.created_at)
               for c in repo.conversations("chat")]
    return PairHistory(today=today, speaker=speaker, names=names, contract=contract, reviews=reviews,
                       upcoming=meetings, due=due_items(contract, reviews, meetings, today), conversations=own)
