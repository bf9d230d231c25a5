"""The scripted pair of the history eval (``evals/history/scripted_pair.yaml``): the demo contract, three
weekly reviews and a moved meeting, stored through the real flows; and the facts a right answer holds,
computed from the script itself (never from the code under test)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from pydantic import BaseModel

from kickcoach.contracts.files import demo_contract
from kickcoach.contracts.models import Contract
from kickcoach.contracts.service import save_contract
from kickcoach.core.paths import bundled
from kickcoach.flows.review.flow import ReviewFlow
from kickcoach.history.meetings import record_change

if TYPE_CHECKING:
    from kickcoach.services import Services

SCRIPT = "history/scripted_pair.yaml"
BEHIND_SHARE = 0.10  # the review rule, restated here so the eval checks it independently


def script(path: Path | None = None) -> dict[str, Any]:
    return yaml.safe_load((path or bundled("evals") / SCRIPT).read_text(encoding="utf-8"))


def build(services: Services, data: dict[str, Any]) -> Contract:
    """Store the contract, the reviews (oldest first) and the meeting changes of the script."""
    contract = save_contract(services, demo_contract())
    flow = ReviewFlow(services, use_model=False)
    for review in data["reviews"]:
        flow.apply_answers(data["pair_id"], review["date"], review["answers"])
    repo = services.pair(data["pair_id"])
    for change in data.get("meeting_changes", []):
        record_change(repo, change["date"], change.get("to"), change.get("note", ""))
    return contract


class Expected(BaseModel):
    """What a right answer must contain: every group has one string that must appear (case-insensitive),
    ``ordered`` numbers that must appear in this order, and the source ids it must cite (prefixes)."""

    must: list[str]
    marks: list[tuple[str, bool]] = []  # an earlier commitment's text and whether it was done
    ordered: list[list[str]] = []
    cites: list[str]


def _day(date: dt.date) -> str:
    return f"{date.day} {date:%B}"


def _num(value: float) -> str:
    rounded = round(value, 1)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:.1f}"


def _commitments(review: dict[str, Any], partner: str) -> list[tuple[str, str]]:
    found = []
    for step, answer in review["answers"].items():
        if step.startswith(f"{partner}.") and isinstance(answer, dict):
            for n, text in enumerate(answer.get("commitments", []), start=1):
                found.append((f"{partner}-{step.split('.')[1]}-{n}", text))
    return found


def expected(data: dict[str, Any], contract: Contract, review_ids: list[str], speaker: str, asks: str,
             goal: str | None) -> Expected:
    reviews = data["reviews"]
    partner = speaker if asks != "partner_commitments" else ("b" if speaker == "a" else "a")
    latest = f"review:{review_ids[-1]}"
    if asks in ("my_commitments", "partner_commitments"):
        marks_raw = reviews[-1]["answers"]["checkin"].get("commitments", {})
        marks = [(text, str(marks_raw[cid]).strip().lower() == "done")
                 for cid, text in _commitments(reviews[-2], partner) if cid in marks_raw]
        return Expected(must=[t for _, t in _commitments(reviews[-1], partner)], marks=marks, cites=[latest])
    if asks == "next_meeting":
        return Expected(must=[_day(data["expected"]["next_meeting"])], cites=["contract:cadence"])
    if asks == "due":
        must = [_day(data["expected"]["next_meeting"]), _day(data["expected"]["contract_review"])]
        return Expected(must=must + [t for _, t in _commitments(reviews[-1], speaker)], cites=[latest])
    goals = [g for g in contract.partner(speaker).goals if goal is None or g.id == goal]
    must, ordered, cites = [], [], [latest]
    for g in goals:
        values = [float(r["answers"][f"{speaker}.{g.id}"]["progress"]) for r in reviews[-3:]]
        assert g.target_value is not None and g.deadline is not None
        start = g.start_date or contract.start_date
        on = reviews[-1]["date"]
        planned = g.start_value + (g.target_value - g.start_value) * (on - start).days / (g.deadline - start).days
        span = abs(g.target_value - g.start_value)
        gap = (planned - values[-1]) * (1 if g.target_value > g.start_value else -1)
        status = "behind" if gap > BEHIND_SHARE * span else "ahead" if gap < -BEHIND_SHARE * span else "on the agreed path"
        must += [status, _num(planned)]
        ordered.append([_num(v) for v in values])
        cites.append(f"contract:goal:{speaker}.{g.id}")
    return Expected(must=must, ordered=ordered, cites=cites)


_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _plain(text: str) -> str:
    return re.sub(r"[“”\"'’]", "", text).lower()


def judge(reply: str, cited: list[str], want: Expected) -> tuple[bool, bool]:
    """(right facts, cited): every fact present, each mark said next to its commitment, the numbers in order."""
    text = _plain(reply)
    right = all(_plain(m) in text for m in want.must)
    sentences = re.split(r"(?<=[.!?])\s+", text)
    for commitment, done in want.marks:
        said = next((s for s in sentences if _plain(commitment) in s), "")
        right = right and bool(said) and (("not done" in said) != done) and ("done" in said)
    numbers = _NUMBER.findall(text)
    for run in want.ordered:
        at, ok = 0, True
        for value in run:
            try:
                at = numbers.index(value, at) + 1
            except ValueError:
                ok = False
                break
        right = right and ok
    cites = all(any(c.startswith(w) for c in cited) for w in want.cites)
    return right, cites
