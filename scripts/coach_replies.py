"""Run the coach engine on the tuning cases and print every reply, with rough counts of the reflection errors.

    PYTHONPATH=src python scripts/coach_replies.py [--hashing] [--json out.json] [--only voices|turns|conversations]

The engine runs alone (no storage, no retrieval: ``sources`` is empty, so guidance answers and ideas come
from ``knowledge/`` only), for the demo pair, speaking as Priya unless a conversation says ``speaker: b``.
The counts are machine checks, a floor for the errors and not a judgement; read the replies:
- echo8: the reply repeats 8+ consecutive words of the message (as written, or turned to face them);
- feeling: the reply names a feeling word that the message does not carry;
- value: a value sentence ("… matters to you", "you care about …") when the message says nothing of the kind;
- sides: a two-sided reflection ("part of you …") when the message holds no contrast;
- repeat: a sentence said before in the same conversation; opening: the reply's first three words open an
  earlier reply in the same conversation.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

import yaml

from kickcoach import guard
from kickcoach.contracts.files import demo_contract
from kickcoach.flows.coach import bank_files as banks
from kickcoach.flows.coach.classifier import TurnClassifier
from kickcoach.flows.coach.engine import CoachEngine
from kickcoach.flows.coach.voice import to_second_person

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "evals" / "cases" / "coach"
_WORD = re.compile(r"[a-z0-9']+")
_VALUE = re.compile(r"\bmatters? (?:a lot |so much )?to you\b|\bhow much you care about\b|\bthis is really about\b",
                    re.IGNORECASE)
_VALUE_SAID = re.compile(r"\b(?:matters?|important|care|value|mean[st]? a lot)\b", re.IGNORECASE)
_STEM = re.compile(r"^(?:It sounds like|I hear|I'm hearing|What I'm hearing|I can hear)\b")
_SIDES = re.compile(r"\bpart of you\b|\btwo sides\b|\bboth ways\b", re.IGNORECASE)
_CONTRAST = re.compile(r"\b(?:but|though|although|yet|part of me|on the other hand|at the same time|also)\b",
                       re.IGNORECASE)


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("’", "'"))


def longest_run(reply: str, message: str, *, flipped: bool = True) -> int:
    """The longest run of consecutive words the reply shares with the message (or the message flipped)."""
    best = 0
    r = _words(reply)
    for source in (message, to_second_person(message)) if flipped else (message,):
        m = _words(source)
        grams = {tuple(m[i:i + n]) for n in range(1, len(m) + 1) for i in range(len(m) - n + 1)} if len(m) < 80 else set()
        for i in range(len(r)):
            for j in range(i + best + 1, len(r) + 1):
                if tuple(r[i:j]) in grams:
                    best = j - i
                else:
                    break
    return best


def _feeling_labels() -> dict[str, set[str]]:
    """Feeling word in a reply → the words in a message that carry it."""
    lex = banks.lexicon()
    out: dict[str, set[str]] = {}
    for polarity in ("negative", "positive"):
        for word, label in lex.emotions[polarity].items():
            out.setdefault(label, {label}).add(word)
    if hasattr(banks, "topic_bank"):  # the per-topic default feelings of the banks before version 5
        for phrases in banks.topic_bank().topics.values():
            out.setdefault(phrases.feeling, {phrases.feeling})
    for label in ("uneasy", "unsettled", "stretched", "let down", "short-changed", "discouraged", "weighing on you",
                  "a lot to carry", "a lift"):
        out.setdefault(label, {label})
    return out


def unsupported_feelings(reply: str, message: str) -> list[str]:
    said = " ".join(_words(message))
    out = []
    for label, carriers in _feeling_labels().items():
        if label in ("good", "better", "bad", "lost", "low", "down"):
            pattern = rf"\b(?:feel|feeling|felt|left you|leaves you|you're|you sound) {label}\b"
        else:
            pattern = rf"\b{re.escape(label)}\b"
        if re.search(pattern, reply.lower()) and not any(re.search(rf"\b{re.escape(c)}", said) for c in carriers):
            out.append(label)
    return out


def engine(hashing: bool) -> CoachEngine:
    from kickcoach.knowledge.embeddings import HashingEmbeddings, MiniLMEmbeddings

    cache = Path("/tmp/coach-tune-cache")
    embeddings = HashingEmbeddings() if hashing else MiniLMEmbeddings(cache)
    if not hashing:
        embeddings.compile_query_encoder()
    return CoachEngine(TurnClassifier(embeddings, cache))


def contract() -> Any:
    return demo_contract()


def run_conversation(coach: CoachEngine, turns: list[dict[str, Any]], speaker: str, pair: Any) -> list[dict[str, Any]]:
    history: list[dict[str, Any]] = []
    out = []
    for turn in turns:
        if turn.get("after_offer") and history and not guard.is_offer(history[-1]["content"]):
            history[-1] = {**history[-1], "content": f"{history[-1]['content']} {guard.PERMISSION_OFFER}"}
        message = turn["user"]
        reply = coach.reply(history, message, contract=pair, speaker=speaker, sources=[])
        out.append({"user": message, "reply": reply.text, "act": reply.understanding.act,
                    "topic": reply.understanding.topic, "asked": reply.understanding.asked,
                    "moves": reply.moves, "codes": reply.codes, "probe": turn.get("probe", ""),
                    "expect": turn.get("expect", {})})
        history += [{"role": "user", "content": message},
                    {"role": "assistant", "content": reply.text, "coach": reply.record}]
    return out


def score(conversations: list[list[dict[str, Any]]]) -> dict[str, Any]:
    counts = {"turns": 0, "echo8": 0, "echo8_flipped": 0, "feeling": 0, "value": 0, "value_unsupported": 0, "sides": 0,
              "sides_unsupported": 0, "repeat": 0, "opening": 0, "ideas_unasked": 0, "unreflected": 0, "stem_opening": 0}
    for conversation in conversations:
        said: set[str] = set()
        openings: set[str] = set()
        for t in conversation:
            counts["turns"] += 1
            reply, message = t["reply"], t["user"]
            body = "\n".join(line for line in reply.splitlines() if not line.startswith("- "))
            t["flags"] = []
            if longest_run(body, message, flipped=False) >= 8:
                t["flags"].append("echo8")
            elif longest_run(body, message) >= 8:
                t["flags"].append("echo8_flipped")
            if bad := unsupported_feelings(body, message):
                t["flags"].append(f"feeling:{','.join(bad)}")
            if _VALUE.search(body):
                counts["value"] += 1
                if not _VALUE_SAID.search(message):
                    t["flags"].append("value")
            if _SIDES.search(body):
                counts["sides"] += 1
                if not _CONTRAST.search(message):
                    t["flags"].append("sides")
            sentences = {s.strip() for s in guard.split_sentences(body) if s.strip() and not guard.is_offer(s)}
            if sentences & said:
                t["flags"].append("repeat")
            said |= sentences
            opening = " ".join(_words(reply)[:3])
            if opening in openings:
                t["flags"].append("opening")
            openings.add(opening)
            if not t["asked"] and any(line.startswith("- ") for line in reply.splitlines()) and "GC" not in t["codes"]:
                t["flags"].append("ideas_unasked")
            if t["act"] in ("setback", "progress", "goal") and not t["asked"] and not {"SR", "CR", "AF"} & set(t["codes"]):
                t["flags"].append("unreflected")  # nothing of theirs reflected or affirmed
            if _STEM.match(reply):
                counts["stem_opening"] += 1
            for flag in t["flags"]:
                key = flag.split(":")[0]
                key = {"value": "value_unsupported", "sides": "sides_unsupported"}.get(key, key)
                counts[key] += 1
    return counts


def load(only: str | None) -> dict[str, tuple[list[list[dict[str, Any]]], list[str]]]:
    sets: dict[str, tuple[list[list[dict[str, Any]]], list[str]]] = {}
    if only in (None, "voices"):
        data = yaml.safe_load((CASES / "tuning_voices.yaml").read_text(encoding="utf-8"))["conversations"]
        sets["voices"] = ([c["turns"] for c in data], [c.get("speaker", "a") for c in data])
    if only in (None, "conversations"):
        data = yaml.safe_load((CASES / "conversations.yaml").read_text(encoding="utf-8"))["conversations"]
        sets["conversations"] = ([c["turns"] for c in data], [c.get("speaker", "a") for c in data])
    if only in (None, "turns"):
        data = yaml.safe_load((CASES / "turns.yaml").read_text(encoding="utf-8"))["turns"]
        sets["turns"] = ([[{"user": t["text"], "after_offer": t.get("after_offer", False), "expect": t}] for t in data],
                         ["a"] * len(data))
    return sets


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--hashing", action="store_true")
    parser.add_argument("--json")
    parser.add_argument("--only", choices=["voices", "turns", "conversations"])
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args()
    coach, pair = engine(args.hashing), contract()
    results: dict[str, Any] = {}
    for name, (conversations, speakers) in load(args.only).items():
        replies = [run_conversation(coach, turns, speaker, pair) for turns, speaker in zip(conversations, speakers, strict=True)]
        counts = score(replies)
        results[name] = {"counts": counts, "conversations": replies}
        if not args.quiet:
            for conversation in replies:
                print("=" * 100)
                for t in conversation:
                    flags = f"  [{' '.join(t['flags'])}]" if t["flags"] else ""
                    print(f"U: {t['user']}\n   ({t['act']}/{t['topic']}{'/asked' if t['asked'] else ''}){flags}")
                    print("C: " + t["reply"].replace("\n", "\n   ") + "\n")
        n = counts["turns"]
        print(f"## {name}: " + ", ".join(f"{k} {v} ({v / n:.0%})" if k != "turns" else f"{k} {v}"
                                         for k, v in counts.items()), file=sys.stderr)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
