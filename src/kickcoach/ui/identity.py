"""Who a browser request is, decided on the server and never taken from the page.

With accounts in the database (``kickcoach users add …``; an old ``KICKCOACH_USERS_FILE`` is imported
once, hashed), the UI asks for a login on its own page (``ui.login_routes``), which starts a database session
(``people.sessions``) and sets the ``kickcoach-session`` cookie; every request is then one ``Person``, checked
against that session (expiry, logout, password change, removal). Without accounts the server is
the local owner's: one pair (``KICKCOACH_PAIR_ID``), spoken for as its partner a, on loopback only.
"""

from __future__ import annotations

import contextvars
from typing import TYPE_CHECKING, Any

from kickcoach.core.config import Settings
from kickcoach.core.errors import ConfigError, KickcoachError
from kickcoach.core.person import Person, local_owner
from kickcoach.people.context import TurnContext

if TYPE_CHECKING:
    from kickcoach.people.accounts import Accounts
    from kickcoach.people.login import Login
    from kickcoach.people.sessions import Sessions
    from kickcoach.services import Services
    from kickcoach.storage import Storage

client_address: contextvars.ContextVar[str | None] = contextvars.ContextVar("client_address", default=None)
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class NotLoggedIn(KickcoachError):
    """The request has no live login (never logged in, logged out, or the session expired)."""


SESSION_COOKIE = "kickcoach-session"


def login_token(request: Any) -> str | None:
    """The login session's token from the request's cookies."""
    cookies = getattr(request, "cookies", None) or {}
    pairs = cookies.items() if hasattr(cookies, "items") else cookies  # a dict, or Gradio's (name, value) pairs
    for key, value in pairs:
        if str(key) == SESSION_COOKIE:
            return str(value)
    return None


class Identity:
    def __init__(self, settings: Settings, storage: Storage | None = None) -> None:
        self.settings = settings
        self.accounts: Accounts | None = None
        self.sessions: Sessions | None = None
        self.login: Login | None = None
        if storage is not None:
            from kickcoach.people.accounts import Accounts
            from kickcoach.people.login import Login
            from kickcoach.people.sessions import Sessions
            from kickcoach.people.throttle import Throttle

            self.accounts = Accounts(storage)
            if settings.users_file:
                from kickcoach.programme.links import link_account

                for name in self.accounts.import_users_file(settings.users_file):
                    link_account(storage, self.accounts.require(name))  # its programme enrolments, by email
            self.sessions = Sessions(storage)
            self.login = Login(self.accounts, Throttle(storage))
        elif settings.users_file:
            raise ConfigError("A users file needs the database", "build Identity with the app's storage")
        self.enabled = bool(self.accounts and self.accounts.count())
        from kickcoach.ui.exports import Exports

        self.exports = Exports(settings.home)

    def export(self, request: Any, stem: str, suffix: str, text: str) -> str:
        """Write a download for the request's person only (see ``ui.exports``); returns its path."""
        return self.exports.write(self.speaker(request), stem, suffix, text)

    # --- logging in -----------------------------------------------------------------------------
    def person_from_cookies(self, cookies: dict[str, str]) -> Person | None:
        """The person whose live session the cookies carry; the local owner without accounts; else None."""
        if not self.enabled or self.accounts is None or self.sessions is None:
            return local_owner(self.settings.pair_id)
        token = cookies.get(SESSION_COOKIE)
        person_id = self.sessions.person_id(token) if token else None
        return self.accounts.by_id(person_id) if person_id else None

    def auth_dependency(self, request: Any) -> str | None:
        """Gradio's ``auth_dependency``: the login name ``RequestGuard`` found for this request."""
        person = request.scope.get("kickcoach_person")
        if person is None and not self.enabled:
            return None
        return person.name if isinstance(person, Person) else None

    def check_exposure(self, host: str, share: bool) -> None:
        """Refuse to serve beyond loopback, or through a share link, with no accounts."""
        if self.enabled or (host in LOOPBACK and not share):
            return
        where = "a public share link" if share else f"host {host!r}"
        raise ConfigError(
            f"Refusing to serve the UI on {where} without accounts: anyone who can reach it would read every chat",
            "add accounts first (`kickcoach users add NAME --pair PAIR --partner a --password-stdin`), "
            "or serve on 127.0.0.1 without --share",
        )

    # --- who is asking --------------------------------------------------------------------------
    def speaker(self, request: Any) -> Person:
        if not self.enabled or self.accounts is None or self.sessions is None:
            return local_owner(self.settings.pair_id)
        username = getattr(request, "username", None)
        person = self.accounts.get(username) if username else None
        token = login_token(request)
        if person is None or token is None:
            raise NotLoggedIn("This session is not logged in", "reload the page and log in")
        if not self.sessions.check(token, person.person_id):
            raise NotLoggedIn("Your session has expired", "reload the page and log in again")
        return person

    def pair_id(self, request: Any) -> str:
        return _own_pair(self.speaker(request))

    def context(self, storage: Storage, request: Any) -> TurnContext:
        """Who the request speaks as, resolved once: the login's person, their pair and their view of its data."""
        person = self.speaker(request)
        return TurnContext.of(storage, person, _own_pair(person))

    def services(self, services: Services, request: Any) -> Services:
        """``services`` as the request's person: every ``pair()`` is their own view."""
        return services.as_speaker(self.speaker(request))

    def who(self, request: Any) -> str:
        """The "logged in as" line for the page header."""
        try:
            person = self.speaker(request)
        except KickcoachError as exc:
            return f"*{exc}*"
        if person.is_local:
            return f"Local use, pair `{person.pair_id}` (partner A). Add accounts to log in as each partner."
        role = ("facilitator" if person.is_facilitator else "no pair yet" if person.pair_id is None
                else f"pair `{person.pair_id}`, partner {str(person.partner).upper()}")
        return f"Logged in as **{person.name}** ({role})"


def _own_pair(person: Person) -> str:
    """The person's pair; a facilitator or a participant not paired yet has no pair's content to open."""
    if person.pair_id is None and person.is_facilitator:
        raise NotLoggedIn(f"{person.name} is a facilitator", "facilitators see programme data, not a pair's content")
    if person.pair_id is None:
        raise NotLoggedIn(f"{person.name} has no pair yet",
                          "your pair arrives when the facilitator publishes your programme pairing (see My programme)")
    return person.pair_id

