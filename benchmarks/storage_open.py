"""Benchmark opening the database on start, when its schema is already at the newest migration.

    python benchmarks/storage_open.py [--repeat 50]

``Storage(url)`` checks the revision (and migrates only when behind) on every start. Measured in the same run,
median of ``--repeat``: (a) the baseline, a fresh engine answering ``SELECT 1``; (b) ``Storage(url)`` at head.
On SQLite, and on a throwaway PostgreSQL cluster when its binaries are installed (tests/support/postgres.py).
Prints markdown: seconds and the ratio to the baseline.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa

from kickcoach.storage import Storage
from tests.support import postgres


def _median_s(make: Callable[[], sa.Engine], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        engine = make()
        times.append(time.perf_counter() - started)
        engine.dispose()
    return statistics.median(times)


def _baseline(url: str) -> sa.Engine:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        conn.execute(sa.text("SELECT 1"))
    return engine


def _measure(name: str, url: str, repeat: int) -> str:
    Storage(url).engine.dispose()  # migrate once, outside the timing
    base = _median_s(lambda: _baseline(url), repeat)
    opened = _median_s(lambda: Storage(url).engine, repeat)
    return f"| {name} | {base * 1000:.1f} ms | {opened * 1000:.1f} ms | {opened / base:.1f}× |"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    rows = ["| database | engine + SELECT 1 | Storage(url) at head | ratio |", "|---|---|---|---|"]
    with tempfile.TemporaryDirectory() as folder:
        rows.append(_measure("SQLite", f"sqlite:///{Path(folder) / 'bench.db'}", args.repeat))
        if postgres.missing_reason() is None:
            server = postgres.start_postgres(Path(folder) / "pg")
            try:
                rows.append(_measure("PostgreSQL", server.new_database("bench"), args.repeat))
            finally:
                server.stop()
        else:
            rows.append(f"| PostgreSQL | skipped: {postgres.missing_reason()} | | |")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
