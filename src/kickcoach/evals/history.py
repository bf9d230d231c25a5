"""The history eval: questions about commitments, progress, the next meeting and what is due, asked through
the real chat turn of the scripted pair (``history_pair``); and new-week conversations, for the opening that
raises one open commitment. Reports aggregate figures only (the blind set's texts are never printed).

Questions file: a list (or ``questions:``) of ``{id, speaker: a|b, asks: my_commitments|partner_commitments|
progress|next_meeting|due, goal: g1|g2|null, text}``. Openings file: ``openings:`` of ``{id, speaker, turns:
[…]}``; a turn ``"not now"``-like right after the raise must be respected.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from kickcoach import guard
from kickcoach.evals.history_pair import build, expected, judge, script
from kickcoach.flows.chat import CoachChat
from kickcoach.flows.coach.history_bank import bank

if TYPE_CHECKING:
    from kickcoach.services import Services

CATEGORIES = ("my_commitments", "partner_commitments", "progress", "next_meeting", "due")


def _cases(path: Path, key: str) -> list[dict[str, Any]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return list(data.get(key, []) if isinstance(data, dict) else data)


def prepare(services: Services) -> tuple[dict[str, Any], Any, list[str]]:
    data = script()
    contract = build(services, data)
    repo = services.pair(data["pair_id"])
    ids = [row.id for row in sorted(repo.records("review"), key=lambda r: str(r.data.get("date")))]
    return data, contract, ids


FAILURES = ("not_recognised", "other_question", "wrong_facts", "no_citation")
"""Why a question failed, first that applies: the turn gave no history answer; it answered another question
(the wrong category, or the wrong partner's commitments); the facts were wrong; they were right but uncited."""


def _answered_as(services: Services, pair_id: str, speaker: str, conversation_id: str) -> str | None:
    """What the stored reply's record says the answer was about (``asks``), or None."""
    repo = services.as_speaker(_owner(pair_id, speaker)).pair(pair_id)
    turns = repo.turns(conversation_id)
    if not turns:
        return None
    record = (turns[-1].engine_state or {}).get("coach") or {}
    return (record.get("history") or {}).get("asks")


def failure(result: Any, answered_as: str | None, asks: str, right: bool, cited: bool) -> str | None:
    """The failure class of one question (see FAILURES), or None when it was answered right and cited."""
    if "answer_history" not in result.moves:
        return "not_recognised"
    if answered_as != asks:
        return "other_question"
    if not right:
        return "wrong_facts"
    return None if cited else "no_citation"


def score_questions(services: Services, path: Path, failed_ids: list[str] | None = None) -> dict[str, Any]:
    """Per category: questions, right facts, cited, both, and the failures by class; the totals.
    ``failed_ids`` (tuning sets only) collects ``id: class`` of each failed question."""
    data, contract, ids = prepare(services)
    chat = CoachChat(services)
    counts: dict[str, Counter[str]] = {c: Counter() for c in CATEGORIES}
    for case in _cases(path, "questions"):
        speaker, asks = str(case["speaker"]), str(case["asks"])
        result = chat.ask(data["pair_id"], None, str(case["text"]), speaker=speaker)
        want = expected(data, contract, ids, speaker, asks, case.get("goal"))
        right, cited = judge(result.reply, [s.id for s in result.sources], want)
        failed = failure(result, _answered_as(services, data["pair_id"], speaker, result.conversation_id), asks,
                         right, cited)
        c = counts[asks]
        c["questions"] += 1
        c["right_facts"] += right
        c["cited"] += cited
        c["both"] += right and cited
        if failed is not None:
            c[f"failed_{failed}"] += 1
            if failed_ids is not None:
                failed_ids.append(f"{case['id']}: {failed}")
    total = sum((c for c in counts.values()), Counter())
    return {"categories": {k: dict(v) for k, v in counts.items()}, "total": dict(total),
            "rate": round(total["both"] / total["questions"], 3) if total["questions"] else None}


def _raised(result: Any) -> bool:
    return "raise_commitment" in result.moves


def measure_openings(services: Services, path: Path) -> dict[str, Any]:
    """New-week conversations: raised once (rate), raised twice, raised as advice, "not now" respected."""
    data = script()
    build(services, data)
    chat = CoachChat(services)
    not_now = bank().opening["not_now"]
    figures: Counter[str] = Counter()
    for case in _cases(path, "openings"):
        speaker = str(case["speaker"])
        repo = services.as_speaker(_owner(data["pair_id"], speaker)).pair(data["pair_id"])
        for conv in repo.conversations("chat"):  # a new week: the speaker's earlier conversations are deleted
            repo.delete_conversation(conv.id)
        conversation, raises, refused_ok = None, 0, True
        refused_after = False
        for n, text in enumerate(case["turns"]):
            result = chat.ask(data["pair_id"], conversation, str(text), speaker=speaker)
            conversation = result.conversation_id
            if refused_after and _raised(result):
                refused_ok = False
            if _raised(result):
                raises += 1
                removed = guard.filter_text(result.reply, asked=False, user_message=str(text))[1].removed
                figures["advice"] += bool(removed)
                if n + 1 < len(case["turns"]) and case.get("not_now_after_raise"):
                    answer = chat.ask(data["pair_id"], conversation, str(case["not_now_after_raise"]), speaker=speaker)
                    refused_ok = refused_ok and answer.reply.startswith(not_now)
                    refused_after = True
        figures["conversations"] += 1
        figures["raised"] += raises >= 1
        figures["twice"] += raises > 1
        if case.get("not_now_after_raise"):
            figures["not_now_cases"] += 1
            figures["not_now_respected"] += refused_ok and raises == 1
    n = figures["conversations"]
    return {**dict(figures), "raised_rate": round(figures["raised"] / n, 3) if n else None}


def _owner(pair_id: str, slot: str) -> Any:
    from kickcoach.core.person import local_owner

    return local_owner(pair_id, "b" if slot == "b" else "a")
