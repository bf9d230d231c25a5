"""SQLAlchemy tables. Every row that belongs to a pair carries ``pair_id``; see ``repo.PairRepo``.
Private rows (coach chats, rehearsals, feedback drafts) also carry ``owner_id``: the person they belong to.

The schema is built by the Alembic migrations in ``storage/migrations`` (run on start, see ``storage.migrate``):
a change here needs a new revision (``kickcoach db revision -m "…"``), or the models-vs-migrations test fails.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class Pair(Base):
    __tablename__ = "pairs"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class ContractVersion(Base):
    """Every saved version of a pair's contract, as YAML (the lossless exchange format)."""

    __tablename__ = "contract_versions"
    __table_args__ = (UniqueConstraint("pair_id", "version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pair_id: Mapped[str] = mapped_column(ForeignKey("pairs.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))
    yaml: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Conversation(Base):
    __tablename__ = "conversations"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    pair_id: Mapped[str] = mapped_column(ForeignKey("pairs.id"), index=True)
    flow: Mapped[str] = mapped_column(String(20), default="chat")
    title: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    owner_id: Mapped[str | None] = mapped_column(String(80), index=True, default=None)  # the person (private)


class Turn(Base):
    """One message. The user's turn is written before the model is called; the assistant's after."""

    __tablename__ = "turns"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), index=True)
    pair_id: Mapped[str] = mapped_column(ForeignKey("pairs.id"), index=True)
    owner_id: Mapped[str | None] = mapped_column(String(80), index=True, default=None)
    role: Mapped[str] = mapped_column(String(20))
    content: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    sources: Mapped[list[Any]] = mapped_column(default=list)
    engine_state: Mapped[dict[str, Any]] = mapped_column(default=dict)  # the engine record, gate, guard, safety
    model: Mapped[str | None] = mapped_column(String(200), default=None)
    prompt: Mapped[str | None] = mapped_column(String(100), default=None)
    tokens_in: Mapped[int | None] = mapped_column(Integer, default=None)
    tokens_out: Mapped[int | None] = mapped_column(Integer, default=None)
    latency_s: Mapped[float | None] = mapped_column(Float, default=None)
    error: Mapped[str | None] = mapped_column(Text, default=None)
    status: Mapped[str | None] = mapped_column(String(20), default=None)  # None: complete; "pending" or "interrupted"


class Record(Base):
    """A flow's saved state (a weekly review, a rehearsal, a goal draft): JSON, versioned by ``kind``.

    Flows keep their own pydantic models and store them here, so adding a flow needs no new table.
    """

    __tablename__ = "records"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    pair_id: Mapped[str] = mapped_column(ForeignKey("pairs.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    owner_id: Mapped[str | None] = mapped_column(String(80), index=True, default=None)  # private kinds only
    shared_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)  # a private record its owner shared


# --- people: accounts, login throttling, sessions, signatures ---------------------------------------


class Account(Base):
    """An account: a participant (partner ``a`` or ``b`` of one pair) or a facilitator (no pair).

    ``password_hash`` is an argon2id PHC string; no plaintext password is ever stored. ``email`` (lower case,
    unique when set) is the person's address: programme participants with that email are linked to the account.
    """

    __tablename__ = "accounts"
    __table_args__ = (UniqueConstraint("pair_id", "partner", name="uq_accounts_pair_partner"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    name_key: Mapped[str] = mapped_column(String(64), unique=True)  # casefolded name, for login lookup
    role: Mapped[str] = mapped_column(String(20), default="participant")
    pair_id: Mapped[str | None] = mapped_column(ForeignKey("pairs.id"), index=True, default=None)
    partner: Mapped[str | None] = mapped_column(String(1), default=None)
    password_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    password_changed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    email: Mapped[str | None] = mapped_column(String(320), index=True, unique=True, default=None)
    display_name: Mapped[str | None] = mapped_column(String(200), default=None)


class LoginThrottle(Base):
    """Failed logins per key (``user:<name>`` or ``addr:<client address>``), for backoff."""

    __tablename__ = "login_throttle"
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    blocked_until: Mapped[datetime | None] = mapped_column(DateTime, default=None)


class LoginSession(Base):
    """A browser login (keyed by a hash of Gradio's session token, never the token itself)."""

    __tablename__ = "login_sessions"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)  # expired or logged out: stays dead


class ContractSignature(Base):
    """One partner's signature of one contract version. Append-only: rows are never updated or deleted."""

    __tablename__ = "contract_signatures"
    __table_args__ = (UniqueConstraint("pair_id", "version", "partner", name="uq_signature_once"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pair_id: Mapped[str] = mapped_column(ForeignKey("pairs.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    partner: Mapped[str] = mapped_column(String(1))
    person_id: Mapped[str] = mapped_column(String(80))  # an account id, or ``local:<pair>:<partner>`` (CLI owner)
    signed_at: Mapped[datetime] = mapped_column(DateTime)
    content_sha256: Mapped[str] = mapped_column(String(64))  # the text that was signed


# --- reminders (kickcoach notify): each due item emailed once per person; a per-person opt-out ------------


class ReminderSent(Base):
    """A due item (``history.due.DueItem.key``) emailed to a person: never sent to them again."""

    __tablename__ = "reminders_sent"
    __table_args__ = (UniqueConstraint("person_id", "item_key", name="uq_reminder_once"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    item_key: Mapped[str] = mapped_column(String(200))
    sent_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class ReminderSetting(Base):
    """A person's reminder email setting; no row: reminders are sent."""

    __tablename__ = "reminder_settings"
    person_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    email_opt_out: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
