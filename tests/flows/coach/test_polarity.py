"""Which way the news points: the polarity features the act and valence heads learn from (issue 18)."""

from __future__ import annotations

import pytest

from kickcoach.flows.coach import polarity
from kickcoach.flows.coach.understand import LEARNED_REQUEST, MIXED_CLAUSE
from kickcoach.guard import PERMISSION_OFFER, asked


def test_thresholds_are_pinned():
    assert (polarity.CLEAR, polarity.NEGATION_WINDOW, MIXED_CLAUSE) == (0.25, 3, 0.4)
    assert LEARNED_REQUEST == {"question": 0.5, "statement": 0.9}
    assert len(polarity.features("anything")) == len(polarity.NAMES)


@pytest.mark.parametrize("message", [
    "I didn't miss a single study session this week.",
    "Tom hasn't cancelled once this month.",
])
def test_negated_bad_news_is_good_news(message):
    bad, good, negated = polarity.events(message)
    assert bad == 0 and negated == 1
    assert polarity.reading(message) == "positive"


def test_bad_news_stays_bad():
    assert polarity.events("Tom cancelled again.")[0] >= 1
    assert polarity.reading("I failed the exam and I'm gutted.") == "negative"


@pytest.mark.parametrize("message", [
    "passed the first exam!! failed the second one tho",
    "Sent the proposal off! But no word back and I'm anxious.",
])
def test_good_and_bad_clauses_are_mixed(message):
    assert len(polarity.clauses(message)) >= 2
    assert polarity.reading(message) == "mixed"


@pytest.mark.parametrize("message", [
    "Oh fantastic, another reorg. Just what I needed.",
    "Great, love that for me. He cancelled.",
    "Productivity level: six hours of videos instead of writing.",
])
def test_sarcasm_cues_are_heard(message):
    assert polarity.sarcastic(message)


def test_plain_praise_is_no_sarcasm():
    assert not polarity.sarcastic("The talk went well and my manager praised it.")


@pytest.mark.parametrize("message", [
    "How do other managers find time to think?",
    "how would one go about getting more people to read a blog post",
    "What would make Tom actually turn up on time?",
    "What's worked for other people in my position?",
    "What's a realistic way to fit exercise around a 50 hour week?",
    "Tips welcome on writing review comments.",
    "I wish I knew how to get my manager to listen.",
    "Not sure how to bring it up with Priya.",
    "no clue how people juggle kids and an evening degree",
    "where would someone even begin with networking?",
])
def test_implicit_requests_are_asked(message):
    assert asked([], message).asked


@pytest.mark.parametrize("message", [
    "I don't know what to do anymore.",
    "I have no idea why he keeps cancelling.",
    "I figured out how to say no to the Friday calls.",
    "How do you think it went?",
])
def test_stuck_or_reporting_is_not_asking(message):
    assert not asked([], message).asked


OFFERED = [{"role": "user", "content": "Rough week."}, {"role": "assistant", "content": PERMISSION_OFFER}]


@pytest.mark.parametrize("message", [
    "sure thing", "ok go", "Yes, I'd really like that.", "Ok sure, that could help.", "ya pls, im lost",
    "Yes, especially anything for the nerves.", "Sure, one or two would be good.", "yesss",
])
def test_a_real_yes_to_the_offer_is_asking(message):
    assert asked(OFFERED, message).reason == "accepted the coach's offer"


@pytest.mark.parametrize("message", [
    "Yeah. Anyway, my boss moved the launch to next week.",
    "Yeah, he's been quiet all week, not a single message.",
    "Yes, that's exactly how it felt, like nobody was listening.",
])
def test_a_yes_that_opens_a_statement_is_not_asking(message):
    assert not asked(OFFERED, message).asked
