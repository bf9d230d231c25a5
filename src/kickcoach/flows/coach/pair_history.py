"""What the pair did, for the coach's answers: the latest weekly review's commitments and blockers, per partner.

Read through the speaker's own repository (the one choke point): reviews are shared by the pair, so both partners'
commitments are readable; nobody's private chats, rehearsals or drafts are read here. Wording is in
``banks/moves.yaml`` (``answers``).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from pydantic import BaseModel, ValidationError

from kickcoach.flows.review.steps import RECORD_KIND, Review
from kickcoach.knowledge.retrieve import Source

if TYPE_CHECKING:
    from kickcoach.storage import PairRepo

ASKS_ABOUT_REVIEW = re.compile(
    r"\b(?:commit(?:ted|ment|ments)?|promis(?:e|ed|es)|(?:said|say) i(?:'d| would| will|'ll)|agreed to do|action items?|to-?dos?|"
    r"my actions|agreed? (?:that )?i(?:'d| would| will|'ll) (?:do|have|finish|send|get)|block(?:ing|ers?)|in (?:my|the) way|"
    r"last (?:review|session|meeting|week)'?s?)\b", re.IGNORECASE)
_RULE_QUESTION = re.compile(r"\bwhat (?:happens|do we do|should happen) (?:if|when)\b", re.IGNORECASE)
_BLOCKERS = re.compile(r"\b(?:block(?:ing|ers?)|in (?:my|the) way|stopp?ing me|held me back)\b", re.IGNORECASE)


class ReviewFacts(BaseModel):
    review_id: str
    date: dt.date
    names: dict[str, str]
    commitments: dict[str, list[str]]  # partner → what they committed to at that review
    blockers: dict[str, list[str]]

    def source(self) -> Source:
        text = "; ".join(f"{self.names[p]}: {', '.join(c)}" for p, c in self.commitments.items() if c)
        return Source(id=f"review:{self.review_id}", kind="contract", source="weekly review",
                      heading=f"Weekly review of {self.date.day} {self.date:%B %Y}", text=text or "no commitments",
                      score=1.0)


def latest_review(repo: PairRepo) -> ReviewFacts | None:
    """The most recent review (by date) with any answer, or None."""
    found: list[tuple[dt.date, str, Review]] = []
    for row in repo.records(RECORD_KIND):
        try:
            review = Review.model_validate(row.data)
        except ValidationError:
            continue
        if review.answers:
            found.append((review.date, row.id, review))
    if not found:
        return None
    date, review_id, review = max(found, key=lambda item: item[0])
    commitments: dict[str, list[str]] = {p: [] for p in review.partners}
    blockers: dict[str, list[str]] = {p: [] for p in review.partners}
    for step, answer in review.goal_answers():
        partner = review.partner_of(step)
        if partner is None:
            continue
        commitments[partner] += list(answer.commitments)
        blocked = getattr(answer, "blockers", None)
        if blocked:
            blockers[partner].append(str(blocked).rstrip("."))
    return ReviewFacts(review_id=review_id, date=date, names={p: n.split()[0] for p, n in review.partners.items()},
                       commitments=commitments, blockers=blockers)


def answer(facts: ReviewFacts | None, question: str, speaker: str, phrases: dict[str, list[str]],
           partner_name: str) -> tuple[list[str], list[Source]] | None:
    """Sentences answering a question about the last review (what I / my partner committed to, what blocked),
    or None when the question is not about it."""
    if not ASKS_ABOUT_REVIEW.search(question) or _RULE_QUESTION.search(question):
        return None  # "what happens if one of us misses a commitment?" asks the contract's rule, not the review
    if facts is None:
        return [phrases["no_review"][0]], []
    other = next((p for p in facts.names if p != speaker), speaker)
    about_partner = bool(partner_name) and re.search(rf"\b{re.escape(partner_name)}\b", question, re.IGNORECASE)
    partner = other if about_partner else speaker
    subject = facts.names[partner] if about_partner else "you"
    date = f"{facts.date.day} {facts.date:%B}"
    if _BLOCKERS.search(question):
        items, key = facts.blockers.get(partner, []), "blockers_intro"
    else:
        items, key = facts.commitments.get(partner, []), "commitments_intro"
    if not items:
        return [phrases["nothing_recorded"][0].format(date=date, who=subject)], [facts.source()]
    intro = phrases[key][0].format(date=date, who=subject)
    return [intro, *(f"{item.rstrip('.')}." for item in items)], [facts.source()]
