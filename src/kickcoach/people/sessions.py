"""Login sessions: created at login, checked on every request, ended by logout, expiry, a password change or
the account's removal.

``start`` mints a random token at the moment the password (or the identity provider) was accepted and stores
only its SHA-256 with the account id and the login time. ``check`` accepts a token only when its row exists,
belongs to that same account id (a re-created account of the same name has a new id, so an old browser never
becomes the new person), was not ended, is younger than ``MAX_AGE`` counted from login, was used within
``IDLE_TIMEOUT``, and the password has not changed since the login. The sessions live in the database, so any
UI process behind a proxy accepts them.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import update

from kickcoach.storage.models import Account, LoginSession, utcnow
from kickcoach.storage.repo import Storage

MAX_AGE = timedelta(hours=12)
IDLE_TIMEOUT = timedelta(hours=2)
TOUCH_EVERY = timedelta(seconds=60)  # last-seen is written at most this often


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class Sessions:
    def __init__(self, storage: Storage, clock: Callable[[], datetime] = utcnow) -> None:
        self.storage = storage
        self.clock = clock

    def start(self, person_id: str) -> str:
        """A new session for ``person_id``, starting now; returns the token for the browser's cookie."""
        token = secrets.token_urlsafe(32)
        now = self.clock()
        with self.storage.session() as s:
            s.add(LoginSession(token_hash=token_hash(token), person_id=person_id, created_at=now, last_seen_at=now))
        return token

    def person_id(self, token: str) -> str | None:
        """The account id of a live session (see ``check``), else None."""
        if not token or len(token) > 200:
            return None
        now = self.clock()
        with self.storage.session() as s:
            row = s.get(LoginSession, token_hash(token))
            if row is None or row.ended_at is not None:
                return None
            account = s.get(Account, row.person_id)
            expired = (
                account is None
                or now - row.created_at > MAX_AGE
                or now - row.last_seen_at > IDLE_TIMEOUT
                or account.password_changed_at > row.created_at
            )
            if expired:
                row.ended_at = now
                return None
            if now - row.last_seen_at > TOUCH_EVERY:
                row.last_seen_at = now
            return row.person_id

    def check(self, token: str, person_id: str) -> bool:
        """Is ``token`` a live session of exactly ``person_id``? Never starts one."""
        return self.person_id(token) == person_id

    def end(self, token: str) -> None:
        with self.storage.session() as s:
            row = s.get(LoginSession, token_hash(token))
            if row is not None and row.ended_at is None:
                row.ended_at = self.clock()

    def end_all(self, person_id: str) -> int:
        """End every open session of ``person_id`` (a password change); returns how many."""
        with self.storage.session() as s:
            result = s.execute(update(LoginSession).where(LoginSession.person_id == person_id,
                                                          LoginSession.ended_at.is_(None)).values(ended_at=self.clock()))
            return int(getattr(result, "rowcount", 0) or 0)
