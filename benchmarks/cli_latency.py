"""Wall time of the one-shot ``kickcoach chat -m … --json`` (a fresh process each time, offline), against a
baseline measured in the same run: a fresh process that only loads the bundled model and answers the same
question with a one-line system prompt. The ratio says what the whole pipeline (settings, storage, index,
query embedding, retrieval, guard, saving) costs on top of the model itself.

Two CLI rows, both on the same question: the default coach (the conversation engine composes the reply; the
embedded model is not called for a chat turn, ``KICKCOACH_COACH_MODEL_TEXT=auto``), and the coach with model
wording forced on (``KICKCOACH_COACH_MODEL_TEXT=always``: the model loads and rewords the engine's reply, so the
process does everything the bare one does, plus the pipeline). The acceptance ratio is the default's.

    python benchmarks/cli_latency.py [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

QUESTION = "How often should peer mentors meet?"
BASELINE = f"""
import kickcoach  # same OpenMP settings as the app
from langchain_core.messages import HumanMessage, SystemMessage
from kickcoach.core.config import Settings
from kickcoach.llm import build_chat_model
model = build_chat_model(Settings(backend="embedded", _env_file=None))
print(model.invoke([SystemMessage("You are a peer-mentoring coach. Answer in 2 to 4 short sentences."),
                    HumanMessage({QUESTION!r})]).content)
"""


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "KICKCOACH_HOME": home, "HF_HUB_OFFLINE": "1", "KICKCOACH_BACKEND": "embedded"}
        cli = [sys.executable, "-m", "kickcoach.cli.main", "chat", "-m", QUESTION, "--json"]
        first = timed(cli, env)  # first start: exports the ONNX encoder, indexes the guidance, fits the turn heads
        worded_env = {**env, "KICKCOACH_COACH_MODEL_TEXT": "always"}
        cli_times, worded_times, base_times = [], [], []
        for _ in range(args.runs):  # interleaved, so a busy spell on a shared machine hits every row alike
            cli_times.append(timed(cli, env))
            base_times.append(timed([sys.executable, "-c", BASELINE], env))
            worded_times.append(timed(cli, worded_env))
    med_cli, med_worded, med_base = (statistics.median(t) for t in (cli_times, worded_times, base_times))
    print("| run | wall time (s) |")
    print("|---|---|")
    print(f"| first start (ONNX export, indexing, turn heads; once) | {first:.2f} |")
    print(f"| `kickcoach chat -m … --json` (default: engine reply, no model call), median of {args.runs} | {med_cli:.2f} |")
    print(f"| the same with model wording (`KICKCOACH_COACH_MODEL_TEXT=always`), median of {args.runs} | {med_worded:.2f} |")
    print(f"| bare model in a fresh process, median of {args.runs} | {med_base:.2f} |")
    print(f"| ratio CLI (default) / bare model | {med_cli / med_base:.2f}x |")
    print(f"| ratio CLI (model wording) / bare model | {med_worded / med_base:.2f}x |")


if __name__ == "__main__":
    main()
