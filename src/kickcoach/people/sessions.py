"""Login sessions with expiry, on top of Gradio's own login cookie.

Gradio keeps ``token → name`` in memory and never expires it. Every request that reaches our data
goes through ``Sessions.check``: the token (only its SHA-256 is stored) is valid for ``MAX_AGE`` from
its first use and ``IDLE_TIMEOUT`` since its last, and only while the account exists and its password
has not changed since. An expired token is also dropped from Gradio's table, so the page asks to log
in again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError

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

    def check(self, token: str, person_id: str) -> bool:
        """Is this token a live session of ``person_id``? Starts the session on first sight."""
        try:
            return self._check(token, person_id)
        except IntegrityError:  # the page's parallel first requests raced to start it: it exists now
            return self._check(token, person_id)

    def _check(self, token: str, person_id: str) -> bool:
        now = self.clock()
        key = token_hash(token)
        with self.storage.session() as s:
            account = s.get(Account, person_id)
            row = s.get(LoginSession, key)
            if account is None:
                return False
            if row is None:
                s.add(LoginSession(token_hash=key, person_id=person_id, created_at=now, last_seen_at=now))
                return True
            expired = (
                row.ended_at is not None
                or row.person_id != person_id
                or now - row.created_at > MAX_AGE
                or now - row.last_seen_at > IDLE_TIMEOUT
                or account.password_changed_at > row.created_at
            )
            if expired:
                row.ended_at = row.ended_at or now
                return False
            if now - row.last_seen_at > TOUCH_EVERY:
                row.last_seen_at = now
            return True

    def end(self, token: str) -> None:
        with self.storage.session() as s:
            row = s.get(LoginSession, token_hash(token))
            if row is not None and row.ended_at is None:
                row.ended_at = self.clock()
