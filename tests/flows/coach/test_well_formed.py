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
    ("one minute over", ""),  # a number and a noun: no verb, though "minute" and "over" can be verbs
    ("not cutting the margin chart", ""),  # who is not cutting it went with the clause before
    ("meetings run over every week", "meetings run over every week"),  # a plural subject, then its verb
    ("the regional breakdown slide drags", "the regional breakdown slide drags"),
    ("you did manage", ""),  # cut before what they managed
    ("you were supposed", ""),
    ("you managed to hand the report over", "you managed to hand the report over"),
    ("you don't know", ""),  # a hedge said in passing
    ("you're not sure if you want to work in cloud", "you're not sure if you want to work in cloud"),
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


def test_a_subjectless_clause_belongs_to_whoever_did_the_clause_before():
    from kickcoach.flows.coach.said import accomplishment
    from kickcoach.flows.coach.voice import own_clauses

    said = "Afterwards, Gary said I did well and then did an impression of my accent."
    assert not any("impression" in c for c in own_clauses(said))  # Gary did it, not them
    assert accomplishment(said) == ""
    assert own_clauses("Sent the draft and then booked the room.") == ["Sent the draft", "booked the room"]


def test_a_slip_is_not_progress():
    from kickcoach.flows.coach.said import accomplishment

    assert accomplishment("I told my manager three articles by accident.") == ""
