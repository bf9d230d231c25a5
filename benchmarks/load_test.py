"""A bounded load test on loopback: N simulated users × T chat turns through the documented API
(``/chat_send`` with ``gradio_client``) against real ``kickcoach ui`` processes, then a check of the database
for lost turns. Reports p50/p95 turn latency, errors, lost turns and the worst place in the queue a user saw.

    python benchmarks/load_test.py                                  # 20 users × 10 turns, the default embedded engine
    python benchmarks/load_test.py --model-text always --users 5 --turns 2   # every turn reaches the one embedded model
    python benchmarks/load_test.py --backend fake --embeddings hashing --processes 2   # two UI processes, one database
    python benchmarks/load_test.py --processes 2 --postgres --chroma-server   # throwaway PostgreSQL + `chroma run`
    python benchmarks/load_test.py --database-url postgresql+psycopg://…  --chroma-host 127.0.0.1 --chroma-port 8000

Accounts are made first (users 2k and 2k+1 partners of one pair, or ``--pairing solo``), with a fast argon2
profile: logins are not what is measured here (see login_and_input_limits.py). The baseline in the same run is
one user alone sending the same turns (``solo_p50_s``): the ratio p50 / solo p50 is what concurrency costs.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.support

from tests.support import load, ui_server  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--turns", type=int, default=10)
    parser.add_argument("--backend", default="embedded", help="embedded (default), fake or openai:<model>")
    parser.add_argument("--embeddings", default="minilm", choices=["minilm", "hashing"])
    parser.add_argument("--model-text", default="auto", choices=["auto", "always", "never"],
                        help="KICKCOACH_COACH_MODEL_TEXT: always = every turn asks the model to reword")
    parser.add_argument("--pairing", default="pairs", choices=["pairs", "solo"])
    parser.add_argument("--processes", type=int, default=1, help="UI processes sharing the database; users round-robin")
    parser.add_argument("--think-s", type=float, default=0.0, help="pause between a user's turns (0: closed loop)")
    parser.add_argument("--database-url", default=None, help="default: a SQLite file in a temp folder")
    parser.add_argument("--chroma-host", default=None)
    parser.add_argument("--chroma-port", default=None)
    parser.add_argument("--postgres", action="store_true", help="start a throwaway PostgreSQL (tests/support/postgres.py)")
    parser.add_argument("--chroma-server", action="store_true", help="start a throwaway `chroma run` (tests/support)")
    parser.add_argument("--chat-concurrency", type=int, default=None, help="KICKCOACH_UI_CHAT_CONCURRENCY (default: auto)")
    parser.add_argument("--json-out", type=Path, default=None)
    args = parser.parse_args()

    base = Path(tempfile.mkdtemp(prefix="kickcoach-load-"))
    started: list = []  # throwaway servers this run started, stopped at the end
    try:
        _run(args, base, started)
    finally:
        for server in reversed(started):
            server.stop()


def _run(args: argparse.Namespace, base: Path, started: list) -> None:
    if args.postgres:
        from tests.support.postgres import start_postgres

        started.append(start_postgres(base / "postgres"))
        args.database_url = started[-1].new_database("kickcoach_load")
    if args.chroma_server:
        from tests.support.chroma_server import start_chroma

        started.append(start_chroma(base / "chroma"))
        args.chroma_host, args.chroma_port = started[-1].host, started[-1].port
    database_url = args.database_url or f"sqlite:///{base / 'shared.db'}"
    env = {"KICKCOACH_DATABASE_URL": database_url, "KICKCOACH_BACKEND": args.backend,
           "KICKCOACH_EMBEDDINGS": args.embeddings, "KICKCOACH_COACH_MODEL_TEXT": args.model_text}
    if args.chat_concurrency:
        env["KICKCOACH_UI_CHAT_CONCURRENCY"] = str(args.chat_concurrency)
    if args.chroma_host:
        env |= {"KICKCOACH_CHROMA_HOST": args.chroma_host, "KICKCOACH_CHROMA_PORT": str(args.chroma_port or 8000)}
    accounts = load.accounts_for(args.users, pairing=args.pairing)
    solo = load.accounts_for(1, pairing="solo", prefix="solo")
    ui_server.add_accounts(database_url, [(a.name, a.password, a.pair, a.partner) for a in accounts + solo])
    servers = [ui_server.launch_ui(base / f"home{i}", env) for i in range(args.processes)]
    try:
        ui_server.wait_ready(servers)
        urls = [s.url for s in servers]
        # warm-up and baseline: one user alone (the first turn also fits the turn classifier and loads the model)
        load.drive(urls[0], solo, 1)
        baseline = load.drive(urls[0], solo, args.turns)
        groups = [accounts[i::len(urls)] for i in range(len(urls))]
        reports = _drive_all(urls, groups, args.turns, args.think_s)
        report = load.LoadReport(args.users, args.turns, max(r.wall_s for r in reports))
        for r in reports:
            report.turns += r.turns
            report.login_errors += r.login_errors
        load.check_storage(report, database_url)
    finally:
        for server in servers:
            server.stop()
    summary = {
        **report.summary(), "solo_p50_s": round(baseline.percentile(50), 3),
        "p50_vs_solo": round(report.percentile(50) / baseline.percentile(50), 1) if baseline.latencies else None,
        "backend": args.backend, "embeddings": args.embeddings, "model_text": args.model_text,
        "processes": args.processes, "pairing": args.pairing, "chat_concurrency": args.chat_concurrency or "auto",
        "database": "postgresql" if database_url.startswith("postgresql") else "sqlite",
        "chroma": "server" if args.chroma_host else "embedded",
    }
    print(json.dumps(summary, indent=2))
    for line in (report.errors + report.lost)[:20]:
        print("  !", line)
    if args.json_out:
        args.json_out.write_text(json.dumps({"summary": summary, "errors": report.errors, "lost": report.lost}, indent=2))
    raise SystemExit(1 if report.errors or report.lost else 0)


def _drive_all(urls: list[str], groups: list[list[load.Account]], turns: int, think_s: float) -> list[load.LoadReport]:
    """Drive each process's users at the same time (one thread per process, each with its own users)."""
    import threading

    reports: list[load.LoadReport] = [load.LoadReport(0, turns, 0.0) for _ in urls]

    def run(i: int) -> None:
        reports[i] = load.drive(urls[i], groups[i], turns, think_s=think_s)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(urls)) if groups[i]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return reports


if __name__ == "__main__":
    main()
