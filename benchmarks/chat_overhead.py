"""Chat pipeline overhead vs the bare embedded model, measured in one run on the same prompts.

For each message: the full chat turn (save, request check, retrieval, prompt, model, guard, save) and a
direct ``model.stream`` of the *same final prompt* are timed, in alternating order, with llama.cpp's
prompt cache cleared before each run so neither reuses the other's work. Sampling is seeded, so both
generate the same tokens. Prints time-to-first-token and total time for both, and their ratios.

    python benchmarks/chat_overhead.py [--rounds 2]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from kickcoach.config import Settings
from kickcoach.flows.chat import CoachChat
from kickcoach.guard import asked
from kickcoach.knowledge.retrieve import retrieve
from kickcoach.services import Services

MESSAGES = [
    "How often should peer mentors meet?",
    "What goes into a peer-mentor contract?",
    "My partner keeps cancelling our meetings and I'm annoyed.",
    "What should I do before I ask my boss for a raise? Any tips?",
    "How do we check that the exchange is fair to both of us?",
]


def raw_run(services: Services, messages) -> tuple[float, float]:
    model = services.model
    model.reset()
    start = time.perf_counter()
    first = None
    for _ in model.stream(messages):
        first = first or time.perf_counter() - start
    return first or float("nan"), time.perf_counter() - start


def pipeline_run(coach: CoachChat, message: str) -> tuple[float, float, float]:
    coach.services.model.reset()
    start = time.perf_counter()
    result = coach.ask("demo", None, message)
    total = time.perf_counter() - start
    return result.model_first_token_s or float("nan"), result.first_token_s or float("nan"), total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        services = Services(Settings(backend="embedded", home=Path(home), _env_file=None))
        from kickcoach.bootstrap import prepare

        prepare(services)
        coach = CoachChat(services)
        coach.ask("demo", None, "warm-up")  # load the model and the embedder outside the timings
        rows = []
        for round_ in range(args.rounds):
            for i, message in enumerate(MESSAGES):
                sources = retrieve(services.ready_store(), "demo", message, k=services.settings.top_k)
                _, final = coach.build_messages([], message, sources, asked([], message).asked)
                if (i + round_) % 2:
                    raw = raw_run(services, final)
                    pipe = pipeline_run(coach, message)
                else:
                    pipe = pipeline_run(coach, message)
                    raw = raw_run(services, final)
                rows.append((message, raw, pipe))
        print(f"{'message':52} {'raw ttft':>9} {'pipe ttft':>9} {'pipe shown':>10} {'raw total':>9} {'pipe total':>10}")
        for message, raw, pipe in rows:
            print(f"{message[:52]:52} {raw[0]:9.2f} {pipe[0]:9.2f} {pipe[1]:10.2f} {raw[1]:9.2f} {pipe[2]:10.2f}")
        med = statistics.median
        ttft_ratio = med(p[0] for _, _, p in rows) / med(r[0] for _, r, _ in rows)
        shown_ratio = med(p[1] for _, _, p in rows) / med(r[0] for _, r, _ in rows)
        total_ratio = med(p[2] for _, _, p in rows) / med(r[1] for _, r, _ in rows)
        print()
        print("| median over runs | ratio pipeline / raw model |")
        print("|---|---|")
        print(f"| time to first token (model) | {ttft_ratio:.2f}x |")
        print(f"| time to first text shown (after the guard) | {shown_ratio:.2f}x |")
        print(f"| total time | {total_ratio:.2f}x |")


if __name__ == "__main__":
    main()
