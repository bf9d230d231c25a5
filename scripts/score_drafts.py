"""Score the drafting flows of issue #20 on the default (embedded) model; aggregate figures only.

    python scripts/score_drafts.py evals/tuning            # the tuning sets
    python scripts/score_drafts.py evals/blind             # the blind sets (texts are never printed)
    python scripts/score_drafts.py evals/tuning --backend fake

A folder may hold ``smart_goals.yaml``, ``criticisms.yaml`` and ``boss_asks*.yaml`` (schemas in the scorer
modules: ``kickcoach.evals.drafts_smart``, ``drafts_feedback``, ``drafts_rehearsal``); the ones present are scored.
The rehearsal talks run in a throwaway home (its own database), so nothing is written to the app's data.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from kickcoach.core.config import Settings
from kickcoach.evals import drafts_feedback, drafts_rehearsal, drafts_smart
from kickcoach.flows.rehearsal import RehearsalFlow
from kickcoach.services import Services


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--backend", default="embedded")
    parser.add_argument("--today", default=dt.date.today().isoformat())
    parser.add_argument("--only", choices=("smart", "feedback", "rehearsal"), help="score one flow only")
    args = parser.parse_args(argv)
    home = Path(tempfile.mkdtemp(prefix="kickcoach-drafts-"))
    services = Services(Settings(backend=args.backend, embeddings="hashing", home=home, _env_file=None))
    model = services.model
    today = dt.date.fromisoformat(args.today)
    name = args.folder.name
    found = {f: args.folder / f for f in ("smart_goals.yaml", "criticisms.yaml")}
    if found["smart_goals.yaml"].exists() and args.only in (None, "smart"):
        cases = yaml.safe_load(found["smart_goals.yaml"].read_text(encoding="utf-8"))
        print("\n".join(drafts_smart.score(cases, model, today=today).lines(f"SMART ({name}, {args.backend})")))
    if found["criticisms.yaml"].exists() and args.only in (None, "feedback"):
        cases = yaml.safe_load(found["criticisms.yaml"].read_text(encoding="utf-8"))
        print("\n".join(drafts_feedback.score(cases, model).lines(f"Feedback ({name}, {args.backend})")))
    for asks in sorted(args.folder.glob("boss_asks*.yaml")) if args.only in (None, "rehearsal") else []:  # boss_asks.yaml, boss_asks_2.yaml, ...
        cases = yaml.safe_load(asks.read_text(encoding="utf-8"))
        figures = drafts_rehearsal.score(RehearsalFlow(services), cases)
        print("\n".join(figures.lines(f"Rehearsal ({name}/{asks.stem}, {args.backend})")))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
