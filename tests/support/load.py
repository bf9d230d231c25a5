"""Simulated users driving a served kickcoach through the documented API (``gradio_client``), for the load
test (``benchmarks/load_test.py``) and its small pytest version.

Each user logs in, then sends ``turns`` chat turns one after another (``/chat_send``), each in one
conversation; every turn's wall time is measured from submit to result, and while a turn waits its job
status is polled for its place in Gradio's queue. Afterwards the database itself is read: a *lost* turn is
a sent message that is not stored, or whose reply is missing or not complete.
"""

from __future__ import annotations

import statistics
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

MESSAGES = (
    "I keep putting off my blog articles.",
    "How often should peer mentors meet?",
    "Tom cancelled our meeting again.",
    "I finally finished the first draft of my talk!",
    "What are my goals?",
    "Any tips for staying on track?",
    "I feel nervous about presenting to the leadership team.",
    "We agreed to swap feedback every Thursday.",
    "I'm not sure my goal still fits.",
    "Thanks, that helps.",
)
POLL_S = 0.02
CLIENT_TIMEOUT_S = 120.0  # a turn that waits in the queue behind the one model may take a while; never a failure


@dataclass
class Account:
    name: str
    password: str
    pair: str
    partner: str


@dataclass
class Turn:
    user: str
    index: int
    message: str
    latency_s: float
    error: str | None
    conversation_id: str | None
    max_rank: int | None  # 1-based place in the queue at its worst (None: never queued)
    max_queue: int | None


@dataclass
class LoadReport:
    users: int
    turns_per_user: int
    wall_s: float
    turns: list[Turn] = field(default_factory=list)
    login_errors: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)  # what is missing from storage, one line each

    @property
    def latencies(self) -> list[float]:
        return sorted(t.latency_s for t in self.turns if t.error is None)

    def percentile(self, p: float) -> float:
        values = self.latencies
        if not values:
            return float("nan")
        return values[min(len(values) - 1, max(0, round(p / 100 * len(values) + 0.5) - 1))]  # nearest rank

    @property
    def errors(self) -> list[str]:
        return self.login_errors + [f"{t.user} turn {t.index}: {t.error}" for t in self.turns if t.error]

    @property
    def max_rank(self) -> int:
        return max((t.max_rank or 0 for t in self.turns), default=0)

    @property
    def max_queue(self) -> int:
        return max((t.max_queue or 0 for t in self.turns), default=0)

    def summary(self) -> dict[str, Any]:
        sent = self.users * self.turns_per_user
        return {
            "users": self.users, "turns_per_user": self.turns_per_user, "turns_sent": sent,
            "turns_answered": len(self.latencies), "errors": len(self.errors), "lost": len(self.lost),
            "p50_s": round(self.percentile(50), 3), "p95_s": round(self.percentile(95), 3),
            "max_s": round(max(self.latencies, default=float("nan")), 3),
            "mean_s": round(statistics.fmean(self.latencies), 3) if self.latencies else None,
            "throughput_turns_per_s": round(len(self.latencies) / self.wall_s, 2) if self.wall_s else None,
            "wall_s": round(self.wall_s, 1), "queued_turns": sum(1 for t in self.turns if t.max_rank),
            "max_queue_rank": self.max_rank, "max_queue_size": self.max_queue,
        }


def accounts_for(users: int, *, pairing: str = "pairs", prefix: str = "user") -> list[Account]:
    """``pairs``: users 2k and 2k+1 are partners a and b of one pair (as a programme pairs them);
    ``solo``: each user is partner a of a pair of their own."""
    made = []
    for i in range(users):
        pair = f"{prefix}-{i // 2 if pairing == 'pairs' else i}"
        partner = ("a", "b")[i % 2] if pairing == "pairs" else "a"
        made.append(Account(f"{prefix}{i:02d}", f"{prefix}-{i:02d}-password", pair, partner))
    return made


