"""Automatic aggregates for scripted conversations run through the real chat: repeats and echo, figures only.

    PYTHONPATH=src python scripts/score_transcripts.py evals/blind/coach_conversations.yaml
    PYTHONPATH=src python scripts/score_transcripts.py evals/tuning/coach_conversations.yaml --show

Runs each conversation as ``scripts/run_transcripts.py`` does (demo pair, embedded default), then counts with
``scripts/coach_replies.py``'s machine checks: a sentence reused within a conversation (closing summaries
included), a reply opening with the same three words as an earlier one, 8+ consecutive words of the person's
message repeated. Only totals are printed, so a blind set can be scored without reading its transcripts;
``--show`` prints the flagged replies (tuning sets only).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import yaml
from coach_replies import score

from kickcoach.bootstrap import warm
from kickcoach.contracts.files import demo_contract
from kickcoach.contracts.service import save_contract
from kickcoach.evals.transcripts import run
from kickcoach.flows.chat import CoachChat
from kickcoach.services import Services

REPORTED = ("repeat", "opening", "echo8", "echo8_flipped")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("file", type=Path)
    parser.add_argument("--show", action="store_true", help="print the flagged replies (never for a blind set)")
    args = parser.parse_args(argv)
    if args.show and "blind" in args.file.parts:
        parser.error("--show prints replies: not for a blind set")
    services = Services()
    services.storage.ensure_pair("demo", "Demo pair")
    save_contract(services, demo_contract())
    warm(services)
    services.index()
    conversations = yaml.safe_load(args.file.read_text(encoding="utf-8"))["conversations"]
    transcripts = run(conversations, CoachChat(services))
    turns = [[{"user": ex["person"], "reply": ex["coach"], "act": ex["act"], "asked": ex["asked"],
               "codes": [], "safety": ex["safety"], "moves": ex["moves"]} for ex in t["exchanges"]] for t in transcripts]
    counts = score(turns)
    total = counts["turns"]
    print(f"{total} replies in {len(turns)} conversations")
    for key in REPORTED:
        print(f"  {key:15} {counts[key]:4}  {counts[key] / max(total, 1):.1%}")
    help_replies = [t for conversation in turns for t in conversation if t["safety"]]
    print("  of which safety help replies (a fixed text, by design): "
          + ", ".join(f"{key} {sum(key in t['flags'] for t in help_replies)}" for key in REPORTED))
    by_move = Counter(m for conversation in turns for t in conversation if "repeat" in t["flags"] for m in t["moves"])
    print("  repeats by the moves of their reply: " + ", ".join(f"{m} {n}" for m, n in by_move.most_common()))
    if args.show:
        for t in (t for conversation in turns for t in conversation if set(t["flags"]) & set(REPORTED)):
            print(f"\n[{', '.join(t['flags'])}] {t['user']}\n    {t['reply']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
