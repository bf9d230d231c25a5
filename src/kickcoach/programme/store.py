"""``ProgrammeStore``: every read and write of the programme tables, and nothing else of the database.

The facilitator's views are built from this class alone, so they cannot reach a pair's chats,
rehearsals, feedback drafts or contract text (a test records the SQL of the dashboard to prove it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from typing import Any

from sqlalchemy import ScalarSelect, delete, func, select
from sqlalchemy.orm import Session

from kickcoach.core.errors import InputInvalid, NotFound
from kickcoach.core.inputs import strip_controls
from kickcoach.programme.cohorts import Programme
from kickcoach.programme.inventory import Participant, normal_email
from kickcoach.programme.links import account_ids
from kickcoach.programme.tables import (
    CheckinRow,
    MeetingRow,
    ParticipantRow,
    ProgrammePairRow,
    ProgrammeRow,
)
from kickcoach.storage import Storage

ACTIVE_STATES = ("proposed", "published")


def _programme(row: ProgrammeRow) -> Programme:
    return Programme(id=row.id, name=row.name, trial_start=row.trial_start, trial_end=row.trial_end,
                     agreement_due=row.agreement_due, meeting_frequency=row.meeting_frequency,
                     team_rule=row.team_rule)


def _participant(row: ParticipantRow) -> Participant:
    return Participant(email=row.email, name=row.name, team=row.team, manager=row.manager, offers=tuple(row.offers),
                       needs=tuple(row.needs), consent=row.consent, source=row.source)


class ProgrammeStore:
    def __init__(self, storage: Storage) -> None:
        self.storage = storage

    def session(self) -> AbstractContextManager[Session]:
        return self.storage.session()

    # --- programmes ----------------------------------------------------------------------------------
    def create(self, programme: Programme) -> Programme:
        with self.session() as s:
            clash = s.scalar(select(ProgrammeRow).where(
                (ProgrammeRow.id == programme.id) | (ProgrammeRow.name == programme.name)))
            if clash is not None:
                raise InputInvalid(f"A programme {clash.name!r} (id {clash.id}) already exists",
                                   "choose another name, or change its settings with `kickcoach programme set`")
            s.add(ProgrammeRow(**programme.model_dump()))
        return programme

    def save(self, programme: Programme) -> Programme:
        with self.session() as s:
            row = s.get(ProgrammeRow, programme.id)
            if row is None:
                raise NotFound(f"No programme {programme.id!r}", "create it with `kickcoach programme create NAME`")
            for key, value in programme.model_dump().items():
                setattr(row, key, value)
        return programme

    def get(self, name_or_id: str) -> Programme:
        with self.session() as s:
            key = strip_controls(name_or_id).strip()  # typed by a person: no NUL reaches the database
            row = s.get(ProgrammeRow, key) or s.scalar(select(ProgrammeRow).where(ProgrammeRow.name == key))
            if row is None:
                known = ", ".join(s.scalars(select(ProgrammeRow.name))) or "none yet"
                raise NotFound(f"No programme {name_or_id!r}",
                               f"programmes: {known}; create one with `kickcoach programme create NAME`")
            return _programme(row)

    def programmes(self) -> list[Programme]:
        with self.session() as s:
            return [_programme(r) for r in s.scalars(select(ProgrammeRow).order_by(ProgrammeRow.created_at))]

    # --- participants --------------------------------------------------------------------------------
    def participants(self, programme_id: str) -> list[Participant]:
        with self.session() as s:
            q = select(ParticipantRow).where(ParticipantRow.programme_id == programme_id).order_by(ParticipantRow.id)
            return [_participant(r) for r in s.scalars(q)]

    def participant(self, programme_id: str, email: str) -> Participant:
        with self.session() as s:
            row = s.scalar(select(ParticipantRow).where(ParticipantRow.programme_id == programme_id,
                                                        ParticipantRow.email == normal_email(email)))
            if row is None:
                raise NotFound(f"{email} is not enrolled in this programme", "opt in first, or import them by CSV")
            return _participant(row)

    def account_of(self, programme_id: str, email: str) -> str | None:
        """The id of the account linked to ``email``'s enrolment (None: no account has that email)."""
        with self.session() as s:
            return s.scalar(select(ParticipantRow.account_id).where(ParticipantRow.programme_id == programme_id,
                                                                    ParticipantRow.email == normal_email(email)))

    def enrol(self, programme_id: str, people: Sequence[Participant]) -> tuple[int, int]:
        """Add or update ``people`` in one transaction (all or nothing); returns (added, updated).

        Each is linked to the account with their email, if there is one (``programme.links``)."""
        added = updated = 0
        with self.session() as s:
            existing = {r.email: r for r in s.scalars(
                select(ParticipantRow).where(ParticipantRow.programme_id == programme_id))}
            accounts = account_ids(s, (p.email for p in people))  # each person's account, linked by email
            for person in people:
                data = person.model_dump() | {"offers": list(person.offers), "needs": list(person.needs),
                                              "account_id": accounts.get(person.email)}
                row = existing.get(person.email)
                if row is None:
                    s.add(ParticipantRow(programme_id=programme_id, **data))
                    added += 1
                else:
                    for key, value in data.items():
                        setattr(row, key, value)
                    updated += 1
        return added, updated

    # --- pairs ---------------------------------------------------------------------------------------
    def pairs(self, programme_id: str, states: Iterable[str] = ACTIVE_STATES) -> list[ProgrammePairRow]:
        with self.session() as s:
            q = select(ProgrammePairRow).where(ProgrammePairRow.programme_id == programme_id,
                                               ProgrammePairRow.state.in_(list(states)))
            return list(s.scalars(q.order_by(ProgrammePairRow.id)))

    def pair(self, programme_id: str, pair_key: int | str) -> ProgrammePairRow:
        """A pair by its row id, its contract pair id, or either partner's email (their active pair)."""
        with self.session() as s:
            q = select(ProgrammePairRow).where(ProgrammePairRow.programme_id == programme_id)
            text = str(pair_key).strip()
            if text.isdigit():
                q = q.where(ProgrammePairRow.id == int(text))
            elif "@" in text:
                email = normal_email(text)
                q = q.where(ProgrammePairRow.state.in_(ACTIVE_STATES),
                            (ProgrammePairRow.a_email == email) | (ProgrammePairRow.b_email == email))
            else:
                q = q.where(ProgrammePairRow.pair_id == text)
            row = s.scalars(q.order_by(ProgrammePairRow.id.desc())).first()
            if row is None:
                raise NotFound(f"No pair {pair_key!r} in programme {programme_id!r}",
                               "see `kickcoach programme pairs NAME`")
            return row

    def replace_proposals(self, programme_id: str, rows: Sequence[ProgrammePairRow]) -> None:
        """Drop the unlocked proposals and add ``rows`` (locked and published pairs stay)."""
        with self.session() as s:
            s.execute(delete(ProgrammePairRow).where(ProgrammePairRow.programme_id == programme_id,
                                                     ProgrammePairRow.state == "proposed",
                                                     ProgrammePairRow.locked.is_(False)))
            for row in rows:
                row.programme_id = programme_id
                s.add(row)

    def delete_proposals(self, ids: Sequence[int]) -> None:
        with self.session() as s:
            s.execute(delete(ProgrammePairRow).where(ProgrammePairRow.id.in_(list(ids)),
                                                     ProgrammePairRow.state == "proposed"))

    def add_pairs(self, programme_id: str, rows: Sequence[ProgrammePairRow]) -> None:
        with self.session() as s:
            for row in rows:
                row.programme_id = programme_id
                s.add(row)

    def update_pair(self, pair_row_id: int, **fields: object) -> ProgrammePairRow:
        with self.session() as s:
            row = s.get(ProgrammePairRow, pair_row_id)
            if row is None:
                raise NotFound(f"No programme pair {pair_row_id}")
            for key, value in fields.items():
                setattr(row, key, value)
            return row

    # --- meetings and check-ins ------------------------------------------------------------------------
    def add_meeting(self, pair_row_id: int, held_on: dt.date, action_plan: bool = False) -> None:
        with self.session() as s:
            s.add(MeetingRow(programme_pair_id=pair_row_id, held_on=held_on, action_plan=action_plan))

    @staticmethod
    def _pair_ids(programme_id: str) -> ScalarSelect[int]:
        return select(ProgrammePairRow.id).where(ProgrammePairRow.programme_id == programme_id).scalar_subquery()

    def _pair_rows(self, table: Any, columns: Sequence[Any], order: Any, programme_id: str,
                   pair_row_id: int | None) -> list[Any]:
        """``columns`` of ``table``'s rows for the programme's pairs (or one pair), by ``order`` then id."""
        with self.session() as s:
            q = select(*columns).where(table.programme_pair_id.in_(self._pair_ids(programme_id)))
            if pair_row_id is not None:
                q = q.where(table.programme_pair_id == pair_row_id)
            return list(s.execute(q.order_by(order, table.id)))

    def meetings(self, programme_id: str, pair_row_id: int | None = None) -> list[Any]:
        """Meetings as light rows (``programme_pair_id``, ``held_on``, ``action_plan``), oldest first."""
        m = MeetingRow
        return self._pair_rows(m, (m.programme_pair_id, m.held_on, m.action_plan), m.held_on, programme_id, pair_row_id)

    def save_checkin(self, row: CheckinRow) -> None:
        """One answer per partner per month: answering again that month replaces the earlier answer."""
        with self.session() as s:
            old = s.scalar(select(CheckinRow).where(CheckinRow.programme_pair_id == row.programme_pair_id,
                                                    CheckinRow.email == row.email, CheckinRow.month == row.month))
            if old is not None:
                s.delete(old)
                s.flush()
            s.add(row)

    def checkins(self, programme_id: str, pair_row_id: int | None = None) -> list[Any]:
        """Check-ins as light rows (the ``CheckinRow`` columns but ``answered_at``), by month."""
        c = CheckinRow
        columns = (c.programme_pair_id, c.email, c.month, c.going, c.equal, c.going_text, c.improve_text)
        return self._pair_rows(c, columns, c.month, programme_id, pair_row_id)

    def consenting_count(self, programme_id: str) -> int:
        with self.session() as s:
            return int(s.scalar(select(func.count()).select_from(ParticipantRow).where(
                ParticipantRow.programme_id == programme_id, ParticipantRow.consent.is_(True))) or 0)

