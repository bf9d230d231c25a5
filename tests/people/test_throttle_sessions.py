"""Failed-login backoff per name and per address; session expiry; the login attempt that ties them together."""

import datetime as dt
import time

import pytest

from kickcoach.people.accounts import Accounts
from kickcoach.people.login import Login
from kickcoach.people.sessions import IDLE_TIMEOUT, MAX_AGE, Sessions
from kickcoach.people.throttle import (
    BASE_DELAY_S,
    FREE_FAILURES_ADDRESS,
    FREE_FAILURES_USER,
    MAX_DELAY_S,
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
        assert login.attempt("tom", f"guess-{i}", "10.0.0.9") is None
    assert login.stats.verified == FREE_FAILURES_USER + 1 and login.stats.refused_throttled == 300 - login.stats.verified
    assert login.attempt("tom", "toms-password", "10.0.0.9") is None  # even the right one waits out the backoff


def test_one_address_guessing_many_names_is_throttled_too(login):
    for i in range(FREE_FAILURES_ADDRESS + 10):
        login.attempt(f"user{i}", "guess", "10.0.0.7")
    assert login.stats.verified == FREE_FAILURES_ADDRESS + 1
    assert login.attempt("tom", "toms-password", "10.0.0.8")  # another address is not blocked


def test_sessions_expire_after_idle_time_max_age_and_password_change(services, fast_hashes):
    accounts = Accounts(services.storage)
    tom = accounts.add("tom", "toms-password", pair_id="demo", partner="b")
    clock = Clock()
    sessions = Sessions(services.storage, clock)
    assert sessions.check("t1", tom.person_id)
    clock.tick(IDLE_TIMEOUT.total_seconds() - 1)
    assert sessions.check("t1", tom.person_id)
    clock.tick(IDLE_TIMEOUT.total_seconds() + 1)
    assert not sessions.check("t1", tom.person_id) and not sessions.check("t1", tom.person_id)  # stays dead
    assert sessions.check("t2", tom.person_id)
    for _ in range(int(MAX_AGE / (IDLE_TIMEOUT / 2))):
        clock.tick((IDLE_TIMEOUT / 2).total_seconds())
        assert sessions.check("t2", tom.person_id)  # busy, never idle: valid up to MAX_AGE itself
    clock.tick(1)
    assert not sessions.check("t2", tom.person_id)  # at most MAX_AGE, however busy
    live = Sessions(services.storage)  # the real clock, as the password change uses
    assert live.check("t3", tom.person_id)
    time.sleep(0.01)
    accounts.set_password("tom", "a brand new password")
    assert not live.check("t3", tom.person_id)
    assert not sessions.check("t4", "someone-removed")
