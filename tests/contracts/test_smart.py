"""Deadline parsing and the deterministic SMART checker."""

from __future__ import annotations

import datetime as dt

import pytest

from kickcoach.contracts import CRITERIA, Goal, check_goal, find_when, parse_when, questions_for
from kickcoach.contracts.dates import time_spans
from kickcoach.contracts.smart import matching_need, quantities

TODAY = dt.date(2026, 11, 23)  # a Monday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("by 31 March 2027", dt.date(2027, 3, 31)),
        ("2027-03-31", dt.date(2027, 3, 31)),
        ("in 3 months", dt.date(2027, 2, 23)),
        ("within six weeks", dt.date(2027, 1, 4)),
        ("over the next 8 weeks", dt.date(2027, 1, 18)),
        ("in 3 months' time", dt.date(2027, 2, 23)),
        ("by end of Q2", dt.date(2027, 6, 30)),  # Q2 2026 is past: next year's
        ("in Q4", dt.date(2026, 12, 31)),
        ("start of Q1", dt.date(2027, 1, 1)),
        ("next quarter", dt.date(2027, 3, 31)),
        ("next Friday", dt.date(2026, 11, 27)),
        ("by the end of the year", dt.date(2026, 12, 31)),
        ("end of next month", dt.date(2026, 12, 31)),
        ("this month", dt.date(2026, 11, 30)),
        ("by June", dt.date(2027, 6, 30)),
        ("the end of June 2028", dt.date(2028, 6, 30)),
        ("mid-March", dt.date(2027, 3, 15)),
        ("by November", dt.date(2026, 11, 30)),
        ("by 2027", dt.date(2027, 12, 31)),
        ("by the 15th", dt.date(2026, 12, 15)),
        ("04/05/2027", dt.date(2027, 5, 4)),  # day first
        ("no later than 1 April 2027.", dt.date(2027, 4, 1)),
        ("2020-01-01", dt.date(2020, 1, 1)),  # explicit past dates are returned; the checker flags them
    ],
)
def test_parse_when(text, expected):
    assert parse_when(text, TODAY) == expected


@pytest.mark.parametrize(
    "text", ["", "soon", "my field", "10 articles", "by 5", "3 days a week", "every Friday", "2 hours", "2027-02-30"]
)
def test_parse_when_refuses_what_is_not_a_deadline(text):
    assert parse_when(text, TODAY) is None


def test_time_spans_finds_deadline_phrases_inside_sentences():
    text = "Meet 6 new people in my field for coffee by 18 January 2027, and follow up with each within a week."
    spans = [(text[s.start : s.end], s.date) for s in time_spans(text, TODAY)]
    assert spans == [("by 18 January 2027", dt.date(2027, 1, 18)), ("within a week", dt.date(2026, 11, 30))]
    assert find_when("Grow my team by 5 people", TODAY) is None
    assert find_when("Run a 5k before May 2027 on the weekend", TODAY).date == dt.date(2027, 5, 31)


def test_vague_goal_fails_with_reasons():
    verdict = check_goal("Grow my network.", today=TODAY)
    assert list(verdict.criteria) == list(CRITERIA)
    assert verdict.failed == ["specific", "measurable", "time_bound"]
    assert not verdict.passed
    assert (
        verdict.criteria["specific"].reason == 'only vague verbs ("grow") — it doesn\'t say what you will actually do'
    )
    assert verdict.criteria["measurable"].reason == "no number or observable result to measure"
    assert verdict.criteria["time_bound"].reason == "no deadline or timeframe"
    assert verdict.criteria["achievable"].reason == "no basis to doubt it"
    assert verdict.criteria["relevant"].reason == "no stated needs to check against"


def test_smart_goal_passes_with_reasons():
    verdict = check_goal(
        "Publish 10 articles on the team blog by 31 March 2027", today=TODAY, needs=["build a writing portfolio"]
    )
    assert verdict.passed and verdict.failed == []
    assert verdict.criteria["specific"].reason == 'names a concrete action: "Publish 10 articles"'
    assert verdict.criteria["measurable"].reason == 'has a number to measure: "10 articles"'
    assert verdict.criteria["time_bound"].reason == "deadline 2027-03-31 is 18 weeks away"
    assert verdict.criteria["relevant"].reason == 'serves the need "build a writing portfolio"'
    assert "realistic" in verdict.criteria["achievable"].reason


def test_numbers_in_a_date_do_not_make_a_goal_measurable():
    verdict = check_goal("Get better at public speaking by 31 March 2027", today=TODAY)
    assert verdict.failed == ["specific", "measurable"]


