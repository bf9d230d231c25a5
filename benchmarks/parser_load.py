"""Four people saving 200 kB of nested ``[`` as their contract, over and over, against another person's chat.

A separate ``kickcoach ui`` process (fake model, loopback HTTP, Gradio's call route as the Contract tab uses it):
the chat's p50 / p95 alone, then while the four savers loop, and the ratio attacked : alone. Issue #21 asks
that the attacked p95 stay under 0.5 s; on a shared 2-core machine most of the rise is the four clients'
request load (a 4-byte save costs about as much as the refused 200 kB one), which the ratio makes visible.

    python benchmarks/parser_load.py [--turns 20]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from contextlib import closing
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from tests.support import ui_server  # noqa: E402
from tests.support.nested_saves import NESTED, PEOPLE, chat_times, client_of, save_over_http  # noqa: E402


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--turns", type=int, default=20)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        database = f"sqlite:///{Path(tmp) / 'shared.db'}"
        ui_server.add_accounts(database, [(n, f"{n}-password-1", p, s) for n, p, s in PEOPLE])
        ui = ui_server.start_ui(Path(tmp) / "home", {"KICKCOACH_DATABASE_URL": database})
        try:
            with closing(client_of(ui, "priya")) as priya:
                chat_times(priya, 3)  # warm
                alone = chat_times(priya, args.turns)
                stop, took = threading.Event(), []

                def attack(name: str) -> None:
                    with closing(client_of(ui, name)) as client:
                        while not stop.is_set():
                            began = time.perf_counter()
                            save_over_http(client, NESTED)
                            took.append(time.perf_counter() - began)

                threads = [threading.Thread(target=attack, args=(n,)) for n in ("tom", "ana", "ben", "tom")]
                for thread in threads:
                    thread.start()
                try:
                    attacked = chat_times(priya, args.turns)
                finally:
                    stop.set()
                    for thread in threads:
                        thread.join(30)
        finally:
            ui.stop()
    print(f"{'row':<22}{'p50 s':>8}{'p95 s':>8}")
    print(f"{'chat alone':<22}{statistics.median(alone):>8.3f}{p95(alone):>8.3f}")
    print(f"{'chat with 4 savers':<22}{statistics.median(attacked):>8.3f}{p95(attacked):>8.3f}")
    print(f"ratio attacked : alone (p95) = {p95(attacked) / p95(alone):.1f}; {len(took)} nested saves, "
          f"median {statistics.median(took) * 1000:.0f} ms per save round trip")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
