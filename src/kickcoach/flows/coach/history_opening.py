"""Opening with accountability: the first suitable turn of a new conversation in a new week brings up one open
commitment of the speaker's, as a question ("at your review on 3 December you planned: “…”. How did that go?").

Once a week at most (a raise is recorded with the turn, ``record["history"]["raised"]``), never twice in a
conversation, never as a suggestion (the commitment is quoted, the sentence asks). "Not now" after a raise is
acknowledged and the commitment is left alone. A question, a request or bad news is answered first; the
opening waits for a later turn (up to ``OPENING_TURNS``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from kickcoach import guard
from kickcoach.flows.coach.history_bank import bank, is_question, matches
from kickcoach.history import PairHistory
from kickcoach.history.reviews import Commitment
from kickcoach.history.wording import short_day

OPENING_TURNS = 3  # the opening may come on the first three user turns of a conversation, not later
SHORT_OPENER = 4  # a first message of this many words or fewer is an opener (greeting, small talk)


def week_of(day: dt.date) -> str:
    iso = day.isocalendar()
    return f"{iso.year}-W{iso.week:02d}"


def raised_in(turns: Sequence[Mapping[str, Any]]) -> list[str]:
    """The commitments raised in these turns (their coach records)."""
    return [str(((t.get("coach") or {}).get("history") or {}).get("raised")) for t in turns
            if ((t.get("coach") or {}).get("history") or {}).get("raised")]


def pick(h: PairHistory) -> Commitment | None:
    """The open commitment to raise: the speaker's first from the latest review."""
    found = h.open_commitments(h.speaker)
    return found[0] if found else None


def not_now(history: Sequence[Mapping[str, Any]], message: str) -> bool:
    """Is this a "not now" to the commitment the coach just raised?"""
    last = next((t for t in reversed(history) if t.get("role") == "assistant"), None)
    return bool(last and raised_in([last]) and matches(bank().opening["not_now_words"], message))


def opening(h: PairHistory, history: Sequence[Mapping[str, Any]], message: str, engine_text: str, *,
            act: str, negative: bool, asked: bool, raised_this_week: bool) -> tuple[str, Commitment] | None:
    """The reply that raises an open commitment, and which, or None when this turn should not.

    ``act`` is the engine's reading of the turn: a greeting (or a first message the engine took for a
    goodbye, "Back again.") opens with it; a goodbye later on raises it before they go.
    """
    users = sum(1 for t in history if t.get("role") == "user")
    if raised_this_week or raised_in(history) or users >= OPENING_TURNS:
        return None
    opener = users == 0 and (act in ("greeting", "closing") or
                             (len(message.split()) <= SHORT_OPENER and not negative and not asked))
    if not opener and (negative or asked or act in ("request", "decline") or is_question(message)):
        return None  # answered first; the opening waits for a later turn
    commitment = pick(h)
    if commitment is None:
        return None
    o = bank().opening
    ask = o["raise"].format(date=short_day(commitment.made_on), text=commitment.text.strip().rstrip("."))
    if opener:
        return f"{o['greeting'].format(name=h.names.get(h.speaker, ''))} {ask[0].upper()}{ask[1:]}", commitment
    kept = [s for s in guard.split_sentences(engine_text) if s.strip() and not s.strip().endswith("?")]
    bridge = o["bridge_closing"] if act == "closing" else o["bridge"]
    return " ".join([*kept, f"{bridge} {ask}"]), commitment
