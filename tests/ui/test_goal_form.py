"""The goal form as data: an edit changes only what was changed, an empty number stays empty, dates accept
the phrases people type, and every problem is one plain sentence."""

from __future__ import annotations

import datetime as dt

import pytest

from kickcoach.contracts.files import demo_contract
from kickcoach.contracts.smart import check_goal
from kickcoach.ui import goal_form

TODAY = dt.date(2026, 11, 23)


def test_a_loaded_goal_saved_with_one_change_keeps_everything_else():
    goal = demo_contract().partner("a").goals[0]
    loaded = goal_form.form_values(goal)
    saved = goal_form.build_goal(goal, goal.id, {**loaded, "target": "a 10-minute talk"}, loaded, TODAY)
    assert saved.target == "a 10-minute talk"
    assert saved.model_copy(update={"target": goal.target}) == goal  # indicators, "Serves", dates, status kept


def test_fields_left_empty_on_a_goal_that_was_not_loaded_keep_their_values():
    goal = demo_contract().partner("a").goals[0]
    typed = {**dict.fromkeys(goal_form.FIELDS, ""), "what": goal.what, "target": "10 minutes"}
    saved = goal_form.build_goal(goal, goal.id, typed, None, TODAY)
    assert saved.indicators == goal.indicators and saved.how == goal.how and saved.deadline == goal.deadline


def test_an_empty_number_stays_empty_and_fails_measurable():
    form = {**dict.fromkeys(goal_form.FIELDS, ""), "what": "Be good at Excel", "target": "good at it"}
    goal = goal_form.build_goal(None, "g9", form, None, TODAY)
    assert goal.target_value is None
    assert not check_goal(goal, today=TODAY).criteria["measurable"].ok


@pytest.mark.parametrize("typed, expected", [
    ("2027-03-31", dt.date(2027, 3, 31)),
    ("end of March", dt.date(2027, 3, 31)),
    ("31 March 2027", dt.date(2027, 3, 31)),
    ("end of Q1", dt.date(2027, 3, 31)),
])
def test_deadlines_accept_what_people_type(typed, expected):
    assert goal_form.parse_deadline(typed, TODAY) == expected


@pytest.mark.parametrize("field, typed, said", [
    ("target_value", "ten", goal_form.NUMBER_HINT),
    ("target_value", "nan", goal_form.NUMBER_HINT),
    ("deadline", "whenever", goal_form.DEADLINE_HINT),
    ("what", "", goal_form.WHAT_HINT),
    ("target", " ", goal_form.TARGET_HINT),
])
def test_each_problem_is_one_plain_sentence(field, typed, said):
    form = {**dict.fromkeys(goal_form.FIELDS, ""), "what": "Run workshops", "target": "5 workshops", field: typed}
    with pytest.raises(goal_form.FormProblem) as problem:
        goal_form.build_goal(None, "g9", form, None, TODAY)
    assert str(problem.value) == said


def test_a_deadline_before_the_start_is_said_with_the_field_name_and_no_library_wording():
    goal = demo_contract().partner("a").goals[0].model_copy(update={"start_date": dt.date(2027, 1, 1)})
    loaded = goal_form.form_values(goal)
    with pytest.raises(goal_form.FormProblem) as problem:
        goal_form.build_goal(goal, goal.id, {**loaded, "deadline": "2026-12-01"}, loaded, TODAY)
    assert str(problem.value).startswith("Deadline: deadline 2026-12-01 is before")
    assert "Value error" not in str(problem.value) and "validation" not in str(problem.value)


def test_goal_choices_name_the_partner_and_the_goal():
    choices = goal_form.goal_choices(demo_contract())
    assert choices[0] == ("New goal", "") and choices[1][1] == "a/g1" and choices[1][0].startswith("Priya · g1: ")
