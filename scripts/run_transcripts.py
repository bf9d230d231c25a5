"""Run scripted conversations through the real chat and write transcripts for an independent reader.

    python scripts/run_transcripts.py evals/blind/coach_conversations.yaml --out evals/report/transcripts.md [--labels]

The demo pair's contract is saved first; replies come from the embedded default. The reader judges the transcript
against ``evals/judging.md``; ``--labels`` adds the engine's own reading, for developers only.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import yaml

from kickcoach.bootstrap import warm
from kickcoach.contracts.files import demo_contract
from kickcoach.contracts.service import save_contract
from kickcoach.evals.transcript_checks import check
from kickcoach.evals.transcripts import markdown, run
from kickcoach.flows.chat import CoachChat
from kickcoach.services import Services


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("file", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--labels", action="store_true", help="add the engine's own reading (not for the reader)")
    args = parser.parse_args(argv)
    services = Services()
    services.storage.ensure_pair("demo", "Demo pair")
    save_contract(services, demo_contract())
    warm(services)  # as the app starts: encoders, guard detector, classifier heads
    services.index()
    conversations = yaml.safe_load(args.file.read_text(encoding="utf-8"))["conversations"]
    transcripts = run(conversations, CoachChat(services))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(markdown(transcripts, labels=args.labels), encoding="utf-8")
    print(f"{sum(len(t['exchanges']) for t in transcripts)} exchanges in {len(transcripts)} conversations → {args.out}")
    print("\n".join(check(transcripts).lines()))  # the mechanical part of the reader's definitions
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
