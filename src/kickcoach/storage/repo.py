"""Storage access. ``Storage`` knows pairs; a pair's data goes through ``Storage.for_person(person)`` (a
participant's view: the pair's shared data plus their own private rows) or ``Storage.for_pair(pair_id)``
(shared data only, e.g. for programme views).

``PairRepo`` is the single choke point: every query it runs filters by its own ``pair_id`` and, for
private rows (conversations, turns, private record kinds), by its person's id as well. Another pair's
or another person's row is simply "not found".
"""

from __future__ import annotations

import hashlib
import os
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import create_engine, delete, event, or_, select, update
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from kickcoach.core.errors import ConfigError, InputInvalid, IsolationError, NotFound
from kickcoach.core.ids import require_pair
from kickcoach.core.person import Person
from kickcoach.storage.faults import DatabaseUnavailable, as_database_error
from kickcoach.storage.migrate import UpgradeResult, upgrade
from kickcoach.storage.models import (
    ContractSignature,
    ContractVersion,
    Conversation,
    Pair,
    Record,
    Turn,
    utcnow,
)

PROCESS_STARTED = utcnow()
START_ATTEMPTS = 5
"""Opening a SQLite file that another process is creating or migrating at that moment can meet a brief
"database is locked" (WAL set-up, a closing connection's checkpoint): the start tries this many times, backing
off 0.1 s, 0.2 s, … (1.5 s in all), before the lock counts as a fault."""
"""A pending reply older than this process was cut off by a crash or kill (see ``PairRepo.turns``)."""
PENDING = "pending"
INTERRUPTED = "interrupted"
PENDING_STALE_AFTER = timedelta(minutes=10)
"""A reply still pending after this long is interrupted even if another live process started it (a turn's
slowest path, two model attempts at the 60 s read timeout plus retrieval, is well under it)."""
INTERRUPTED_NOTE = "This reply was interrupted before it finished (the server stopped)"
INTERRUPTED_FIX = "send your message again"

