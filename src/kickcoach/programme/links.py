"""Which account a programme participant is: the one whose email is the participant's (compared in lower case).

``programme_participants.account_id`` holds the link. It is set whenever either side appears: a participant
enrolled (CSV import or opt-in) is linked to the account with their email, and an account added (or given
an email) is linked to every enrolment with it. *My programme* acts only through ``enrolments(person)``:
the rows linked to the logged-in account that also still carry its email, never an email the page sends.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from kickcoach.core.person import Person
from kickcoach.programme.tables import ParticipantRow, ProgrammeRow
from kickcoach.storage import Storage
from kickcoach.storage.models import Account


@dataclass(frozen=True)
class Enrolment:
    programme_id: str
    programme_name: str
    email: str


def account_ids(session: Session, emails: Iterable[str]) -> dict[str, str]:
    """email → account id for the accounts that have one of ``emails`` (lower case)."""
    wanted = sorted({e.strip().lower() for e in emails if e})
    if not wanted:
        return {}
    rows = session.execute(select(Account.email, Account.id).where(Account.email.in_(wanted)))
    return {str(email): str(account_id) for email, account_id in rows}


def link_account(storage: Storage, person: Person) -> int:
    """Link ``person``'s account to every enrolment with their email, and unlink enrolments with another email
    (the account's email changed). Returns how many enrolments are linked to it now."""
    with storage.session() as s:
        mine = ParticipantRow.account_id == person.person_id
        if person.email:
            s.execute(update(ParticipantRow).where(mine, ParticipantRow.email != person.email).values(account_id=None))
            s.execute(update(ParticipantRow).where(ParticipantRow.email == person.email).values(account_id=person.person_id))
        else:
            s.execute(update(ParticipantRow).where(mine).values(account_id=None))
        return len(list(s.scalars(select(ParticipantRow.id).where(mine))))


def enrolments(storage: Storage, person: Person) -> list[Enrolment]:
    """The logged-in ``person``'s own enrolments, oldest programme first (none without an email)."""
    if not person.email or person.is_local:
        return []
    with storage.session() as s:
        rows = s.execute(
            select(ProgrammeRow.id, ProgrammeRow.name, ParticipantRow.email)
            .join(ParticipantRow, ParticipantRow.programme_id == ProgrammeRow.id)
            .where(ParticipantRow.account_id == person.person_id, ParticipantRow.email == person.email)
            .order_by(ProgrammeRow.created_at, ProgrammeRow.id)
        )
        return [Enrolment(str(pid), str(name), str(email)) for pid, name, email in rows]
