"""A throwaway PostgreSQL cluster for tests: ``initdb`` in a temporary folder, one server on 127.0.0.1.

    server = start_postgres(tmp_dir)      # a few seconds; raises PostgresUnavailable without the binaries
    url = server.new_database("t1")       # postgresql+psycopg://kickcoach@127.0.0.1:PORT/t1
    server.stop()                         # always (an atexit hook is the backstop)

``initdb`` refuses to run as root, so as root the cluster belongs to the unprivileged ``postgres`` system user
(or ``KICKCOACH_TEST_PG_USER``) and lives in a folder of its own under the system temp folder, because
pytest's ``/tmp/pytest-of-root`` is closed to other users. Speed over durability: ``fsync`` is off.
Authentication is ``trust`` on 127.0.0.1 only; the server never listens on another interface.
"""

from __future__ import annotations

import atexit
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from tests.support.ports import free_port

SUPERUSER = "kickcoach"
"""The cluster's superuser (``initdb -U``): tests connect as this role."""

START_TIMEOUT_S = 30

# Read once at import: the test suite's autouse fixture hides KICKCOACH_* variables from each test.
_BIN_DIR = os.environ.get("KICKCOACH_TEST_PG_BIN")
_SERVER_USER = os.environ.get("KICKCOACH_TEST_PG_USER", "postgres")


class PostgresUnavailable(RuntimeError):
    """No ``initdb``/``pg_ctl`` on this machine: the PostgreSQL tests skip with this message."""


def find_bin_dir() -> Path | None:
    """The folder holding ``initdb`` and ``pg_ctl``: ``KICKCOACH_TEST_PG_BIN``, then PATH, then Debian's layout."""
    candidates: list[Path] = []
    if _BIN_DIR:
        candidates.append(Path(_BIN_DIR))
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(Path(on_path).resolve().parent)
    debian = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name) if Path(p).parent.name.isdigit() else 0)
    candidates.extend(Path(p) for p in reversed(debian))
    for folder in candidates:
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            return folder
    return None


def missing_reason() -> str | None:
    """Why the PostgreSQL tests cannot run here, or None when they can."""
    if find_bin_dir() is None:
        return ("no PostgreSQL server binaries (initdb, pg_ctl) on PATH or in /usr/lib/postgresql/*/bin: "
                "install Debian's `postgresql` package to run these tests against PostgreSQL")
    return None


@dataclass
class PostgresServer:
    """A running throwaway cluster. ``url`` points at its ``postgres`` database (for administration)."""

    bin_dir: Path
    root: Path  # the cluster's own folder (data, socket, log); removed by stop()
    port: int
    run_as: str | None  # the system user the server runs as (None: this process's user)
    _stopped: bool = field(default=False, repr=False)

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def log_file(self) -> Path:
        return self.root / "server.log"

    def url_for(self, database: str) -> str:
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    @property
    def url(self) -> str:
        return self.url_for("postgres")

    def execute(self, sql: str, database: str = "postgres") -> list[tuple[object, ...]]:
        """Run one statement outside a transaction (CREATE/DROP DATABASE need that); returns any rows."""
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=self.port, user=SUPERUSER, dbname=database, autocommit=True,
                             connect_timeout=10) as conn:
            cur = conn.execute(sql.encode())
            return list(cur.fetchall()) if cur.description else []

    def new_database(self, name: str, template: str | None = None) -> str:
        """Create database ``name`` (empty, or a copy of ``template``) and return its SQLAlchemy URL."""
        source = f' TEMPLATE "{_ident(template)}" STRATEGY FILE_COPY' if template else " TEMPLATE template0"
        self.execute(f'CREATE DATABASE "{_ident(name)}"{source}')
        return self.url_for(name)

    def drop_database(self, name: str) -> None:
        """Drop ``name``, ending any connection still open to it."""
        self.execute(f'DROP DATABASE IF EXISTS "{_ident(name)}" WITH (FORCE)')

    def stop(self) -> None:
        """Stop the server at once and remove its folder; safe to call twice."""
        if self._stopped:
            return
        self._stopped = True
        try:
            _run(self.bin_dir / "pg_ctl", "-D", str(self.data_dir), "-m", "immediate", "-w", "stop", user=self.run_as,
                 check=False)
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_file.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no server log)"


