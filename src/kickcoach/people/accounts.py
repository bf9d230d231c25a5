"""Accounts: people with a role, each participant partner ``a`` or ``b`` of one pair; argon2id hashes.

An account may carry the person's email (lower case, one account per address) and display name; the email
is what links the person to their programme enrolments (``programme.links``).

Passwords are hashed with argon2id (``argon2-cffi``) and verified in constant time: an unknown name
is checked against a dummy hash, so timing does not tell which names exist. No plaintext is stored.
"""

from __future__ import annotations

import builtins
import re
import uuid
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from kickcoach.core.errors import InputInvalid, NotFound
from kickcoach.core.inputs import clean_email, strip_controls
from kickcoach.core.person import PARTNERS, ROLES, PartnerId, Person, Role
from kickcoach.storage.handover import hand_over_local_rows
from kickcoach.storage.models import Account, LoginSession, utcnow
from kickcoach.storage.repo import Storage

__all__ = ["MAX_PASSWORD_CHARS", "MIN_PASSWORD_CHARS", "Accounts", "Person"]

NAME = re.compile(r"^[A-Za-z][A-Za-z0-9._-]{0,31}$")
MIN_PASSWORD_CHARS = 10
MAX_PASSWORD_CHARS = 1024  # argon2 takes any length; a cap keeps a login request cheap to refuse


def person_of(row: Account) -> Person:
    return Person(
        person_id=row.id, name=row.name, role=row.role,  # type: ignore[arg-type]
        pair_id=row.pair_id, partner=row.partner,  # type: ignore[arg-type]
        email=row.email, display_name=row.display_name,
    )


def _display_name(text: str | None) -> str | None:
    shown = strip_controls(text or "").strip()[:200]
    return shown or None


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_CHARS:
        raise InputInvalid(f"The password is {len(password)} characters long", f"use at least {MIN_PASSWORD_CHARS}")
    if len(password) > MAX_PASSWORD_CHARS:
        raise InputInvalid("The password is too long", f"use at most {MAX_PASSWORD_CHARS} characters")
    return password


