"""The coach's answers from the pair's history (``history.read``): what I or my partner committed to and
whether it was done, how a goal is going (progress, the gap to the agreed path, the trend over the last
reviews), when the next meeting is, and what is due. Answers with the data, each cited; never advice.
Wording is in ``banks/history.yaml``.
"""

from __future__ import annotations

import re

from pydantic import BaseModel

from kickcoach.flows.coach.history_bank import Asks, about_partner, bank, goal_asked, is_question, topic
from kickcoach.history import PairHistory
from kickcoach.history.due import HORIZON_DAYS
from kickcoach.history.progress import GoalProgress, number
from kickcoach.history.reviews import Commitment, ReviewFacts
from kickcoach.history.wording import day, short_day, when
from kickcoach.knowledge.retrieve import Source

TREND_REVIEWS = 3  # the trend reads the values of this many latest reviews


class HistoryAnswer(BaseModel):
    asks: Asks
    partner: str  # whose commitments / progress / due items ("a" or "b")
    goal: str | None
    sentences: list[str]
    sources: list[Source]


def review_source(review: ReviewFacts) -> Source:
    return Source(id=f"review:{review.review_id}", kind="history", source="weekly review",
                  heading=f"Weekly review of {day(review.date)}", text=f"review of {review.date.isoformat()}", score=1.0)


def _source(source_id: str, heading: str, text: str) -> Source:
    return Source(id=source_id, kind="history", source="your contract", heading=heading, text=text, score=1.0)


def answer(h: PairHistory, message: str, *, asking: bool = False, about: str | None = None,
           defer_to_contract: bool = True) -> HistoryAnswer | None:
    """The answer when ``message`` is a question about the pair's history, else None (``asking``: the caller
    already knows it asks, e.g. the engine heard a question; ``about``: what it asks about, when the caller knows;
    ``defer_to_contract=False``: a due question naming a goal gets the due list, when the contract did not answer it)."""
    if not (asking or is_question(message)):
        return None
    about = about or topic(message)
    if about is None:
        return None
    partner_name = h.names.get(h.partner, "")
    partner = h.partner if about_partner(message, partner_name) else h.speaker
    if about in ("commitments", "progress") and not h.reviews:
        return None  # no review yet: the engine answers from the contract (what they agreed), as before
    if defer_to_contract and about == "due" and (re.search(r"\b(?:in|of|by|under|per)\s+(?:my|our|the)\s+contract\b", message, re.IGNORECASE)
                           or goal_asked(h.contract, h.speaker, message) is not None):
        return None  # "the deadline for my talk", "in my contract": the contract's own answer ("what's due,
        # including anything from the contract" still gets the due list)
    a = bank().answers
    if h.contract is None and about != "commitments":
        return HistoryAnswer(asks="due" if about == "due" else "next_meeting" if about == "next_meeting" else "progress",
                             partner=partner, goal=None, sentences=[a["no_contract"]], sources=[])
    if about == "commitments":
        asks: Asks = "partner_commitments" if partner != h.speaker else "my_commitments"
        sentences, sources = _commitments(h, partner)
        return HistoryAnswer(asks=asks, partner=partner, goal=None, sentences=sentences, sources=sources)
    if about == "next_meeting":
        sentences, sources = _next_meeting(h)
        return HistoryAnswer(asks="next_meeting", partner=partner, goal=None, sentences=sentences, sources=sources)
    if about == "due":
        sentences, sources = _due(h, partner)
        return HistoryAnswer(asks="due", partner=partner, goal=None, sentences=sentences, sources=sources)
    goal = goal_asked(h.contract, partner, message)
    sentences, sources = _progress(h, partner, goal.id if goal else None)
    return HistoryAnswer(asks="progress", partner=partner, goal=goal.id if goal else None, sentences=sentences,
                         sources=sources)


def _who(h: PairHistory, partner: str) -> str:
    return "you" if partner == h.speaker else h.names.get(partner, partner)


def _item(c: Commitment) -> str:
    a = bank().answers
    key = "open_item" if c.done is None else "done_item" if c.done else "not_done_item"
    return a[key].format(text=c.text.strip().rstrip("."))


def _commitments(h: PairHistory, partner: str) -> tuple[list[str], list[Source]]:
    a = bank().answers
    if not h.reviews:
        return [a["no_review"]], []
    latest, earlier = h.commitments(partner)
    review = h.reviews[-1]
    who = _who(h, partner)
    if not latest:
        sentences = [a["nothing_recorded"].format(date=short_day(review.date), who=who)]
    else:
        sentences = [a["commitments_intro"].format(date=short_day(review.date), who=who), *map(_item, latest)]
    sources = [review_source(review)]
    marked = [c for c in earlier if c.done is not None]
    if marked:
        before = h.reviews[-2]
        sentences += [a["earlier_intro"].format(date=short_day(before.date), marked=short_day(review.date)),
                      *map(_item, marked)]
        sources.append(review_source(before))
    every = [c for r in h.reviews for c in r.commitments if c.partner == partner and c.done is not None]
    if every:
        sentences.append(a["kept_total"].format(kept=sum(c.done is True for c in every), marked=len(every)))
    return sentences, sources


