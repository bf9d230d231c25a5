"""Score the coach's turn understanding on labelled turn sets (see ``kickcoach.evals.understanding``).

    python scripts/score_understanding.py evals/cases/coach/turns.yaml evals/blind/coach_turns.yaml [--cases]

Runs with the app's settings (``KICKCOACH_HOME``: the encoder and the classifier's heads are cached there).
``--cases`` lists the wrong labels of a non-blind set; a blind set's texts are never printed.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from kickcoach.bootstrap import warm
from kickcoach.evals.understanding import load, score
from kickcoach.services import Services


def main(argv: list[str]) -> int:
    services = Services()
    warm(services)  # as the app starts: encoders, guard detector, classifier heads
    services.index()  # the encoders and the classifier's heads, as the app runs them
    show = "--cases" in argv
    for arg in (a for a in argv if not a.startswith("--")):
        result = score(load(Path(arg)), services.turn_classifier, name=arg)
        print(result.table(show_cases=show and "blind" not in arg))
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
