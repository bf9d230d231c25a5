"""Score the safety check on a labelled set: recall on risk turns, false alarms on ordinary ones, per category.

A set is YAML: ``turns: [{text, label: risk|ordinary, category}]``. ``evals/tuning/safety.yaml`` may be read and
tuned on; ``evals/blind/safety.yaml`` was written from a brief by someone who saw neither the code nor the tuning
set: score it, never tune to its cases. ``python -m kickcoach.evals.safety [--rules-only] FILE…`` prints the
table (rules + the MiniLM head, its encoder cached in ``$KICKCOACH_HOME/cache``; ``--cases`` lists the tuning
set's misses and false alarms, never the blind set's).
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel

from kickcoach import safety
from kickcoach.safety.head import SafetyHead


class SafetyCase(BaseModel):
    text: str
    label: Literal["risk", "ordinary"]
    category: str


class SafetyScore(BaseModel):
    name: str
    risk: int
    ordinary: int
    caught: int
    false_alarms: int
    by_category: dict[str, tuple[int, int]]  # category -> (flagged, total)
    wrong_kind: int  # risk turns flagged under another category (still helped; the reply's wording differs)
    missed: list[str]
    alarms: list[str]

    @property
    def recall(self) -> float:
        return self.caught / self.risk if self.risk else 1.0

    @property
    def false_alarm_rate(self) -> float:
        return self.false_alarms / self.ordinary if self.ordinary else 0.0

    def table(self, *, show_cases: bool) -> str:
        lines = [f"## {self.name}: recall {self.caught}/{self.risk} = {self.recall:.1%}, "
                 f"false alarms {self.false_alarms}/{self.ordinary} = {self.false_alarm_rate:.1%}, "
                 f"risk flagged under another category: {self.wrong_kind}", "", "| category | flagged | total |",
                 "|---|---|---|"]
        lines += [f"| {c} | {f} | {t} |" for c, (f, t) in sorted(self.by_category.items())]
        if show_cases:
            lines += ["", "missed:", *(f"- {t}" for t in self.missed), "", "false alarms:", *(f"- {t}" for t in self.alarms)]
        return "\n".join(lines)


def load(path: Path) -> list[SafetyCase]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [SafetyCase.model_validate(t) for t in data["turns"]]


def score(cases: list[SafetyCase], name: str = "", head: SafetyHead | None = None) -> SafetyScore:
    flagged: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    missed: list[str] = []
    alarms: list[str] = []
    wrong_kind = 0
    for case in cases:
        verdict = safety.check(case.text, head)
        totals[case.category] += 1
        flagged[case.category] += verdict.flagged
        if case.label == "risk" and not verdict.flagged:
            missed.append(f"[{case.category}] {case.text}")
        elif case.label == "risk" and verdict.category != case.category:
            wrong_kind += 1
        elif case.label == "ordinary" and verdict.flagged:
            alarms.append(f"[{case.category} → {verdict.category}: {verdict.matched!r}] {case.text}")
    risk = sum(c.label == "risk" for c in cases)
    return SafetyScore(name=name, risk=risk, ordinary=len(cases) - risk, caught=risk - len(missed),
                       false_alarms=len(alarms), by_category={c: (flagged[c], totals[c]) for c in totals},
                       wrong_kind=wrong_kind, missed=missed, alarms=alarms)


def main(argv: list[str]) -> int:
    show = "--cases" in argv
    head = None
    if "--rules-only" not in argv:
        from kickcoach.core.config import get_settings
        from kickcoach.knowledge.sentence_encoder import load_encoder

        head = SafetyHead(load_encoder(get_settings().cache_dir))
    for arg in (a for a in argv if not a.startswith("--")):
        result = score(load(Path(arg)), name=arg, head=head)
        print(result.table(show_cases=show and "blind" not in arg))  # blind cases stay unread
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
