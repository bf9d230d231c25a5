"""A throwaway Chroma server for tests: ``chroma run`` on a free loopback port, its data in a temp folder.

    server = start_chroma(tmp_path_factory.mktemp("chroma"))   # waits until the heartbeat answers
    Settings(chroma_host=server.host, chroma_port=server.port, ...)
    server.stop()

``start_chroma`` raises :class:`ChromaBinaryMissing` (a ``FileNotFoundError``) when no ``chroma`` command is
installed, so a fixture can skip with that reason; any other failure to start raises ``RuntimeError`` with the
server's log.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from tests.support.ports import free_port

HOST = "127.0.0.1"
START_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 10.0


class ChromaBinaryMissing(FileNotFoundError):
    """No ``chroma`` command next to this Python or on the PATH."""


def chroma_binary() -> str | None:
    """The ``chroma`` CLI of this environment (next to the interpreter), else the one on the PATH."""
    beside = Path(sys.executable).parent / "chroma"
    if beside.is_file():
        return str(beside)
    return shutil.which("chroma")


@dataclass
class ChromaServer:
    host: str
    port: int
    path: Path
    log: Path
    process: subprocess.Popen[bytes] = field(repr=False)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def alive(self) -> bool:
        return self.process.poll() is None and _heartbeat(self.url)

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL after a grace period); safe to call twice."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(STOP_TIMEOUT_S)


def _heartbeat(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1.0) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def start_chroma(base_dir: Path, *, timeout_s: float = START_TIMEOUT_S, attempts: int = 3) -> ChromaServer:
    """Start ``chroma run`` on a free loopback port with its data under ``base_dir``; return once it answers."""
    binary = chroma_binary()
    if binary is None:
        raise ChromaBinaryMissing("no `chroma` command (pip package chromadb) next to this Python or on the PATH")
    base_dir = Path(base_dir)
    base_dir.mkdir(parents=True, exist_ok=True)
    last_log = ""
    for _attempt in range(attempts):  # a port picked free can be taken before the server binds it: retry
        port = free_port()
        data = base_dir / f"data-{port}"
        log = base_dir / f"chroma-{port}.log"
        with log.open("wb") as sink:
            process = subprocess.Popen(
                [binary, "run", "--path", str(data), "--host", HOST, "--port", str(port)],
                stdout=sink, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            )
        server = ChromaServer(HOST, port, data, log, process)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline and process.poll() is None:
            if _heartbeat(server.url):
                return server
            time.sleep(0.1)
        server.stop()
        last_log = log.read_text(errors="replace")[-2000:]
    raise RuntimeError(f"chroma run did not answer on {HOST} after {attempts} attempts; last log:\n{last_log}")
