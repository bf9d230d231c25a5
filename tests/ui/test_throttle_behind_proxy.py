"""Login throttling behind the README's nginx set-up (``KICKCOACH_UI_TRUSTED_PROXIES=127.0.0.1``): one guesser's
100 wrong logins for tom leave every other account able to log in at once, and tom himself in within a minute.

Each client connects to nginx from its own loopback address (127.0.0.x), so nginx's ``X-Forwarded-For`` carries
a different client address for each, as it would for people on different machines. Skips without ``nginx``.
"""

from __future__ import annotations

import datetime as dt
import shutil
import time

import httpx
import pytest

from kickcoach.people.throttle import MAX_NAME_DELAY_S
from tests.support import ui_server
from tests.ui.test_sticky_proxy import STICKY, proxy

pytestmark = pytest.mark.integration
OWNER_WITHIN_S = 60.0
PEOPLE = [("tom", "tom-password-1", "p1", "b"), ("priya", "priya-password-1", "p1", "a"),
          ("ana", "ana-password-1", "p2", "a"), ("ben", "ben-password-1", "p2", "b")]


def from_address(url: str, address: str) -> httpx.Client:
    return httpx.Client(base_url=url, timeout=30.0, transport=httpx.HTTPTransport(local_address=address))


def log_in(url: str, address: str, name: str, password: str) -> httpx.Response:
    with from_address(url, address) as client:
        return client.post("login", data={"username": name, "password": password}, headers={"accept": "text/html"})


@pytest.fixture(scope="module")
def behind_nginx(tmp_path_factory):
    if shutil.which("nginx") is None:
        pytest.skip("no nginx binary (Debian's `nginx` package) to put in front of the UI")
    base = tmp_path_factory.mktemp("throttle")
    url = f"sqlite:///{base / 'shared.db'}"
    ui_server.add_accounts(url, PEOPLE)
    ui = ui_server.start_ui(base / "home", {"KICKCOACH_DATABASE_URL": url, "KICKCOACH_UI_TRUSTED_PROXIES": "127.0.0.1"})
    process, proxied = proxy(base / "nginx", [ui, ui], STICKY)
    try:
        yield proxied, url
    finally:
        process.terminate()
        process.wait(10)
        ui.stop()


def owner_logs_in(url: str) -> tuple[float, int, list[int]]:
    began, tries, notes = time.perf_counter(), 0, []
    while True:
        tries += 1
        answer = log_in(url, "127.0.0.9", "tom", "tom-password-1")
        if answer.status_code == 303:
            return time.perf_counter() - began, tries, notes
        assert answer.status_code == 429 and "try again in" in answer.text
        notes.append(int(answer.headers["retry-after"]))
        assert notes[-1] <= MAX_NAME_DELAY_S
        time.sleep(notes[-1])


def test_100_wrong_logins_for_one_name_lock_out_no_one(behind_nginx):
    url, database = behind_nginx
    started = time.perf_counter()
    codes = [log_in(url, "127.0.0.66", "tom", f"guess-{i}").status_code for i in range(100)]
    flood_s = time.perf_counter() - started
    assert set(codes) <= {401, 429} and 429 in codes
    others = {}
    for index, (name, password, _, _) in enumerate(PEOPLE[1:], start=2):
        began = time.perf_counter()
        others[name] = (log_in(url, f"127.0.0.{index}", name, password).status_code, time.perf_counter() - began)
    assert all(code == 303 for code, _ in others.values()), others  # in at once: 303 to the app
    owner_s, tries, notes = owner_logs_in(url)
    print(f"\n100 wrong logins for tom in {flood_s:.1f} s ({codes.count(401)} checked and wrong, {codes.count(429)} "
          f"throttled); others in at once: {others}; tom in after {owner_s:.1f} s and {tries} tries (waits told: {notes})")
    assert owner_s < OWNER_WITHIN_S
    # A patient guesser who paced 100 checked guesses over the last hour leaves the name at its longest wait:
    from kickcoach.people.throttle import delay_after, user_key
    from kickcoach.storage import Storage
    from kickcoach.storage.models import LoginThrottle, utcnow

    storage = Storage(database)
    wait = delay_after(100, 5, MAX_NAME_DELAY_S)
    with storage.session() as s:
        s.merge(LoginThrottle(key=user_key("tom"), failures=100, last_failure_at=utcnow(),
                              blocked_until=utcnow() + dt.timedelta(seconds=wait)))
    storage.engine.dispose()
    owner_s, tries, notes = owner_logs_in(url)
    print(f"after 100 paced guesses (wait {wait:.0f} s): tom in after {owner_s:.1f} s and {tries} tries (told {notes})")
    assert owner_s < OWNER_WITHIN_S and notes and notes[0] <= MAX_NAME_DELAY_S
