"""Where the chat turn meets the pair's history: a question about commitments, progress, the next meeting or
what is due is answered from ``history.read`` (cited); the first suitable turn of a new week's conversation
raises one open commitment; a "not now" to it is respected. Otherwise the engine's reply stands untouched.

The history is read only when the turn could use it (a question about it, the first turns of a conversation,
or an answer to a raise), through the speaker's own repository (the one choke point).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from kickcoach.flows.coach import history_answers, history_opening
from kickcoach.flows.coach.engine import EngineReply
from kickcoach.flows.coach.history_bank import asks_due_list, bank, is_question, topic
from kickcoach.flows.coach.history_head import HistoryHead
from kickcoach.guard import split_sentences
from kickcoach.history import read

NOUN_PHRASE_WORDS = 6  # a short, calm message naming the history ("our next meeting date") asks for it

if TYPE_CHECKING:
    from kickcoach.contracts.models import Contract
    from kickcoach.storage import PairRepo


def _raised_this_week(repo: PairRepo, today: dt.date, current: str | None) -> bool:
    week = history_opening.week_of(today)
    for conv in repo.conversations("chat"):
        if conv.id == current or history_opening.week_of(conv.created_at.date()) != week:
            continue
        turns = [{"role": t.role, "coach": (t.engine_state or {}).get("coach")} for t in repo.turns(conv.id)]
        if history_opening.raised_in(turns):
            return True
    return False


def _replaced(drafted: EngineReply, text: str, moves: list[str], codes: list[str], record: dict[str, Any],
              sources: list[Any] | None = None, facts: list[str] | None = None) -> EngineReply:
    return drafted.model_copy(update={
        "text": text, "moves": moves, "codes": codes, "sources": drafted.sources if sources is None else sources,
        "facts": facts or [], "record": {**drafted.record, "moves": moves, "codes": codes, "history": record}})


def from_history(repo: PairRepo, contract: Contract | None, message: str, history: Sequence[Mapping[str, Any]],
                 drafted: EngineReply, today: dt.date, conversation_id: str | None = None,
                 head: HistoryHead | None = None) -> EngineReply:
    """The reply for this turn: the engine's, or one from the pair's history (see the module docstring).
    ``head`` reads the questions the bank's patterns miss (``history_head``); without it the patterns alone decide."""
    users = sum(1 for t in history if t.get("role") == "user")
    u = drafted.understanding  # the engine's reading: a question or request it heard counts as asking
    # a history question inside a longer message counts too ("Other topic. Anke cancelled twice. When do we meet
    # next? I want to confirm it."): the question sentence decides, not the message's last words
    asked_inside = "" if is_question(message) else next(
        (q for q in split_sentences(message) if is_question(q) and topic(q)), "")
    asking = (is_question(message) or u.is_question or u.act in ("contract_question", "guidance_question")
              or bool(asked_inside)
              or (len(message.split()) <= NOUN_PHRASE_WORDS and u.valence not in ("negative", "mixed")
                  and u.act not in ("closing", "greeting")))  # "ok thanks. see you next week" asks nothing
    about = topic(message) if not asked_inside else topic(asked_inside)
    # the head only where nothing answered yet: a request for ideas gets ideas, and a question the engine already
    # answered from the review or the contract ("what did I say was blocking me?") keeps that answer
    if about is None and asking and head is not None and not u.asked and not drafted.facts:
        about = head.topic(asked_inside or message)
    # a request for ideas that mentions a deadline ("my manager keeps moving my deadlines, what should I do?") gets
    # ideas, unless it asks for the due list and nothing else ("any reminders for me?"); the pair's own records
    # (commitments, progress, meetings) are answered even when asked as a request
    asks_history = asking and about is not None and not (u.asked and about == "due" and not asks_due_list(message))
    refusing = history_opening.not_now(history, message)
    could_open = users < history_opening.OPENING_TURNS and not history_opening.raised_in(history)
    if not (asks_history or refusing or could_open):
        return drafted
    h = read(repo, contract, today, conversations=False)
    if asks_history:
        # a due question naming a goal is the contract's to answer, when the engine heard a contract question
        found = history_answers.answer(h, message, asking=True, about=about,
                                       defer_to_contract=u.act == "contract_question")
        if found is not None:
            text = " ".join(found.sentences)
            return _replaced(drafted, text, ["answer_history"], ["GI"] * len(found.sentences),
                             {"asks": found.asks, "partner": found.partner, "goal": found.goal,
                              "bank": f"history.v{bank().version}"}, sources=found.sources, facts=found.sentences)
    if refusing:
        o = bank().opening
        return _replaced(drafted, f"{o['not_now']} {o['after_not_now']}", ["respect_not_now"], ["OT", "Q"],
                         {"not_now": True})
    if not could_open:
        return drafted
    raised_week = _raised_this_week(repo, today, conversation_id) if history_opening.pick(h) else True
    opened = history_opening.opening(h, history, message, drafted.text, act=u.act,
                                     negative=u.valence in ("negative", "mixed") or u.act == "setback",
                                     asked=u.asked, raised_this_week=raised_week)
    if opened is None:
        return drafted
    text, commitment = opened
    return _replaced(drafted, text, [*drafted.moves, "raise_commitment"], [*drafted.codes, "Q"],
                     {"raised": commitment.id, "review": commitment.review_id, "week": history_opening.week_of(today)})
