"""Score the history answers and the accountability opening on the scripted pair; aggregate figures only.

    PYTHONPATH=src python scripts/score_history.py --embeddings minilm evals/tuning/history_questions_6.yaml
    PYTHONPATH=src python scripts/score_history.py --embeddings minilm evals/blind/history_questions.yaml  # figures only
    PYTHONPATH=src python scripts/score_history.py --failures evals/tuning/history_questions_6.yaml  # + failed ids
    PYTHONPATH=src python scripts/score_history.py --openings evals/tuning/history_openings.yaml
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from kickcoach.core.config import Settings
from kickcoach.evals.history import measure_openings, score_questions
from kickcoach.evals.history_pair import script
from kickcoach.services import Services


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--openings", action="store_true", help="the file holds new-week conversations")
    parser.add_argument("--failures", action="store_true",
                        help="also list the failed questions' ids and classes (tuning sets only, never blind)")
    parser.add_argument("--embeddings", default="hashing", choices=["hashing", "minilm"])
    args = parser.parse_args()
    if args.failures and "blind" in args.path.resolve().parts:
        parser.error("--failures lists cases: blind sets are scored with aggregate figures only")
    failed: list[str] | None = [] if args.failures else None
    with tempfile.TemporaryDirectory() as home:
        settings = Settings(backend="fake", embeddings=args.embeddings, home=Path(home), today=script()["today"],
                            _env_file=None)  # type: ignore[call-arg]
        services = Services(settings)
        figures = measure_openings(services, args.path) if args.openings else score_questions(services, args.path, failed)
    if failed is not None:
        figures["failed"] = failed
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