def _progress(h: PairHistory, partner: str, goal_id: str | None) -> tuple[list[str], list[Source]]:
    a = bank().answers
    assert h.contract is not None
    goals = [g for g in h.contract.partner(partner).goals if goal_id is None or g.id == goal_id]
    if not goals:
        return [a["no_goals"].format(who=_who(h, partner))], []
    sentences: list[str] = []
    sources: list[Source] = []
    for goal in goals:
        rows: list[tuple[ReviewFacts, GoalProgress]] = [
            (r, p) for r in h.reviews for p in r.progress
            if p.partner == partner and p.goal_id == goal.id and p.progress is not None]
        label = f"“{goal.what.rstrip('.')}”"
        if not rows:
            sentences.append(a["not_reported"].format(goal=label))
            continue
        review, last = rows[-1]
        unit = f" {last.unit}" if last.unit else ""
        target = f" of {number(last.target_value)}{unit}" if last.target_value is not None else unit
        verdict = a["progress_verdict"]["no_path" if last.status == "not_reported" else last.status].format(
            planned=number(last.planned) if last.planned is not None else "",
            gap=number(last.gap) if last.gap is not None else "")
        assert last.progress is not None
        sentences.append(a["progress_line"].format(goal=label, value=f"{number(last.progress)}{target}",
                                                   date=short_day(review.date), verdict=verdict))
        trend = rows[-TREND_REVIEWS:]
        if len(trend) > 1:
            values = " → ".join(number(p.progress) for _, p in trend if p.progress is not None)
            planned = " → ".join(number(p.planned) if p.planned is not None else "–" for _, p in trend)
            sentences.append(a["trend_line"].format(n=len(trend), values=values, planned=planned))
        for r, _ in trend:
            if all(s.id != f"review:{r.review_id}" for s in sources):
                sources.append(review_source(r))
        sources.append(_source(f"contract:goal:{partner}.{goal.id}", f"Your contract › {goal.id}: {goal.what}", goal.target))
    return sentences, sources


def _next_meeting(h: PairHistory) -> tuple[list[str], list[Source]]:
    a = bank().answers
    assert h.contract is not None
    if not h.upcoming:
        return [a["no_meeting"]], []
    first = h.upcoming[0]
    at = f" at {first.time:%H:%M}" if first.time else ""
    channel = f" ({first.duration_minutes} minutes, {first.channel})" if first.channel else ""
    cadence = h.contract.cadence
    rule = f"{cadence.frequency}{' on ' + cadence.weekday.capitalize() + 's' if cadence.weekday else ''}{at}"
    sentences = [a["meeting_line"].format(date=day(first.date), time=at, channel=channel, rule=rule)]
    sources = [_source("contract:cadence", "Your contract › Meetings", rule)]
    if first.moved_from:
        sentences.append(a["meeting_moved"].format(from_date=day(first.moved_from)))
        sources.append(Source(id=f"meeting:{first.change_id}", kind="history", source="meeting change",
                              heading=f"Meeting of {day(first.moved_from)} moved", text=day(first.date), score=1.0))
    if len(h.upcoming) > 1:
        sentences.append(a["meeting_after"].format(date=day(h.upcoming[1].date)))
    return sentences, sources


def _due(h: PairHistory, partner: str) -> tuple[list[str], list[Source]]:
    a = bank().answers
    items = [i for i in h.due if partner in i.partners]
    if not items:
        return [a["nothing_due"].format(days=HORIZON_DAYS)], []
    sentences = [a["due_intro"].format(who=_who(h, partner), today=day(h.today))]
    sources: list[Source] = []
    for item in items:
        sentences.append(a["due_item"].format(text=item.text, when=when(item.date, h.today) if item.date else a["due_now"]))
        if item.source.startswith("review:"):
            review = next((r for r in h.reviews if f"review:{r.review_id}" == item.source), None)
            if review is not None and all(s.id != item.source for s in sources):
                sources.append(review_source(review))
        elif all(s.id != item.source for s in sources):
            sources.append(_source(item.source, "Your contract", item.text))
        if item.kind == "meeting" and all(s.id != "contract:cadence" for s in sources):  # the date is the cadence's
            sources.append(_source("contract:cadence", "Your contract › Meetings", item.text))
    return sentences, sources
