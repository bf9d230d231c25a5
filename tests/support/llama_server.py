"""Start llama-cpp-python's OpenAI-compatible server on loopback for tests, serving the bundled GGUF.

``start_llama_server(base_dir)`` runs ``python -m kickcoach.llm.llama_server`` (``llama_cpp.server`` with
llama.cpp's extra CPU buffer types off, which AMX Xeons need) on a free port, waits until ``/v1/models``
answers, and returns a :class:`LlamaServer`; ``stop()`` ends it. The log is kept in ``base_dir``.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import kickcoach
from tests.support.ports import free_port

ALIAS = "smollm2"
READY_TIMEOUT_S = 90.0
SERVER_MODULES = ("llama_cpp.server", "sse_starlette", "starlette_context", "fastapi", "uvicorn")


def missing_server_modules() -> list[str]:
    """The server extra's modules that are not installed (the fixture skips, naming them)."""
    return [name for name in SERVER_MODULES if importlib.util.find_spec(name) is None]


@dataclass
class LlamaServer:
    process: subprocess.Popen[bytes]
    port: int
    log: Path
    model: str = ALIAS
    _stopped: bool = field(default=False, repr=False)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def _ready(url: str) -> bool:
    import httpx

    try:
        return httpx.get(url, timeout=2.0).status_code == 200
    except httpx.HTTPError:
        return False


def start_llama_server(base_dir: Path, *, n_ctx: int = 2048, timeout_s: float = READY_TIMEOUT_S) -> LlamaServer:
    """Start the server and wait for it; raise RuntimeError (with the log's tail) if it does not come up."""
    from kickcoach.llm.embedded import bundled_gguf_path

    base_dir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log = base_dir / "llama_server.log"
    src = str(Path(kickcoach.__file__).resolve().parent.parent)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (src, os.environ.get("PYTHONPATH")) if p)}
    command = [
        sys.executable, "-m", "kickcoach.llm.llama_server",
        "--model", str(bundled_gguf_path()), "--model_alias", ALIAS,
        "--host", "127.0.0.1", "--port", str(port), "--n_ctx", str(n_ctx), "--n_threads", "2",
    ]
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=base_dir)
    server = LlamaServer(process=process, port=port, log=log)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"llama_cpp.server exited with {process.returncode}:\n{server.log_tail()}")
        if _ready(f"{server.base_url}/models"):
            return server
        time.sleep(0.25)
    server.stop()
    raise RuntimeError(f"llama_cpp.server did not answer /v1/models in {timeout_s:g} s:\n{server.log_tail()}")
