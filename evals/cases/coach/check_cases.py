"""Sanity checks for the coach eval cases: labels in the spec's sets, counts, word lengths.

Run: python evals/cases/coach/check_cases.py  (prints counts; exits 1 on any problem)
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

ACTS = {"setback", "progress", "guidance_question", "contract_question", "request", "accept", "decline",
        "goal", "closing", "greeting", "off_topic"}
TOPICS = {"procrastination", "fear", "confidence", "time", "partner", "fairness", "goal_change", "setback",
          "boss", "feedback", "meetings", "goals", "confidentiality", "other"}
VALENCES = {"negative", "positive", "neutral", "mixed"}
ASKING_ACTS = {"request", "accept"}
HERE = Path(__file__).parent
CONTRACT = HERE.parents[2] / "src" / "kickcoach" / "contracts" / "demo_pair.yaml"


def check_label(where: str, lab: dict[str, Any], text: str, problems: list[str]) -> None:
    if lab.get("act") not in ACTS:
        problems.append(f"{where}: bad act {lab.get('act')!r}")
    if lab.get("topic") not in TOPICS:
        problems.append(f"{where}: bad topic {lab.get('topic')!r}")
    if "valence" in lab and lab["valence"] not in VALENCES:
        problems.append(f"{where}: bad valence {lab['valence']!r}")
    if not isinstance(lab.get("asked"), bool):
        problems.append(f"{where}: asked must be a bool")
    if lab.get("asked") != (lab.get("act") in ASKING_ACTS):
        problems.append(f"{where}: asked={lab.get('asked')} inconsistent with act {lab.get('act')}")
    if lab.get("act") == "accept" and not lab.get("after_offer"):
        problems.append(f"{where}: accept without after_offer")
    n = len(text.split())
    if not 3 <= n <= 60:
        problems.append(f"{where}: {n} words: {text!r}")


def main() -> int:
    problems: list[str] = []
    turns = yaml.safe_load((HERE / "turns.yaml").read_text(encoding="utf-8"))["turns"]
    acts: Counter[str] = Counter()
    topics: Counter[str] = Counter()
    seen: set[str] = set()
    for i, t in enumerate(turns):
        if t["text"] in seen:
            problems.append(f"turns[{i}]: duplicate text")
        seen.add(t["text"])
        check_label(f"turns[{i}]", t, t["text"], problems)
        acts[t["act"]] += 1
        topics[t["topic"]] += 1
    for a in ACTS:
        if acts[a] < 12:
            problems.append(f"turns: act {a} has {acts[a]} < 12")
    for tp in TOPICS:
        if topics[tp] < 10:
            problems.append(f"turns: topic {tp} has {topics[tp]} < 10")
    print(f"turns.yaml: {len(turns)} turns")
    print("  acts:", dict(sorted(acts.items())))
    print("  topics:", dict(sorted(topics.items())))

    contract_text = CONTRACT.read_text(encoding="utf-8").lower()
    convs = yaml.safe_load((HERE / "conversations.yaml").read_text(encoding="utf-8"))["conversations"]
    cacts: Counter[str] = Counter()
    ctopics: Counter[str] = Counter()
    ids: set[str] = set()
    n_turns = 0
    hard = 0
    for c in convs:
        if c["id"] in ids:
            problems.append(f"duplicate conversation id {c['id']}")
        ids.add(c["id"])
        hard += bool(c.get("hard"))
        if c.get("speaker", "a") not in {"a", "b"}:
            problems.append(f"{c['id']}: bad speaker")
        if not 3 <= len(c["turns"]) <= 5:
            problems.append(f"{c['id']}: {len(c['turns'])} turns")
        for j, t in enumerate(c["turns"]):
            where = f"{c['id']}[{j}]"
            e = t["expect"]
            check_label(where, {**e, "after_offer": t.get("after_offer", False)}, t["user"], problems)
            n_turns += 1
            cacts[e["act"]] += 1
            ctopics[e["topic"]] += 1
            st = e.get("suggestion_topics")
            if e.get("asked") and not st:
                problems.append(f"{where}: asked turn without suggestion_topics")
            if st and (not e.get("asked") or not set(st) <= TOPICS):
                problems.append(f"{where}: bad suggestion_topics {st}")
            for word in e.get("must_mention", []):
                if str(word).lower() not in contract_text:
                    problems.append(f"{where}: must_mention {word!r} not in demo_pair.yaml")
    if len(convs) < 24 or n_turns < 75:
        problems.append(f"conversations: {len(convs)} convs / {n_turns} turns is too few")
    print(f"conversations.yaml: {len(convs)} conversations ({hard} hard), {n_turns} user turns")
    print("  acts:", dict(sorted(cacts.items())))
    print("  topics:", dict(sorted(ctopics.items())))
    for p in problems:
        print("PROBLEM", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
