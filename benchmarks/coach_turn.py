"""A warm chat turn through the UI's handler, against baselines measured in the same run.

The coach engine answers without a model call, so a warm turn costs retrieval (one query embedding and a
Chroma query), the turn classifier (one more embedding and two small matrix products), composition and two
database writes. Measured here, on the default embedded setup (MiniLM, SQLite, embedded Chroma):

- ``engine``: ``ChatHandlers.send`` — what the Gradio UI calls — for every user turn of the held-out coach
  conversations (``evals/cases/coach/conversations.yaml``), conversation by conversation;
- ``retrieval``: ``retrieve`` alone on the same messages (the floor no design can go under);
- ``model``: the bundled SmolLM2 writing a reply to the same message (what a model-first turn would wait for),
  on the first ``--model-turns`` messages.

Prints p50 / p95 per row and the ratios engine : retrieval and model : engine.

    python benchmarks/coach_turn.py [--model-turns 10]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

import yaml

from kickcoach.bootstrap import prepare
from kickcoach.core.config import Settings
from kickcoach.core.paths import bundled
from kickcoach.knowledge.retrieve import retrieve
from kickcoach.services import Services
from kickcoach.ui.chat_tab import ChatHandlers
from kickcoach.ui.identity import Identity


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model-turns", type=int, default=10)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp())
    services = Services(Settings(backend="embedded", embeddings="minilm", home=home, _env_file=None))
    prepare(services)
    handlers = ChatHandlers(services, Identity(services.settings, services.storage))
    request = SimpleNamespace(username=None)
    conversations = yaml.safe_load((bundled("evals") / "cases" / "coach" / "conversations.yaml").read_text())
    messages = [[t["user"] for t in c["turns"]] for c in conversations["conversations"]]
    list(handlers.send("Hello", None, request))  # warm: classifier heads, encoder, database

    engine: list[float] = []
    for conversation in messages:
        conversation_id = None
        for message in conversation:
            start = time.perf_counter()
            *_, (_, _, conversation_id) = handlers.send(message, conversation_id, request)
            engine.append(time.perf_counter() - start)

    flat = [m for c in messages for m in c]
    retrieval: list[float] = []
    for message in flat:
        start = time.perf_counter()
        retrieve(services.store, "demo", message, k=services.settings.top_k)
        retrieval.append(time.perf_counter() - start)

    model = services.model
    model_times: list[float] = []
    for message in flat[: args.model_turns]:
        start = time.perf_counter()
        model.invoke(message)
        model_times.append(time.perf_counter() - start)

    rows = {"engine turn (UI handler)": engine, "retrieval alone": retrieval, "bundled model reply": model_times}
    print(f"{'what':28} {'n':>4} {'p50 ms':>8} {'p95 ms':>8}")
    for name, values in rows.items():
        if values:  # --model-turns 0 skips the model row
            print(f"{name:28} {len(values):>4} {1000 * statistics.median(values):>8.0f} {1000 * pct(values, 0.95):>8.0f}")
    ratios = [f"engine : retrieval (p50) = {statistics.median(engine) / statistics.median(retrieval):.1f}x",
              f"engine : retrieval (p95) = {pct(engine, 0.95) / pct(retrieval, 0.95):.1f}x"]
    if model_times:
        ratios.append(f"model : engine (p50) = {statistics.median(model_times) / statistics.median(engine):.1f}x")
    print("; ".join(ratios))

if __name__ == "__main__":
    main()