def _ident(name: str) -> str:
    if not name or '"' in name or "\x00" in name or len(name) > 63:
        raise ValueError(f"bad database name {name!r}")
    return name


def _run(*args: object, user: str | None, check: bool = True, timeout: float = START_TIMEOUT_S) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")} | {"LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}
    extra: dict[str, object] = {}
    if user is not None:
        entry = pwd.getpwnam(user)
        extra = {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": [], "cwd": "/"}
        env["HOME"] = entry.pw_dir
    return subprocess.run([str(a) for a in args], env=env, capture_output=True, text=True, timeout=timeout,
                          check=check, **extra)  # type: ignore[call-overload]


def _server_user() -> str | None:
    """None when this process may run the server itself; else the unprivileged user to run it as."""
    if os.geteuid() != 0:
        return None
    name = _SERVER_USER
    try:
        pwd.getpwnam(name)
    except KeyError as exc:
        raise PostgresUnavailable(f"running as root and there is no {name!r} user to run PostgreSQL as "
                                  "(initdb refuses root): create one or set KICKCOACH_TEST_PG_USER") from exc
    return name


def start_postgres(base_dir: Path) -> PostgresServer:
    """Initialise and start a cluster on a free port of 127.0.0.1; returns once it accepts connections."""
    bin_dir = find_bin_dir()
    if bin_dir is None:
        raise PostgresUnavailable(missing_reason() or "no PostgreSQL binaries")
    user = _server_user()
    base_dir.mkdir(parents=True, exist_ok=True)
    # As root, base_dir usually sits in a folder other users cannot enter: the cluster gets its own folder.
    root = Path(tempfile.mkdtemp(prefix="kickcoach-pg-", dir=None if user else base_dir))
    if user is not None:
        entry = pwd.getpwnam(user)
        os.chown(root, entry.pw_uid, entry.pw_gid)
        (base_dir / "postgres-cluster").write_text(f"{root}\n")  # where to look when debugging
    os.chmod(root, 0o700)
    (root / "socket").mkdir()
    if user is not None:
        os.chown(root / "socket", entry.pw_uid, entry.pw_gid)
    try:
        _run(bin_dir / "initdb", "-D", str(root / "data"), "-U", SUPERUSER, "--auth=trust", "-E", "UTF8",
             "--no-locale", "--no-sync", "--no-instructions", user=user)
    except subprocess.CalledProcessError as exc:
        shutil.rmtree(root, ignore_errors=True)
        raise RuntimeError(f"initdb failed: {exc.stderr.strip() or exc.stdout.strip()}") from exc
    last_error = ""
    for _attempt in range(3):  # a free port can be taken between picking and binding it
        server = PostgresServer(bin_dir=bin_dir, root=root, port=free_port(), run_as=user)
        options = " ".join([
            "-c listen_addresses=127.0.0.1", f"-p {server.port}", f"-k {root / 'socket'}",
            "-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off",
            "-c max_connections=300", "-c shared_buffers=32MB", "-c log_min_messages=warning",
        ])
        done = _run(bin_dir / "pg_ctl", "-D", str(root / "data"), "-l", str(server.log_file), "-o", options,
                    "-w", "-t", str(START_TIMEOUT_S), "start", user=user, check=False, timeout=START_TIMEOUT_S + 5)
        if done.returncode == 0:
            atexit.register(server.stop)
            return server
        last_error = f"{done.stderr.strip()}\n{server.log_tail()}"
        _run(bin_dir / "pg_ctl", "-D", str(root / "data"), "-m", "immediate", "stop", user=user, check=False)
    shutil.rmtree(root, ignore_errors=True)
    raise RuntimeError(f"PostgreSQL did not start: {last_error}")
