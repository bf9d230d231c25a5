"""A reflection's clause must read as something the person said (classes found by a blind reader)."""

from __future__ import annotations

import pytest

from kickcoach.flows.coach.pair_history import ASKS_ABOUT_REVIEW
from kickcoach.flows.coach.voice import gist
from kickcoach.flows.coach.well_formed import well_formed


@pytest.mark.parametrize(("clause", "expected"), [
    ("you did snap back that", "you did snap back"),  # a dangling function word is trimmed
    ("you can you talk about the exam", ""),  # a question turned inside out is no clause
    ("the Q4 readout", ""),  # no verb: nothing they said
    ("delegate the test reports", ""),  # an instruction, not something they did
    ("hire a head", ""),
    ("work was chaos", "work was chaos"),  # a noun that is also a verb, with its own verb after it
    ("people on your team feel safe telling you things", "people on your team feel safe telling you things"),
    ("you missed the report deadline again", "you missed the report deadline again"),
    ("you're fed up", "you're fed up"),
])
def test_well_formed_clauses(clause, expected):
    assert well_formed(clause) == expected


def test_gist_never_returns_a_verbless_fragment():
    assert gist("the Q4 readout", "So the Q4 readout to leadership got moved up to next Tuesday") == ""


def test_questions_about_what_i_said_i_would_do_are_about_the_review():
    assert ASKS_ABOUT_REVIEW.search("What did I say I'd do before our next meeting?")
    assert not ASKS_ABOUT_REVIEW.search("When do we meet next?")


@pytest.mark.parametrize(("clause", "expected"), [
    ("if you want to work in cloud", ""),  # half a sentence: its main clause was left behind
    ("when you get home, you crash", "when you get home, you crash"),  # the main clause follows
])
def test_a_subordinate_clause_alone_is_not_reflected(clause, expected):
    assert well_formed(clause) == expected


def test_a_one_word_value_that_is_also_a_verb_is_kept():
    assert well_formed("trust", min_words=1) == "trust"  # "I value trust": a one-word thing, not an instruction