SHARED_KINDS = frozenset({"review", "commitment", "meeting"})
"""Record kinds the pair shares (each partner writes their own turn of a review; a meeting moved or cancelled). Every other kind
(rehearsals, feedback drafts, goal drafts, kinds added later) is private to the person who wrote it."""


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    # WAL (UI readers do not block the writer) is kept in the file: switch only a file not in it yet, so a
    # process opening the database while another migrates it does not queue for the writer's lock.
    if str(cursor.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
        cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def _cut_off(created_at: datetime) -> bool:
    """Was a pending reply begun before this process, or too long ago for any live process to finish it?"""
    return created_at < PROCESS_STARTED or created_at < utcnow() - PENDING_STALE_AFTER


def _private_sqlite_file(url: str) -> None:
    """Create a SQLite database file 0600 (its -wal and -shm files take its mode); an older one loses group and
    other permissions."""
    database = make_url(url).database if url.startswith("sqlite") else None
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    try:
        if not os.path.exists(database):
            os.close(os.open(database, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        mode = os.stat(database).st_mode
        if mode & 0o077:
            os.chmod(database, mode & 0o700)  # an older kickcoach's 0644: the owner's only (read-only stays so)
    except OSError:  # a missing folder, a file not ours, a race with another start: the connection decides
        pass


class Storage:
    def __init__(self, url: str) -> None:
        self.url = url
        _private_sqlite_file(url)
        try:
            self.engine: Engine = create_engine(url, pool_pre_ping=True)
            if self.engine.dialect.name == "sqlite":
                event.listen(self.engine, "connect", _sqlite_pragmas)
            self.migrated = self._upgrade()  # one query when the schema is already at the newest revision
        except (DBAPIError, ImportError) as exc:  # unreachable, refused, no permission, no driver
            mapped = as_database_error(exc, url)
            if mapped is not None:  # read-only, locked, unreachable: say which, and the fix
                raise ConfigError(mapped.message, mapped.fix) from exc
            shown = make_url(url).render_as_string(hide_password=True)
            raise ConfigError(f"Cannot open the database {shown!r} ({exc})", "check KICKCOACH_DATABASE_URL / KICKCOACH_HOME") from exc
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def _upgrade(self) -> UpgradeResult:
        for attempt in range(START_ATTEMPTS):
            try:
                return upgrade(self.engine)
            except DBAPIError as exc:
                locked = self.engine.dialect.name == "sqlite" and "locked" in str(exc.orig)
                if not locked or attempt + 1 == START_ATTEMPTS:
                    raise
                time.sleep(0.1 * 2**attempt)
        raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction; a read-only, locked or unreachable database raises ``DatabaseUnavailable``."""
        try:
            with self._sessions.begin() as session:
                yield session
        except DBAPIError as exc:
            mapped = as_database_error(exc, self.url)
            if mapped is None:
                raise
            raise mapped from exc

    def ensure_pair(self, pair_id: str, name: str) -> None:
        require_pair(pair_id)
        try:
            with self.session() as s:
                if s.get(Pair, pair_id) is None:
                    s.add(Pair(id=pair_id, name=name))
        except IntegrityError:  # another process (a second UI starting) added it at the same moment
            with self.session() as s:
                if s.get(Pair, pair_id) is None:
                    raise

    def pair_ids(self) -> list[str]:
        with self.session() as s:
            return list(s.scalars(select(Pair.id).order_by(Pair.id)))

    def for_pair(self, pair_id: str) -> PairRepo:
        """The pair's shared data only (contract, reviews); private rows raise ``IsolationError``."""
        return PairRepo(self, require_pair(pair_id), None)

    def for_person(self, person: Person, pair_id: str | None = None) -> PairRepo:
        """``person``'s view of their own pair: shared data plus their private rows.

        ``pair_id``, when given, must be the person's own pair; another pair is "not found".
        A facilitator has no pair view here: programme code reads shared data with ``for_pair``.
        """
        if person.is_facilitator or not person.pair_id or person.partner not in ("a", "b"):
            raise IsolationError(
                f"{person.name} is not a partner of a pair", "facilitators see programme data, never a pair's private content"
            )
        if pair_id is not None and pair_id != person.pair_id:
            raise NotFound(f"No pair {pair_id!r} for {person.name}", "you can only open your own pair")
        return PairRepo(self, require_pair(person.pair_id), person)


class PairRepo:
    """All reads and writes of one pair's data, as one person (or shared data only when ``person`` is None).

    There is no method that takes another pair's id or another person's id.
    """

    def __init__(self, storage: Storage, pair_id: str, person: Person | None) -> None:
        self._storage = storage
        self.pair_id = pair_id
        self.person = person

    def _owner(self) -> str:
        if self.person is None:
            raise IsolationError("Private data was asked for without a person", "open the pair with Storage.for_person")
        return self.person.person_id

    # --- conversations and turns (always private to their person) --------------------------------
    def new_conversation(self, flow: str = "chat", title: str = "") -> str:
        owner = self._owner()
        cid = str(uuid.uuid4())
        with self._storage.session() as s:
            s.add(Conversation(id=cid, pair_id=self.pair_id, owner_id=owner, flow=flow, title=title[:200]))
        return cid

    def conversations(self, flow: str = "chat") -> list[Conversation]:
        owner = self._owner()
        with self._storage.session() as s:
            q = select(Conversation).where(
                Conversation.pair_id == self.pair_id, Conversation.owner_id == owner, Conversation.flow == flow
            )
            return list(s.scalars(q.order_by(Conversation.created_at.desc())))

    def delete_conversation(self, conversation_id: str) -> int:
        """Delete one of this person's conversations and every turn of it, for good; returns the turns deleted.
        Another person's conversation is "not found" (nothing is deleted)."""
        with self._storage.session() as s:
            conv = self._conversation(s, conversation_id)
            gone = s.execute(delete(Turn).where(Turn.conversation_id == conv.id, Turn.pair_id == self.pair_id,
                                                Turn.owner_id == conv.owner_id))
            s.delete(conv)
            return int(gone.rowcount or 0)  # type: ignore[attr-defined]

    def _conversation(self, s: Session, conversation_id: str) -> Conversation:
        owner = self._owner()
        conv = s.scalar(
            select(Conversation).where(
                Conversation.id == conversation_id, Conversation.pair_id == self.pair_id, Conversation.owner_id == owner
            )
        )
        if conv is None:
            raise NotFound(f"No conversation {str(conversation_id)[:40]!r} for you", "start a new conversation")
        return conv

    def add_turn(self, conversation_id: str, role: str, content: str, **fields: Any) -> Turn:
        with self._storage.session() as s:
            conv = self._conversation(s, conversation_id)
            if role == "user" and not conv.title:
                conv.title = content[:80]
            turn = Turn(
                conversation_id=conversation_id, pair_id=self.pair_id, owner_id=conv.owner_id, role=role, content=content, **fields
            )
            s.add(turn)
        return turn

    def turns(self, conversation_id: str) -> list[Turn]:
        """The conversation's turns in order. A pending reply that began before this process started (or
        longer ago than ``PENDING_STALE_AFTER``) was cut off: it is marked interrupted here, once, for good."""
        with self._storage.session() as s:
            conv = self._conversation(s, conversation_id)
            q = select(Turn).where(
                Turn.conversation_id == conversation_id, Turn.pair_id == self.pair_id, Turn.owner_id == conv.owner_id
            )
            found = list(s.scalars(q.order_by(Turn.id)))
        stale = [t.id for t in found if t.status == PENDING and _cut_off(t.created_at)]
        if stale:
            note = f"{INTERRUPTED_NOTE} — {INTERRUPTED_FIX}"
            for turn in found:
                if turn.id in stale:
                    turn.status, turn.error = INTERRUPTED, note
            try:  # only rows still pending: one another process finished meanwhile keeps its reply
                with self._storage.session() as s:
                    s.execute(update(Turn).where(Turn.id.in_(stale), Turn.status == PENDING).values(status=INTERRUPTED, error=note))
            except DatabaseUnavailable:  # a read-only database: shown as interrupted all the same
                pass
        return found

    def finish_turn(self, turn_id: int, content: str, **fields: Any) -> None:
        """Complete a pending reply (also one another process already marked interrupted: it did finish)."""
        with self._storage.session() as s:
            turn = self._own_turn(s, turn_id)
            turn.content, turn.status = content, None
            for name, value in fields.items():
                setattr(turn, name, value)

    def interrupt_turn(self, turn_id: int, reason: str | None = None) -> None:
        """Mark a pending reply interrupted (the turn failed or its stream was abandoned); a finished one stays."""
        with self._storage.session() as s:
            turn = self._own_turn(s, turn_id)
            if turn.status == PENDING:
                turn.status, turn.error = INTERRUPTED, f"{reason or INTERRUPTED_NOTE} — {INTERRUPTED_FIX}"

    def _own_turn(self, s: Session, turn_id: int) -> Turn:
        turn = s.scalar(select(Turn).where(Turn.id == turn_id, Turn.pair_id == self.pair_id, Turn.owner_id == self._owner()))
        if turn is None:
            raise NotFound(f"No turn {turn_id} for you")
        return turn

    # --- contracts (shared by the pair) ------------------------------------------------------------
    def save_contract_yaml(self, version: int, status: str, text: str) -> None:
        """Store a version's text. A version anyone has signed is never rewritten."""
        try:
            self._save_contract_yaml(version, status, text)
        except IntegrityError:  # another process stored this version at the same moment: update it instead
            self._save_contract_yaml(version, status, text)

    def _save_contract_yaml(self, version: int, status: str, text: str) -> None:
        with self._storage.session() as s:
            row = s.scalar(select(ContractVersion).where(ContractVersion.pair_id == self.pair_id, ContractVersion.version == version))
            if row is None:
                s.add(ContractVersion(pair_id=self.pair_id, version=version, status=status, yaml=text))
                return
            if row.yaml != text and self._signed(s, version, self.pair_id):
                raise InputInvalid(
                    f"Version {version} has been signed, so its text cannot change", "save your edit as a new version"
                )
            row.status, row.yaml = status, text

    def set_contract_status(self, version: int, status: str) -> None:
        with self._storage.session() as s:
            row = s.scalar(select(ContractVersion).where(ContractVersion.pair_id == self.pair_id, ContractVersion.version == version))
            if row is None:
                raise NotFound(f"No contract version {version} for this pair")
            row.status = status

    def contract_yaml(self, version: int | None = None) -> str | None:
        row = self.contract_row(version)
        return row.yaml if row else None

    def contract_row(self, version: int | None = None) -> ContractVersion | None:
        with self._storage.session() as s:
            q = select(ContractVersion).where(ContractVersion.pair_id == self.pair_id)
            q = q.where(ContractVersion.version == version) if version else q.order_by(ContractVersion.version.desc())
            return s.scalars(q).first()

    def contract_versions(self) -> list[tuple[int, str]]:
        with self._storage.session() as s:
            q = select(ContractVersion.version, ContractVersion.status).where(ContractVersion.pair_id == self.pair_id)
            return [tuple(r) for r in s.execute(q.order_by(ContractVersion.version))]  # type: ignore[misc]

    # --- signatures: append-only rows; a person signs only as themselves ---------------------------
    @staticmethod
    def _signed(s: Session, version: int, pair_id: str) -> bool:
        q = select(ContractSignature.id).where(ContractSignature.version == version, ContractSignature.pair_id == pair_id)
        return s.scalar(q.limit(1)) is not None

    def add_signature(self, version: int, signed_at: datetime) -> ContractSignature:
        """Sign ``version`` as this repo's person (their own partner slot, never another)."""
        if self.person is None or self.person.partner is None:
            raise IsolationError("A signature needs a person", "sign through Storage.for_person")
        with self._storage.session() as s:
            row = s.scalar(select(ContractVersion).where(ContractVersion.pair_id == self.pair_id, ContractVersion.version == version))
            if row is None:
                raise NotFound(f"No contract version {version} for this pair")
            sig = ContractSignature(
                pair_id=self.pair_id, version=version, partner=self.person.partner, person_id=self.person.person_id,
                signed_at=signed_at, content_sha256=hashlib.sha256(row.yaml.encode()).hexdigest(),
            )
            s.add(sig)
            try:
                s.flush()
            except IntegrityError as exc:
                raise InputInvalid(
                    f"Partner {self.person.partner.upper()} has already signed version {version}", "wait for your partner to sign"
                ) from exc
        return sig

    def signatures(self, version: int) -> list[ContractSignature]:
        with self._storage.session() as s:
            q = select(ContractSignature).where(ContractSignature.pair_id == self.pair_id, ContractSignature.version == version)
            return list(s.scalars(q.order_by(ContractSignature.id)))

    # --- flow records (reviews are shared; rehearsals, feedback and drafts are private) ------------
    def _visible(self, kind: str | None = None) -> Any:
        if kind is not None:
            if kind in SHARED_KINDS:
                return Record.kind == kind
            return (Record.kind == kind) & (Record.owner_id == self._owner())
        shared = Record.kind.in_(SHARED_KINDS)
        return or_(shared, Record.owner_id == self.person.person_id) if self.person else shared

    def put_record(self, kind: str, data: dict[str, Any], record_id: str | None = None) -> str:
        owner = None if kind in SHARED_KINDS else self._owner()
        with self._storage.session() as s:
            if record_id is None:
                row = Record(id=str(uuid.uuid4()), pair_id=self.pair_id, kind=kind, data=data, owner_id=owner)
                s.add(row)
                return row.id
            found = s.scalar(select(Record).where(Record.id == record_id, Record.pair_id == self.pair_id, self._visible(kind)))
            if found is None:
                raise NotFound(f"No record {str(record_id)[:40]!r} for you")
            found.data = data
            return found.id

    def get_record(self, record_id: str) -> Record:
        with self._storage.session() as s:
            row = s.scalar(select(Record).where(Record.id == record_id, Record.pair_id == self.pair_id, self._visible()))
            if row is None:
                raise NotFound(f"No record {str(record_id)[:40]!r} for you")
            return row

    def records(self, kind: str) -> list[Record]:
        with self._storage.session() as s:
            q = select(Record).where(Record.pair_id == self.pair_id, self._visible(kind))
            return list(s.scalars(q.order_by(Record.created_at)))

    def share_record(self, record_id: str) -> None:
        """Show one of your private records (e.g. a feedback draft) to your partner; it stays yours to edit."""
        owner = self._owner()
        with self._storage.session() as s:
            done = s.execute(
                update(Record)
                .where(Record.id == record_id, Record.pair_id == self.pair_id, Record.owner_id == owner)
                .values(shared_at=utcnow())
            )
            if not done.rowcount:  # type: ignore[attr-defined]
                raise NotFound(f"No record {str(record_id)[:40]!r} of yours")

    def shared_with_me(self, kind: str) -> list[Record]:
        """Private records of ``kind`` that your partner chose to share with you."""
        owner = self._owner()
        with self._storage.session() as s:
            q = select(Record).where(
                Record.pair_id == self.pair_id, Record.kind == kind, Record.owner_id != owner, Record.shared_at.is_not(None)
            )
            return list(s.scalars(q.order_by(Record.created_at)))
