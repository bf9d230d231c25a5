"""A guidance answer quotes a sentence about the question asked, or nothing (then the honest "not in our guidance")."""

from __future__ import annotations

from kickcoach.flows.coach.passages import best_passage
from kickcoach.knowledge.retrieve import Source


def _guidance(heading: str, text: str) -> Source:
    return Source(id=heading, kind="guidance", source="peer-mentoring-basics.md", heading=heading, text=text, score=1.0)


def test_a_sentence_about_something_else_is_not_quoted():
    off = _guidance("How is peer mentoring different from coaching?", "The relationship is one-directional and often paid for.")
    question = "Is it normal to feel out of my depth coaching someone on presenting?"
    assert best_passage(question, [off], asked=False) is None


def test_a_sentence_that_answers_is_quoted():
    on = _guidance("How often should peer mentors meet?",
                   "Meet weekly for 30 to 45 minutes for the first six to eight weeks, then every other week.")
    found = best_passage("How often should we meet?", [on], asked=True)  # a normative question asks for it
    assert found is not None and found[1].startswith("Meet weekly")
