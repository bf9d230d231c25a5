"""Failed-login backoff per name and per address; session expiry; the login attempt that ties them together."""

import datetime as dt

import pytest

from kickcoach.people.accounts import Accounts
from kickcoach.people.login import Login
from kickcoach.people.sessions import IDLE_TIMEOUT, MAX_AGE, Sessions
from kickcoach.people.throttle import (
    BASE_DELAY_S,
    FREE_FAILURES_ADDRESS,
    FREE_FAILURES_USER,
    MAX_DELAY_S,
    MAX_NAME_DELAY_S,
    Throttle,
    address_key,
    delay_after,
    user_key,
)
from kickcoach.storage.models import utcnow


class Clock:
    def __init__(self):
        self.now = utcnow()

    def __call__(self):
        return self.now

    def tick(self, seconds):
        self.now += dt.timedelta(seconds=seconds)


def test_delay_boundaries():
    assert delay_after(FREE_FAILURES_USER, FREE_FAILURES_USER) == 0
    assert delay_after(FREE_FAILURES_USER + 1, FREE_FAILURES_USER) == BASE_DELAY_S
    assert delay_after(FREE_FAILURES_USER + 2, FREE_FAILURES_USER) == 2 * BASE_DELAY_S
    assert delay_after(FREE_FAILURES_USER + 100, FREE_FAILURES_USER) == MAX_DELAY_S


def test_backoff_then_forgiven_on_success(services):
    clock = Clock()
    throttle = Throttle(services.storage, clock)
    key = user_key("Tom")
    for _ in range(FREE_FAILURES_USER):
        assert throttle.failed(key) == 0
    assert throttle.failed(key) == BASE_DELAY_S and throttle.wait_s(key) == BASE_DELAY_S
    clock.tick(BASE_DELAY_S)
    assert throttle.wait_s(key) == 0
    throttle.succeeded(key)
    assert throttle.failures(key) == 0
    assert throttle.free_for(address_key("10.0.0.1")) == FREE_FAILURES_ADDRESS


@pytest.fixture
def login(services, fast_hashes):
    accounts = Accounts(services.storage)
    accounts.add("tom", "toms-password", pair_id="demo", partner="b")
    return Login(accounts, Throttle(services.storage, Clock()))  # a stopped clock: no wait runs out mid-test


def test_a_flood_of_wrong_passwords_is_refused_without_checking(login):
    for i in range(300):
        assert login.attempt("tom", f"guess-{i}", f"10.0.{i // 250}.{i % 250}") is None  # many addresses
    assert login.stats.verified == FREE_FAILURES_USER + 1 and login.stats.refused_throttled == 300 - login.stats.verified
    outcome = login.outcome("tom", "toms-password", "10.0.9.9")  # even the right one waits out the name's delay …
    assert outcome.person is None and outcome.throttled and 0 < outcome.wait_s <= MAX_NAME_DELAY_S


def test_a_name_is_only_ever_delayed_never_locked(login):
    clock = login.throttle.clock
    for i in range(100):  # the guesser waits out each delay, so every guess is checked
        login.attempt("tom", f"guess-{i}", f"10.1.{i}.1")
        clock.tick(login.wait_s("tom", "10.9.9.9"))
    assert login.stats.verified == 100
    assert max(login.stats.waits) == MAX_NAME_DELAY_S  # the name's wait is capped …
    assert login.outcome("tom", "toms-password", "10.9.9.9").person is not None  # … and the owner then gets in


def test_one_address_guessing_many_names_is_throttled_too(login):
    for i in range(FREE_FAILURES_ADDRESS + 10):
        login.attempt(f"user{i}", "guess", "10.0.0.7")
    assert login.stats.verified == FREE_FAILURES_ADDRESS + 1
    assert login.attempt("tom", "toms-password", "10.0.0.8")  # another address is not blocked
    assert delay_after(FREE_FAILURES_ADDRESS + 20, FREE_FAILURES_ADDRESS) > MAX_NAME_DELAY_S  # an address waits longer


def test_sessions_are_created_at_login_and_capped_from_login(services, fast_hashes):
    accounts = Accounts(services.storage)
    tom = accounts.add("tom", "toms-password", pair_id="demo", partner="b")
    clock = Clock()
    sessions = Sessions(services.storage, clock)
    assert not sessions.check("a-token-nobody-issued", tom.person_id)  # never started on first sight
    t1 = sessions.start(tom.person_id)
    assert sessions.check(t1, tom.person_id)
    clock.tick(IDLE_TIMEOUT.total_seconds() - 1)
    assert sessions.check(t1, tom.person_id)
    clock.tick(IDLE_TIMEOUT.total_seconds() + 1)
    assert not sessions.check(t1, tom.person_id) and not sessions.check(t1, tom.person_id)  # stays dead
    t2 = sessions.start(tom.person_id)
    clock.tick(MAX_AGE.total_seconds() - 60)  # unused since login: the cap counts from the login, not first use
    assert not sessions.check(t2, tom.person_id)
    t3 = sessions.start(tom.person_id)
    for _ in range(int(MAX_AGE / (IDLE_TIMEOUT / 2))):
        clock.tick((IDLE_TIMEOUT / 2).total_seconds())
        assert sessions.check(t3, tom.person_id)  # busy, never idle: valid up to MAX_AGE itself
    clock.tick(1)
    assert not sessions.check(t3, tom.person_id)  # at most MAX_AGE, however busy
    t4 = sessions.start(tom.person_id)
    sessions.end(t4)
    assert not sessions.check(t4, tom.person_id)  # logged out


def test_password_change_removal_and_recreation_end_old_sessions(services, fast_hashes):
    accounts = Accounts(services.storage)
    sessions = Sessions(services.storage)
    tom = accounts.add("tom", "toms-password", pair_id="demo", partner="b")
    minted = sessions.start(tom.person_id)  # minted before the change, never used before it
    accounts.set_password("tom", "a brand new password")
    assert not sessions.check(minted, tom.person_id) and sessions.person_id(minted) is None
    fresh = sessions.start(tom.person_id)
    assert sessions.check(fresh, tom.person_id)
    accounts.remove("tom")
    assert sessions.person_id(fresh) is None
    again = accounts.add("tom", "toms-password", pair_id="demo", partner="b")  # the same name, a new person
    assert again.person_id != tom.person_id
    assert sessions.person_id(fresh) is None and not sessions.check(fresh, again.person_id)