def _status(job: Any) -> tuple[int | None, int | None]:
    from gradio_client.utils import Status

    status = job.status()
    if status.code == Status.IN_QUEUE and status.rank is not None:
        return int(status.rank) + 1, int(status.queue_size) if status.queue_size is not None else None
    return None, None


def login(url: str, account: Account) -> Any:
    from gradio_client import Client

    return Client(url, auth=(account.name, account.password), verbose=False, httpx_kwargs={"timeout": CLIENT_TIMEOUT_S})


def _user(client: Any, account: Account, turns: int, think_s: float, report: LoadReport, lock: threading.Lock,
          start: threading.Barrier) -> None:
    start.wait()  # every user starts sending at once
    conversation: str | None = None
    for index in range(turns):
        message = f"{MESSAGES[index % len(MESSAGES)]} ({account.name} turn {index})"
        began = time.perf_counter()
        max_rank = max_queue = None
        error: str | None = None
        try:
            job = client.submit(message, conversation, api_name="/chat_send")
            while not job.done():
                rank, size = _status(job)
                if rank is not None:
                    max_rank, max_queue = max(rank, max_rank or 0), max(size or 0, max_queue or 0)
                time.sleep(POLL_S)
            answer = job.result()
            error = answer.get("error") or (None if answer.get("reply") else "empty reply")
            conversation = answer.get("conversation_id") or conversation
        except Exception as exc:  # noqa: BLE001 - every failure is counted, never hidden
            error = f"{type(exc).__name__}: {exc}"
        turn = Turn(account.name, index, message, time.perf_counter() - began, error, conversation, max_rank, max_queue)
        with lock:
            report.turns.append(turn)
        if think_s:
            time.sleep(think_s)


def drive(url: str, accounts: Sequence[Account], turns: int, *, think_s: float = 0.0) -> LoadReport:
    """Every account sends ``turns`` turns at once against ``url``; returns the measurements (no storage check)."""
    report = LoadReport(len(accounts), turns, 0.0)
    lock = threading.Lock()
    clients = []
    for account in accounts:  # logins one after another (they are not what is measured), then all at once
        try:
            clients.append((login(url, account), account))
        except Exception as exc:  # noqa: BLE001 - a failed login is an error of the run, counted
            report.login_errors.append(f"{account.name} login: {type(exc).__name__}: {exc}")
    start = threading.Barrier(len(clients) + 1)
    threads = [threading.Thread(target=_user, args=(c, a, turns, think_s, report, lock, start), daemon=True)
               for c, a in clients]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    report.wall_s = time.perf_counter() - began
    return report


def check_storage(report: LoadReport, database_url: str) -> list[str]:
    """Read the database itself: every sent message stored once as a user turn, followed by a complete reply."""
    from sqlalchemy import select

    from kickcoach.storage import Storage
    from kickcoach.storage.models import Turn as Row

    storage = Storage(database_url)
    lost: list[str] = []
    try:
        with storage.session() as s:
            rows = list(s.scalars(select(Row).order_by(Row.id)))
        by_conversation: dict[str, list[Row]] = {}
        for row in rows:
            by_conversation.setdefault(row.conversation_id, []).append(row)
        for turn in report.turns:
            if turn.conversation_id is None:
                lost.append(f"{turn.user} turn {turn.index}: no conversation")
                continue
            stored = by_conversation.get(turn.conversation_id, [])
            found = [i for i, r in enumerate(stored) if r.role == "user" and r.content == turn.message]
            if len(found) != 1:
                lost.append(f"{turn.user} turn {turn.index}: stored {len(found)} times")
                continue
            reply = stored[found[0] + 1] if found[0] + 1 < len(stored) else None
            if reply is None or reply.role != "assistant" or reply.status or not reply.content:
                lost.append(f"{turn.user} turn {turn.index}: reply missing or incomplete")
    finally:
        storage.engine.dispose()
    report.lost = lost
    return lost