@pytest.mark.parametrize(
    "text",
    [
        "Pass the AWS Solutions Architect exam by June",  # observable one-off result
        "Go to the gym twice a week until March",  # frequency
        "Cut the monthly report from six hours to two by March",  # number words
        "Grow my network to 500 LinkedIn connections by June 2027",  # counted object, no action verb
    ],
)
def test_specific_and_measurable_accept_several_forms(text):
    verdict = check_goal(text, today=TODAY)
    assert verdict.criteria["specific"].ok, verdict.criteria["specific"].reason
    assert verdict.criteria["measurable"].ok, verdict.criteria["measurable"].reason


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Go from 0 to 10,000 followers in 1 week", "10,000 followers in 1 week is about 10,000 a week"),
        ("Publish 50 articles in 2 weeks", "50 articles in 2 weeks is about 25 a week"),
        ("Publish 2 articles a day until March", "14 articles a week"),
        ("Lose 20 kg in a month", "20 kg in 4 weeks"),
        ("Grow revenue from 10 to 500 accounts in 2 weeks", "50-fold jump"),
    ],
)
def test_achievable_flags_unrealistic_pace_when_the_text_gives_the_basis(text, reason):
    criterion = check_goal(text, today=TODAY).criteria["achievable"]
    assert not criterion.ok
    assert reason in criterion.reason


@pytest.mark.parametrize(
    "text",
    [
        "Publish 50 articles",
        "Publish 10 articles by 31 March 2027",
        "Run a marathon in 2 weeks",
        "Present the Q4 results in a 10-minute talk by January",
    ],
)
def test_achievable_does_not_guess_without_a_basis(text):
    assert check_goal(text, today=TODAY).criteria["achievable"].ok


def test_relevance_uses_topics_not_exact_words():
    needs = ["confidence presenting to leadership"]
    assert check_goal("Give 3 talks at team meetings by March", today=TODAY, needs=needs).criteria["relevant"].ok
    unrelated = check_goal("Run a 10k by March", today=TODAY, needs=needs).criteria["relevant"]
    assert not unrelated.ok
    assert unrelated.reason == 'not linked to any stated need or aim (e.g. "confidence presenting to leadership")'
    by_aim = check_goal("Run a 10k by March", today=TODAY, aims="more energy through fitness").criteria["relevant"]
    assert by_aim.reason == 'serves the aim "more energy through fitness"'
    assert matching_need("learn SQL", ["pull my own sales data", "present better"]) == "pull my own sales data"


def test_goal_objects_use_their_fields():
    goal = Goal(
        id="g1",
        what="Write the SQL for my weekly metrics myself",
        target="10 queries",
        target_value=10,
        unit="queries",
        start_value=2,
        timeframe="by end of Q1",
        relevant_to="stop waiting for the data team",
    )
    verdict = check_goal(goal, today=TODAY, needs=["something else entirely"])
    assert verdict.passed
    assert verdict.criteria["time_bound"].reason == '"by end of Q1" (2027-03-31) is 18 weeks away'
    assert verdict.criteria["relevant"].reason == 'serves: "stop waiting for the data team"'
    assert verdict.criteria["measurable"].reason == "target is 10 queries"
    assert verdict.criteria["achievable"].reason.startswith("8 queries in 18 weeks")


def test_indicator_with_a_number_makes_a_goal_measurable():
    goal = Goal(id="g1", what="Speed up our vendor reviews", target="faster reviews", indicators=["2 vendors compared"])
    assert check_goal(goal, today=TODAY).criteria["measurable"].reason == 'indicator has a number: "2 vendors compared"'


@pytest.mark.parametrize(
    ("deadline", "timeframe", "ok", "reason"),
    [
        (dt.date(2020, 1, 1), None, False, "deadline 2020-01-01 has already passed"),
        (TODAY, None, False, "deadline 2026-11-23 is today — pick a date ahead"),
        (dt.date(2026, 11, 26), None, True, "deadline 2026-11-26 is 3 days away"),
        (None, "some day", False, 'timeframe "some day" is not a date — give one like 2027-03-31'),
    ],
)
def test_time_bound(deadline, timeframe, ok, reason):
    goal = Goal(id="g1", what="Publish 4 articles", target="4 articles", deadline=deadline, timeframe=timeframe)
    criterion = check_goal(goal, today=TODAY).criteria["time_bound"]
    assert (criterion.ok, criterion.reason) == (ok, reason)


def test_questions_for_each_failed_criterion_in_smart_order():
    questions = questions_for(["time_bound", "measurable", "specific"], "Grow my network")
    assert questions == [
        '"grow" can mean many things — what exactly will you do, and on what?',
        "What number would tell you you've done it — how many, how often, or how much?",
        "By what date do you want to reach it?",
    ]
    assert questions_for(["specific"], "Network") == [
        "What exactly will you do, and on what — what would someone see you doing?"
    ]
    assert questions_for(["relevant", "achievable"], "x") == [
        "Is that realistic from where you are now — what target would stretch you but still be reachable by then?",
        "Which of your needs or aims does this goal serve?",
    ]
    assert questions_for([], "x") == []
    with pytest.raises(ValueError, match="unknown SMART criteria"):
        questions_for(["smart"], "x")


def test_quantities():
    found = [
        (q.value, q.unit, q.counts)
        for q in quantities("Meet 6 new people, reach 10,000 followers, score 4/5, 30%, 4 blog posts, a 10-minute talk")
    ]
    assert found == [
        (6, "people", True),
        (10000, "followers", True),
        (4, "out of 5", False),
        (30, "percent", False),
        (4, "blog posts", True),
        (10, "minute", False),
    ]
