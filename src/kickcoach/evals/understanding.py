"""Score the coach's turn understanding (act, "did they ask?", valence, topic) on a labelled turn set.

A set is YAML ``turns: [{text, act, topic, valence, asked, after_offer?, category?, alt_topics?}]``. The blind set
(``evals/blind/coach_turns.yaml``) was written from a brief that named the categories but showed neither the
training examples nor the code: score it every run, never tune to its cases (its texts are never printed).

    python scripts/score_understanding.py evals/cases/coach/turns.yaml evals/blind/coach_turns.yaml
"""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from kickcoach import guard
from kickcoach.flows.coach.bank_files import ACTS, TOPICS, VALENCES
from kickcoach.flows.coach.classifier import TurnClassifier
from kickcoach.flows.coach.understand import understand

FIELDS = ("act", "asked", "valence", "topic")
OFFER_HISTORY = [{"role": "user", "content": "It's been a hard week."},
                 {"role": "assistant", "content": guard.PERMISSION_OFFER}]


class UnderstandingScore(BaseModel):
    name: str
    n: int
    right: dict[str, int]
    by_category: dict[str, dict[str, float]]
    act_confusion: dict[str, dict[str, int]]  # gold act -> predicted act -> count
    confusion: dict[str, dict[str, dict[str, int]]] = {}  # field -> gold -> predicted -> count (every field)
    wrong: list[str]  # "field: gold → predicted | text" (never printed for a blind set)

    def accuracy(self, field: str) -> float:
        return self.right[field] / self.n if self.n else 0.0

    def confusion_table(self, field: str) -> list[str]:
        """``field``'s confusion matrix as Markdown lines (rows: label, columns: predicted); counts only."""
        matrix = self.act_confusion if field == "act" and not self.confusion else self.confusion.get(field, {})
        order = {"act": ACTS, "topic": TOPICS, "valence": VALENCES, "asked": ("True", "False")}[field]
        seen = set(matrix) | {p for row in matrix.values() for p in row}
        labels = [label for label in order if label in seen]
        lines = [f"{field} confusion (rows: label, columns: predicted)", "",
                 "| label | " + " | ".join(label[:8] for label in labels) + " |", "|---|" + "---|" * len(labels)]
        for gold in labels:
            predicted = matrix.get(gold, {})
            lines.append(f"| {gold} | " + " | ".join(str(predicted.get(p, 0) or "·") for p in labels) + " |")
        return lines

    def table(self, *, show_cases: bool) -> str:
        lines = [f"## {self.name}: {self.n} turns — " + ", ".join(f"{f} {self.accuracy(f):.1%}" for f in FIELDS), "",
                 "| category | n | " + " | ".join(FIELDS) + " |", "|---|---|" + "---|" * len(FIELDS)]
        for category, row in sorted(self.by_category.items()):
            lines.append(f"| {category} | {int(row['n'])} | " + " | ".join(f"{row[f]:.0%}" for f in FIELDS) + " |")
        for field in FIELDS:
            lines += ["", *self.confusion_table(field)]
        if show_cases:
            lines += ["", *self.wrong]
        return "\n".join(lines)


def load(path: Path) -> list[dict[str, Any]]:
    return list(yaml.safe_load(path.read_text(encoding="utf-8"))["turns"])


def score(turns: list[dict[str, Any]], classifier: TurnClassifier, name: str = "") -> UnderstandingScore:
    right: Counter[str] = Counter()
    per: dict[str, Counter[str]] = defaultdict(Counter)
    confusion: dict[str, dict[str, Counter[str]]] = {f: defaultdict(Counter) for f in FIELDS}
    wrong: list[str] = []
    for case in turns:
        u = understand(OFFER_HISTORY if case.get("after_offer") else [], case["text"], classifier, partner="Tom")
        got = {"act": u.act, "asked": u.asked, "valence": u.valence, "topic": u.topic}
        ok = {f: got[f] == case[f] for f in FIELDS}
        ok["topic"] = ok["topic"] or u.topic in case.get("alt_topics", [])
        category = str(case.get("category", "all"))
        per[category]["n"] += 1
        for field in FIELDS:
            right[field] += ok[field]
            per[category][field] += ok[field]
            if not ok[field]:
                wrong.append(f"{field}: {case[field]} → {got[field]} | {case['text']}")
        for field in FIELDS:
            confusion[field][str(case[field])][str(got[field])] += 1
    by_category = {c: {"n": float(row["n"]), **{f: row[f] / row["n"] for f in FIELDS}} for c, row in per.items()}
    return UnderstandingScore(name=name, n=len(turns), right=dict(right), by_category=by_category,
                              act_confusion={g: dict(r) for g, r in confusion["act"].items()},
                              confusion={f: {g: dict(r) for g, r in m.items()} for f, m in confusion.items()}, wrong=wrong)
