"""The programme's own tables, on the project's SQLAlchemy ``Base`` (every name starts with ``programme``).

The facilitator's views (dashboard, nudges) read these tables only: never a pair's chats, rehearsals,
feedback drafts or contract text. Whether and when a pair's agreement was signed is copied here by
``followup.sync_agreements`` (status and signature dates, not the contract's content).

The tables are created and changed by the project's Alembic migrations (``storage/migrations``), like the rest.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kickcoach.storage.models import Base, utcnow


class ProgrammeRow(Base):
    """A cohort: its trial period, agreement due date, minimum meeting frequency and pairing rules."""

    __tablename__ = "programmes"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    trial_start: Mapped[dt.date] = mapped_column(Date)
    trial_end: Mapped[dt.date] = mapped_column(Date)
    agreement_due: Mapped[dt.date] = mapped_column(Date)
    meeting_frequency: Mapped[str] = mapped_column(String(20))
    team_rule: Mapped[str] = mapped_column(String(20), default="any")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class ParticipantRow(Base):
    """One enrolled person, keyed by email within a programme; ``account_id`` links the account with that email
    (set on import, opt-in and when the account is added, see ``programme.links``)."""

    __tablename__ = "programme_participants"
    __table_args__ = (UniqueConstraint("programme_id", "email"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    email: Mapped[str] = mapped_column(String(320))
    name: Mapped[str] = mapped_column(String(200))
    team: Mapped[str] = mapped_column(String(200), default="")
    manager: Mapped[str] = mapped_column(String(320), default="")
    offers: Mapped[list[Any]] = mapped_column(JSON, default=list)
    needs: Mapped[list[Any]] = mapped_column(JSON, default=list)
    consent: Mapped[bool] = mapped_column(Boolean, default=True)
    source: Mapped[str] = mapped_column(String(20), default="form")
    enrolled_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    account_id: Mapped[str | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL", name="fk_programme_participants_account_id"), index=True, default=None)


class ProgrammePairRow(Base):
    """A proposed, published, accepted or declined pair. ``pair_id`` links to the contract once published."""

    __tablename__ = "programme_pairs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    a_email: Mapped[str] = mapped_column(String(320))
    b_email: Mapped[str] = mapped_column(String(320))
    score: Mapped[float] = mapped_column(Float)
    why: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    state: Mapped[str] = mapped_column(String(20), default="proposed")  # proposed | published | declined
    pair_id: Mapped[str | None] = mapped_column(String(64), default=None)
    a_response: Mapped[str] = mapped_column(String(20), default="pending")  # pending | accepted | declined
    b_response: Mapped[str] = mapped_column(String(20), default="pending")
    published_on: Mapped[dt.date | None] = mapped_column(Date, default=None)
    agreement_due: Mapped[dt.date | None] = mapped_column(Date, default=None)
    agreement_signed_on: Mapped[dt.date | None] = mapped_column(Date, default=None)


class MeetingRow(Base):
    """A meeting the pair says it held; ``action_plan`` marks the meeting where the action plan was agreed."""

    __tablename__ = "programme_meetings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme_pair_id: Mapped[int] = mapped_column(ForeignKey("programme_pairs.id"), index=True)
    held_on: Mapped[dt.date] = mapped_column(Date)
    action_plan: Mapped[bool] = mapped_column(Boolean, default=False)


class CheckinRow(Base):
    """One partner's private monthly check-in: scores 1–5 and free text, never shown to the other partner."""

    __tablename__ = "programme_checkins"
    __table_args__ = (UniqueConstraint("programme_pair_id", "email", "month"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme_pair_id: Mapped[int] = mapped_column(ForeignKey("programme_pairs.id"), index=True)
    email: Mapped[str] = mapped_column(String(320))
    month: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    going: Mapped[int] = mapped_column(Integer)
    equal: Mapped[int] = mapped_column(Integer)
    going_text: Mapped[str] = mapped_column(Text, default="")
    improve_text: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


PROGRAMME_TABLE_NAMES = frozenset(
    model.__tablename__ for model in (ProgrammeRow, ParticipantRow, ProgrammePairRow, MeetingRow, CheckinRow)
)
