"""Storage access. ``Storage`` knows pairs; everything else goes through ``Storage.for_pair(pair_id)``.

``PairRepo`` is the single choke point for a pair's data: every query it runs filters by its own
``pair_id``, so a conversation, record or contract of another pair is simply "not found".
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import create_engine, event, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from kickcoach.errors import ConfigError, NotFound
from kickcoach.knowledge.retrieve import require_pair
from kickcoach.storage.models import Base, ContractVersion, Conversation, Pair, Record, Turn


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")  # UI readers do not block the writer
    cursor.close()


class Storage:
    def __init__(self, url: str) -> None:
        self.url = url
        try:
            self.engine: Engine = create_engine(url, pool_pre_ping=True)
            if self.engine.dialect.name == "sqlite":
                event.listen(self.engine, "connect", _sqlite_pragmas)
            Base.metadata.create_all(self.engine)
        except (OperationalError, ImportError) as exc:
            raise ConfigError(f"Cannot open the database {url!r} ({exc})", "check KICKCOACH_DATABASE_URL / KICKCOACH_HOME") from exc
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self._sessions.begin() as session:
            yield session

    def ensure_pair(self, pair_id: str, name: str) -> None:
        require_pair(pair_id)
        with self.session() as s:
            if s.get(Pair, pair_id) is None:
                s.add(Pair(id=pair_id, name=name))

    def pair_ids(self) -> list[str]:
        with self.session() as s:
            return list(s.scalars(select(Pair.id).order_by(Pair.id)))

    def for_pair(self, pair_id: str) -> PairRepo:
        return PairRepo(self, require_pair(pair_id))


class PairRepo:
    """All reads and writes of one pair's data. There is no method that takes another pair's id."""

    def __init__(self, storage: Storage, pair_id: str) -> None:
        self._storage = storage
        self.pair_id = pair_id

    # --- conversations and turns ---------------------------------------------------------------
    def new_conversation(self, flow: str = "chat", title: str = "") -> str:
        cid = str(uuid.uuid4())
        with self._storage.session() as s:
            s.add(Conversation(id=cid, pair_id=self.pair_id, flow=flow, title=title[:200]))
        return cid

    def conversations(self, flow: str = "chat") -> list[Conversation]:
        with self._storage.session() as s:
            q = select(Conversation).where(Conversation.pair_id == self.pair_id, Conversation.flow == flow)
            return list(s.scalars(q.order_by(Conversation.created_at.desc())))

    def _conversation(self, s: Session, conversation_id: str) -> Conversation:
        conv = s.scalar(select(Conversation).where(Conversation.id == conversation_id, Conversation.pair_id == self.pair_id))
        if conv is None:
            raise NotFound(f"No conversation {conversation_id!r} for this pair", "start a new conversation")
        return conv

    def add_turn(self, conversation_id: str, role: str, content: str, **fields: Any) -> Turn:
        with self._storage.session() as s:
            conv = self._conversation(s, conversation_id)
            if role == "user" and not conv.title:
                conv.title = content[:80]
            turn = Turn(conversation_id=conversation_id, pair_id=self.pair_id, role=role, content=content, **fields)
            s.add(turn)
        return turn

    def turns(self, conversation_id: str) -> list[Turn]:
        with self._storage.session() as s:
            self._conversation(s, conversation_id)
            q = select(Turn).where(Turn.conversation_id == conversation_id, Turn.pair_id == self.pair_id)
            return list(s.scalars(q.order_by(Turn.id)))

    # --- contracts -----------------------------------------------------------------------------
    def save_contract_yaml(self, version: int, status: str, text: str) -> None:
        with self._storage.session() as s:
            row = s.scalar(select(ContractVersion).where(ContractVersion.pair_id == self.pair_id, ContractVersion.version == version))
            if row is None:
                s.add(ContractVersion(pair_id=self.pair_id, version=version, status=status, yaml=text))
            else:  # same version re-saved (e.g. a signature added): update in place
                row.status, row.yaml = status, text

    def contract_yaml(self, version: int | None = None) -> str | None:
        with self._storage.session() as s:
            q = select(ContractVersion).where(ContractVersion.pair_id == self.pair_id)
            q = q.where(ContractVersion.version == version) if version else q.order_by(ContractVersion.version.desc())
            row = s.scalars(q).first()
            return row.yaml if row else None

    def contract_versions(self) -> list[tuple[int, str]]:
        with self._storage.session() as s:
            q = select(ContractVersion.version, ContractVersion.status).where(ContractVersion.pair_id == self.pair_id)
            return [tuple(r) for r in s.execute(q.order_by(ContractVersion.version))]  # type: ignore[misc]

    # --- flow records (reviews, rehearsals, drafts) ----------------------------------------------
    def put_record(self, kind: str, data: dict[str, Any], record_id: str | None = None) -> str:
        with self._storage.session() as s:
            if record_id is None:
                row = Record(id=str(uuid.uuid4()), pair_id=self.pair_id, kind=kind, data=data)
                s.add(row)
                return row.id
            row = s.scalar(select(Record).where(Record.id == record_id, Record.pair_id == self.pair_id))
            if row is None:
                raise NotFound(f"No record {record_id!r} for this pair")
            row.data = data
            return row.id

    def get_record(self, record_id: str) -> Record:
        with self._storage.session() as s:
            row = s.scalar(select(Record).where(Record.id == record_id, Record.pair_id == self.pair_id))
            if row is None:
                raise NotFound(f"No record {record_id!r} for this pair")
            return row

    def records(self, kind: str) -> list[Record]:
        with self._storage.session() as s:
            q = select(Record).where(Record.pair_id == self.pair_id, Record.kind == kind)
            return list(s.scalars(q.order_by(Record.created_at)))
