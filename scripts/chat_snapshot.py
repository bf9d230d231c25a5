"""Every chat reply of the non-blind coach sets, case by case, as JSON: run it before and after a restructuring
and diff the two files (they must be identical when behaviour did not change).

    python scripts/chat_snapshot.py --out /tmp/before.json [--embeddings hashing|minilm] [--rewords]

Runs with a throwaway home and the fake model (``--rewords``: the fake model's wording goes through the gate).
Sets: the coach eval (``kickcoach.evals.coach``: replies, per-case failures, metrics), the understanding labels
(``evals/cases/coach/turns.yaml``, every prediction), and the tuning voices through the transcripts runner.
Blind sets are never read here. Latencies are dropped (they differ between runs).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import yaml

from kickcoach.core.config import Settings

ROOT = Path(__file__).resolve().parents[1]


def snapshot(settings: Settings) -> dict[str, object]:
    from kickcoach.bootstrap import warm
    from kickcoach.contracts.files import demo_contract
    from kickcoach.contracts.service import save_contract
    from kickcoach.evals import coach
    from kickcoach.evals.transcripts import run as run_transcripts
    from kickcoach.evals.understanding import OFFER_HISTORY
    from kickcoach.flows.chat import CoachChat
    from kickcoach.flows.coach.understand import understand
    from kickcoach.services import Services

    services = Services(settings)
    warm(services)  # as the app starts: encoders, guard detector, classifier heads
    services.index()
    report = coach.run(services)
    out: dict[str, object] = {
        "coach_cases": [c.model_dump(mode="json") for c in report.cases],
        "coach_metrics": report.metrics,
        "coach_figures": {k: v for k, v in report.figures.items() if "latency" not in k},
        "coach_transcripts": report.appendix,
    }
    turns = yaml.safe_load((ROOT / "evals/cases/coach/turns.yaml").read_text(encoding="utf-8"))["turns"]
    out["understanding"] = [
        (lambda u: [case["text"], u.act, u.topic, u.valence, u.asked, u.asked_reason])(
            understand(OFFER_HISTORY if case.get("after_offer") else [], case["text"], services.turn_classifier,
                       partner="Tom"))
        for case in turns
    ]
    voices = yaml.safe_load((ROOT / "evals/cases/coach/tuning_voices.yaml").read_text(encoding="utf-8"))
    conversations = [{"id": c["id"], "speaker": c.get("speaker", "a"), "turns": [t["user"] for t in c["turns"]]}
                     for c in voices["conversations"]]
    services.storage.ensure_pair("demo", "Demo pair")
    save_contract(services, demo_contract())
    out["tuning_voices"] = run_transcripts(conversations, CoachChat(services))
    return out


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--embeddings", default="hashing", choices=["hashing", "minilm"])
    parser.add_argument("--rewords", action="store_true", help="the fake model rewords each reply (through the gate)")
    parser.add_argument("--cache", type=Path, help="a cache folder to reuse (the MiniLM export)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as home:
        if args.cache:
            (Path(home) / "cache").symlink_to(args.cache.resolve())
        settings = Settings(backend="fake", embeddings=args.embeddings, home=Path(home),
                            coach_model_text="always" if args.rewords else "never", _env_file=None)
        data = snapshot(settings)
    args.out.write_text(json.dumps(data, indent=1, sort_keys=True, default=str), encoding="utf-8")
    print(f"{len(data['coach_cases'])} coach cases, {len(data['understanding'])} labelled turns, "  # type: ignore[arg-type]
          f"{len(data['tuning_voices'])} tuning conversations → {args.out}")  # type: ignore[arg-type]
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
