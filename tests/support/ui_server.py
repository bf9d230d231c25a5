"""``kickcoach ui`` as a real process on a free loopback port, for multi-process tests and the load test.

    ui = start_ui(home, env={"KICKCOACH_DATABASE_URL": url, ...})   # waits until the page answers
    Client(ui.url, auth=("priya", "…"))
    ui.stop()

The fake backend and hashing embeddings are the defaults (cheap); pass ``env`` to change them. Accounts must
exist before the start: the UI decides at start whether it asks for a login. ``add_accounts`` makes them with
a fast argon2 profile (tests only).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tests.support.ports import free_port

HOST = "127.0.0.1"
START_TIMEOUT_S = 180.0  # a cold start indexes the guidance; two at once on 2 busy cores take a while
STOP_TIMEOUT_S = 10.0
FAST_ARGON2 = {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}
SRC = Path(__file__).resolve().parents[2] / "src"


@dataclass
class UiServer:
    port: int
    home: Path
    log: Path
    process: subprocess.Popen[bytes] = field(repr=False)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}/"

    def log_tail(self, chars: int = 3000) -> str:
        try:
            return self.log.read_text(errors="replace")[-chars:]
        except OSError:
            return "(no log)"

    def stop(self) -> None:
        """SIGTERM, then SIGKILL after a grace period; safe to call twice."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(STOP_TIMEOUT_S)


def ui_env(home: Path, env: dict[str, str] | None = None) -> dict[str, str]:
    """A clean environment for a UI process: no developer KICKCOACH_* settings, the fake model by default."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("KICKCOACH_") and k != "OPENAI_API_KEY"}
    paths = [str(SRC), *(p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p)]
    return {
        **base, "PYTHONPATH": os.pathsep.join(paths), "GRADIO_ANALYTICS_ENABLED": "False", "HF_HUB_OFFLINE": "1",
        "KICKCOACH_HOME": str(home), "KICKCOACH_BACKEND": "fake", "KICKCOACH_EMBEDDINGS": "hashing", **(env or {}),
    }


def launch_ui(home: Path, env: dict[str, str] | None = None, port: int | None = None) -> UiServer:
    """Start ``kickcoach ui`` without waiting for it (see ``wait_ready``)."""
    home = Path(home)
    home.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    log = home / f"ui-{port}.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "kickcoach.cli.main", "ui", "--port", str(port)],
            env=ui_env(home, env), stdout=sink, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )
    return UiServer(port, home, log, process)


def wait_ready(servers: Iterable[UiServer], timeout_s: float = START_TIMEOUT_S) -> None:
    """Return once every server answers HTTP; raise ``RuntimeError`` with the log of one that died or hung."""
    deadline = time.monotonic() + timeout_s
    for server in servers:
        while True:
            if server.process.poll() is not None:
                raise RuntimeError(f"kickcoach ui on port {server.port} exited {server.process.returncode}:\n{server.log_tail()}")
            if _answers(server.url):
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"kickcoach ui on port {server.port} did not answer in {timeout_s:.0f} s:\n{server.log_tail()}")
            time.sleep(0.25)


def start_ui(home: Path, env: dict[str, str] | None = None) -> UiServer:
    server = launch_ui(home, env)
    try:
        wait_ready([server])
    except BaseException:
        server.stop()
        raise
    return server


@contextmanager
def running_uis(base: Path, env: dict[str, str] | None = None, count: int = 2) -> Iterator[list[UiServer]]:
    """``count`` UI processes (homes ``base/home1`` …) sharing ``env``'s database, ready; stopped on exit."""
    servers = [launch_ui(base / f"home{i}", env) for i in range(1, count + 1)]
    try:
        wait_ready(servers)
        yield servers
    finally:
        for server in servers:
            server.stop()


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2.0) as response:
            return bool(response.status < 500)
    except urllib.error.HTTPError as exc:
        return exc.code < 500
    except (urllib.error.URLError, OSError):
        return False


def add_accounts(database_url: str, people: Iterable[tuple[str, str, str, str]]) -> None:
    """Create (name, password, pair, partner) accounts in the shared database, with a fast hash (tests only)."""
    from argon2 import PasswordHasher

    from kickcoach.people.accounts import Accounts
    from kickcoach.storage import Storage

    storage = Storage(database_url)
    accounts = Accounts(storage, hasher=PasswordHasher(**FAST_ARGON2))
    for name, password, pair, partner in people:
        accounts.add(name, password, pair_id=pair, partner=partner)  # type: ignore[arg-type]
    storage.engine.dispose()
