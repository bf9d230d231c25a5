import datetime as dt

import pytest

from kickcoach.history.progress import GoalRef, assess, number, planned_value

START, END = dt.date(2026, 1, 1), dt.date(2026, 1, 11)  # 10 days


def goal(start=0.0, target=10.0, deadline=END, unit="articles"):
    return GoalRef(
        partner="a",
        partner_name="Priya",
        goal_id="g1",
        what="Write articles",
        target="10 articles",
        unit=unit,
        target_value=target,
        start_value=start,
        start_date=START,
        deadline=deadline,
    )


def test_planned_value_is_a_straight_line_clamped_at_both_ends():
    g = goal(start=2, target=12)
    assert planned_value(g, START - dt.timedelta(days=5)) == 2
    assert planned_value(g, START) == 2
    assert planned_value(g, dt.date(2026, 1, 6)) == pytest.approx(7)
    assert planned_value(g, END) == 12
    assert planned_value(g, END + dt.timedelta(days=30)) == 12


def test_no_path_without_target_value_or_deadline():
    assert planned_value(goal(target=None), END) is None
    assert planned_value(goal(deadline=None), END) is None
    row = assess(goal(deadline=None), END, 3)
    assert row.status == "no_path" and row.behind is None and "no deadline" in row.text


def test_behind_means_more_than_ten_percent_of_the_range_below_the_path():
    g = goal()  # 0 → 10: tolerance is 1
    day = dt.date(2026, 1, 6)  # planned 5
    row = assess(g, day, 3)
    assert row.behind is True and row.status == "behind" and row.gap == pytest.approx(2)
    assert row.text == "3 of 10 articles; on the agreed path you'd be at 5"
    assert assess(g, day, 4).status == "on_track"  # exactly one (10 %) below: not behind
    assert assess(g, day, 3.9).status == "behind"
    assert assess(g, day, 6.5).status == "ahead"
    assert assess(g, day, 10).status == "done"


def test_falling_goals_are_behind_when_above_the_path():
    g = goal(start=10, target=0, unit="requests")  # e.g. "zero requests to the data team"
    day = dt.date(2026, 1, 6)  # planned 5
    assert assess(g, day, 7).status == "behind"
    assert assess(g, day, 5.5).status == "on_track"
    assert assess(g, day, 2).status == "ahead"
    assert assess(g, day, 0).status == "done"


def test_unreported_and_flat_goals_are_not_judged():
    assert assess(goal(), END, None).status == "not_reported"
    assert assess(goal(), END, None).behind is None
    assert assess(goal(start=4, target=4), END, 1).status == "no_path"


def test_numbers_read_naturally():
    assert number(5.0) == "5" and number(5.79) == "5.8" and number(0.04) == "0"