class Accounts:
    def __init__(self, storage: Storage, hasher: PasswordHasher | None = None) -> None:
        self.storage = storage
        self.hasher = hasher or PasswordHasher()  # argon2id, RFC 9106 low-memory profile
        self._dummy = self.hasher.hash("not a real password, for timing only")

    # --- reading --------------------------------------------------------------------------------
    def _row(self, name: str) -> Account | None:
        with self.storage.session() as s:
            return s.scalar(select(Account).where(Account.name_key == name.strip().casefold()))

    def get(self, name: str) -> Person | None:
        row = self._row(name)
        return person_of(row) if row else None

    def by_email(self, email: str) -> Person | None:
        """The account whose email is ``email`` (compared in lower case), if any."""
        key = (email or "").strip().lower()
        if not key:
            return None
        with self.storage.session() as s:
            row = s.scalar(select(Account).where(Account.email == key))
            return person_of(row) if row else None

    def require(self, name: str) -> Person:
        person = self.get(name)
        if person is None:
            raise NotFound(f"No account {name!r}", "see `kickcoach users list`")
        return person

    def by_id(self, person_id: str) -> Person | None:
        with self.storage.session() as s:
            row = s.get(Account, person_id)
            return person_of(row) if row else None

    def password_changed_at(self, person_id: str):
        with self.storage.session() as s:
            row = s.get(Account, person_id)
            return row.password_changed_at if row else None

    def list(self) -> list[Person]:
        with self.storage.session() as s:
            order = (Account.pair_id.asc().nulls_first(), Account.partner.asc().nulls_first(), Account.name)  # same on every engine
            return [person_of(r) for r in s.scalars(select(Account).order_by(*order))]

    def count(self) -> int:
        with self.storage.session() as s:
            return int(s.scalar(select(func.count()).select_from(Account)) or 0)

    def partner_of(self, person: Person) -> Person | None:
        """The other partner of ``person``'s pair, when they have an account."""
        if person.pair_id is None or person.other_partner is None:
            return None
        with self.storage.session() as s:
            row = s.scalar(select(Account).where(Account.pair_id == person.pair_id, Account.partner == person.other_partner))
            return person_of(row) if row else None

    # --- changing -------------------------------------------------------------------------------
    def add(
        self, name: str, password: str, *, role: Role = "participant", pair_id: str | None = None,
        partner: PartnerId | None = None, check: bool = True, email: str | None = None, display_name: str | None = None,
    ) -> Person:
        """Create an account; ``check=False`` (the old users file's import) skips the length rule."""
        name = name.strip()
        email = clean_email(email) if email and email.strip() else None
        display_name = _display_name(display_name)
        if not NAME.match(name):
            raise InputInvalid(f"{name!r} is not a usable account name", "use letters, digits, '.', '_' or '-', starting with a letter (at most 32)")
        if role not in ROLES:
            raise InputInvalid(f"Unknown role {role!r}", "use participant or facilitator")
        if role == "participant" and (pair_id or not email) and (not pair_id or partner not in PARTNERS):
            raise InputInvalid("A participant needs a pair and a partner slot (or, to wait for a programme pairing, "
                               "an email and neither)", "pass --pair PAIR --partner a|b, or --email ADDRESS alone")
        if role == "participant" and partner and not pair_id:
            raise InputInvalid("A partner slot needs a pair", "pass --pair PAIR too, or leave out --partner")
        if role == "facilitator" and (pair_id or partner):
            raise InputInvalid("A facilitator belongs to no pair", "leave out --pair and --partner")
        if not password or len(password) > MAX_PASSWORD_CHARS:
            raise InputInvalid("The password is empty or too long", f"use {MIN_PASSWORD_CHARS} to {MAX_PASSWORD_CHARS} characters")
        digest = self.hasher.hash(check_password(password) if check else password)
        if pair_id:
            self.storage.ensure_pair(pair_id, pair_id)
        row = Account(
            id=str(uuid.uuid4()), name=name, name_key=name.casefold(), role=role, pair_id=pair_id, partner=partner,
            password_hash=digest, email=email, display_name=display_name,
        )
        try:
            with self.storage.session() as s:
                s.add(row)
        except IntegrityError as exc:
            if self.get(name):
                raise InputInvalid(f"There is already an account {name!r}", "pick another name, or `users passwd`") from exc
            if email and self.by_email(email):
                raise InputInvalid(f"Another account already has the email {email}", "one account per person") from exc
            raise InputInvalid(
                f"Partner {str(partner).upper()} of pair {pair_id!r} already has an account", "remove it first, or use the other slot"
            ) from exc
        if pair_id and partner:
            hand_over_local_rows(self.storage, pair_id, partner, row.id)
        return person_of(row)

    def set_email(self, name: str, email: str | None, display_name: str | None = None) -> Person:
        """Set (or, with an empty ``email``, clear) an account's email; ``display_name`` too when given."""
        address = clean_email(email) if email and email.strip() else None
        try:
            with self.storage.session() as s:
                row = s.scalar(select(Account).where(Account.name_key == name.strip().casefold()))
                if row is None:
                    raise NotFound(f"No account {name!r}", "see `kickcoach users list`")
                row.email = address
                if display_name is not None:
                    row.display_name = _display_name(display_name)
                person = person_of(row)
        except IntegrityError as exc:
            raise InputInvalid(f"Another account already has the email {address}", "one account per person") from exc
        return person

    def join_pair(self, person_id: str, pair_id: str, partner: PartnerId) -> Person | None:
        """Give an account that has no pair yet (a programme participant) ``partner`` of ``pair_id``; an account
        that already has a pair keeps it. Returns the account as it is now (None: no such account)."""
        self.storage.ensure_pair(pair_id, pair_id)
        with self.storage.session() as s:
            row = s.get(Account, person_id)
            if row is None:
                return None
            joined = row.pair_id is None and row.role == "participant"
            if joined:
                row.pair_id, row.partner = pair_id, partner
            person = person_of(row)
        if joined:
            hand_over_local_rows(self.storage, pair_id, partner, person.person_id)
        return person

    def set_password(self, name: str, password: str) -> None:
        """Change a password; the person's open sessions end."""
        digest = self.hasher.hash(check_password(password))
        with self.storage.session() as s:
            row = s.scalar(select(Account).where(Account.name_key == name.strip().casefold()))
            if row is None:
                raise NotFound(f"No account {name!r}", "see `kickcoach users list`")
            now = utcnow()
            row.password_hash, row.password_changed_at = digest, now  # sessions begun before now expire
            s.query(LoginSession).filter(LoginSession.person_id == row.id, LoginSession.ended_at.is_(None)).update(
                {LoginSession.ended_at: now})

    def remove(self, name: str) -> Person:
        with self.storage.session() as s:
            row = s.scalar(select(Account).where(Account.name_key == name.strip().casefold()))
            if row is None:
                raise NotFound(f"No account {name!r}", "see `kickcoach users list`")
            person = person_of(row)
            s.query(LoginSession).filter(LoginSession.person_id == row.id).delete()
            s.delete(row)
        return person

    # --- logging in -----------------------------------------------------------------------------
    def verify(self, name: str, password: str) -> Person | None:
        """The person when ``password`` is theirs, else None. Always costs one argon2 verification."""
        row = self._row(name) if 0 < len(name) <= 64 else None
        digest = row.password_hash if row else self._dummy
        try:
            self.hasher.verify(digest, password[: MAX_PASSWORD_CHARS + 1])
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return None
        if row is None:
            return None
        if self.hasher.check_needs_rehash(digest):
            with self.storage.session() as s:
                fresh = s.get(Account, row.id)
                if fresh is not None:
                    fresh.password_hash = self.hasher.hash(password)
        return person_of(row)

    # --- the old users file ---------------------------------------------------------------------
    def import_users_file(self, path: Path) -> builtins.list[str]:
        """Import ``{name: {password, pair_id[, partner, role, email, display_name]}}`` once: names that exist are
        left alone.

        Without ``partner``, a pair's users get ``a`` then ``b`` in file order. Returns the imported names.
        """
        from kickcoach.core.yamlfile import parse_user_yaml

        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise InputInvalid(f"Cannot read users file {path} ({exc.strerror})", "check KICKCOACH_USERS_FILE") from exc
        raw = parse_user_yaml(text, f"users file {path.name}") or {}
        if not isinstance(raw, dict):
            raise InputInvalid(f"The users file {path} is not a mapping of names", "write name: {password: …, pair_id: …}")
        imported: builtins.list[str] = []
        for name, entry in raw.items():
            if not isinstance(entry, dict) or "password" not in entry:
                raise InputInvalid(f"User {name!r} in {path} needs a password", "write name: {password: …, pair_id: …}")
            if self.get(str(name)):
                continue
            role = entry.get("role", "participant")
            pair_id = entry.get("pair_id")
            partner = entry.get("partner")
            if role == "participant" and partner is None and pair_id:
                taken = {p.partner for p in self.list() if p.pair_id == pair_id}
                partner = next((p for p in PARTNERS if p not in taken), None)
            email, shown = entry.get("email"), entry.get("display_name")
            self.add(str(name), str(entry["password"]), role=role, pair_id=pair_id, partner=partner, check=False,
                     email=str(email) if email else None, display_name=str(shown) if shown else None)
            imported.append(str(name))
        return imported
