"""One login attempt: throttle check, constant-time verification, then the throttle's bookkeeping."""

from __future__ import annotations

from dataclasses import dataclass, field

from kickcoach.core.person import Person
from kickcoach.people.accounts import MAX_PASSWORD_CHARS, Accounts
from kickcoach.people.throttle import Throttle, address_key, user_key


@dataclass
class LoginStats:
    """Counts since start, for the logs and the throttling figures in the README."""

    verified: int = 0  # passwords actually checked (each one argon2 verification)
    refused_throttled: int = 0  # refused before checking: the name or the address was waiting
    succeeded: int = 0
    failed: int = 0
    waits: list[float] = field(default_factory=list)


@dataclass(frozen=True)
class Outcome:
    """A login attempt's result: the person, or None with the seconds to wait (0: just wrong)."""

    person: Person | None
    wait_s: float = 0.0
    throttled: bool = False  # refused unchecked because the name or the address had to wait


class Login:
    def __init__(self, accounts: Accounts, throttle: Throttle) -> None:
        self.accounts = accounts
        self.throttle = throttle
        self.stats = LoginStats()

    def wait_s(self, name: str, address: str | None) -> float:
        return max(self.throttle.wait_s(user_key(name)), self.throttle.wait_s(address_key(address)))

    def attempt(self, name: str, password: str, address: str | None) -> Person | None:
        """The person for a right name and password, else None (wrong, unknown, or throttled)."""
        return self.outcome(name, password, address).person

    def outcome(self, name: str, password: str, address: str | None) -> Outcome:
        """``attempt`` with the wait that a refusal imposes (shown to the person: "try again in N s")."""
        name = (name or "").strip()
        if not name or len(name) > 64 or len(password or "") > MAX_PASSWORD_CHARS:
            self.stats.failed += 1
            return Outcome(None)
        waiting = self.wait_s(name, address)
        if waiting > 0:
            self.stats.refused_throttled += 1
            return Outcome(None, waiting, throttled=True)
        self.stats.verified += 1
        person = self.accounts.verify(name, password)
        if person is not None:
            self.throttle.succeeded(user_key(name))
            self.stats.succeeded += 1
            return Outcome(person)
        self.stats.failed += 1
        wait = max(self.throttle.failed(user_key(name)), self.throttle.failed(address_key(address)))
        self.stats.waits.append(wait)
        return Outcome(None, wait)
