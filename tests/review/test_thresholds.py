"""Boundary tests for the review's named thresholds: each one moves a verdict exactly at its value."""

from __future__ import annotations

import datetime as dt

import pytest

import kickcoach.flows.review.flow as review
from kickcoach.history.progress import BEHIND_TOLERANCE, GoalRef, assess

START, DEADLINE = dt.date(2027, 1, 1), dt.date(2027, 1, 11)  # 10 days: the path gains 10 a day
GOAL = GoalRef(
    partner="a",
    partner_name="Priya",
    goal_id="g1",
    what="Reach 100",
    target="100",
    target_value=100,
    start_value=0,
    start_date=START,
    deadline=DEADLINE,
)
ON = dt.date(2027, 1, 6)  # planned value 50; the tolerance is 10 (BEHIND_TOLERANCE of the range 100)


def test_behind_tolerance_is_ten_percent_of_the_range():
    assert BEHIND_TOLERANCE == 0.10


@pytest.mark.parametrize(
    ("progress", "status"),
    [(40.0, "on_track"), (39.9, "behind"), (60.0, "on_track"), (60.1, "ahead"), (100.0, "done")],
)
def test_behind_and_ahead_start_just_past_the_tolerance(progress, status):
    assert assess(GOAL, ON, progress).status == status


def test_a_falling_goal_is_behind_when_it_stays_too_high():
    falling = GOAL.model_copy(update={"target_value": 0, "start_value": 100, "what": "Down to 0"})
    assert assess(falling, ON, 60.0).status == "on_track"
    assert assess(falling, ON, 60.1).status == "behind"


@pytest.mark.parametrize(("words", "too_long"), [(review.MAX_LINE_WORDS, False), (review.MAX_LINE_WORDS + 1, True)])
def test_a_model_sentence_may_have_at_most_max_line_words(words, too_long):
    sentence = "It sounds like you " + " ".join(["ran"] * (words - 4))
    problems = review._sentence_problems(review._Sentence(sentence=sentence))
    assert any("keep it under" in p for p in problems) is too_long
