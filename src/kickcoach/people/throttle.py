"""Failed-login throttling with exponential backoff, per account name and per client address.

The first ``free`` failures of a key cost nothing; each further one doubles the wait before the key
may try again (``BASE_DELAY_S``, 2, 4, …). An attempt that comes before the wait is over is refused before
any password is checked (so a flood costs the server almost nothing) and does not lengthen the wait.

A *name* waits at most ``MAX_NAME_DELAY_S``: a guesser who knows someone's login name only slows that
name down (one checked guess per ``MAX_NAME_DELAY_S`` at most) and never locks its owner out for longer.
An *address* (the real client, see ``people.addresses``) waits up to ``MAX_DELAY_S``: it is the guesser's own.
A success clears the name's count (not the address's: one valid account must not reset a guesser's
address). Failures older than ``FORGET_AFTER_S`` are forgotten.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from kickcoach.storage.models import LoginThrottle, utcnow
from kickcoach.storage.repo import Storage

FREE_FAILURES_USER = 5
FREE_FAILURES_ADDRESS = 20
BASE_DELAY_S = 1.0
MAX_DELAY_S = 900.0
MAX_NAME_DELAY_S = 30.0
FORGET_AFTER_S = 3600.0


def user_key(name: str) -> str:
    return "user:" + name.strip().casefold()[:64]


def address_key(address: str | None) -> str:
    return "addr:" + (address or "unknown")[:100]


def delay_after(failures: int, free: int, cap: float = MAX_DELAY_S) -> float:
    """Seconds a key must wait after its ``failures``-th failure."""
    if failures <= free:
        return 0.0
    return min(cap, BASE_DELAY_S * 2 ** min(failures - free - 1, 30))


class Throttle:
    def __init__(self, storage: Storage, clock: Callable[[], datetime] = utcnow) -> None:
        self.storage = storage
        self.clock = clock

    @staticmethod
    def free_for(key: str) -> int:
        return FREE_FAILURES_ADDRESS if key.startswith("addr:") else FREE_FAILURES_USER

    @staticmethod
    def cap_for(key: str) -> float:
        return MAX_DELAY_S if key.startswith("addr:") else MAX_NAME_DELAY_S

    def wait_s(self, key: str) -> float:
        """Seconds until ``key`` may try again (0 when it may try now)."""
        with self.storage.session() as s:
            row = s.get(LoginThrottle, key)
            if row is None or row.blocked_until is None:
                return 0.0
            return max(0.0, (row.blocked_until - self.clock()).total_seconds())

    def failed(self, key: str) -> float:
        """Count a failure; returns the wait it causes."""
        now = self.clock()
        with self.storage.session() as s:
            row = s.get(LoginThrottle, key)
            if row is None:
                row = LoginThrottle(key=key, failures=0, last_failure_at=now)
                s.add(row)
            elif (now - row.last_failure_at).total_seconds() > FORGET_AFTER_S:
                row.failures = 0
            row.failures += 1
            row.last_failure_at = now
            wait = delay_after(row.failures, self.free_for(key), self.cap_for(key))
            row.blocked_until = now + timedelta(seconds=wait) if wait else None
            return wait

    def succeeded(self, key: str) -> None:
        with self.storage.session() as s:
            row = s.get(LoginThrottle, key)
            if row is not None:
                s.delete(row)

    def failures(self, key: str) -> int:
        with self.storage.session() as s:
            row = s.get(LoginThrottle, key)
            return row.failures if row else 0
