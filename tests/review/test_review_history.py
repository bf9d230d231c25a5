import datetime as dt

import pytest
from review_helpers import DAY, DEMO_STEPS, FULL, TODAY, goal_answer

from kickcoach.contracts.models import Cadence
from kickcoach.core.errors import InputInvalid
from kickcoach.flows.review.demo import seed_demo_history
from kickcoach.flows.review.history import (
    build_history,
    counted_meetings,
    export_markdown,
    meeting_dates,
)


def review_on(flow, day, answers=FULL, steps=DEMO_STEPS):
    view = flow.start("demo", day)
    for step in steps:
        view = flow.answer("demo", view.review_id, answers[step], step=step)
    return view.review_id


def test_meeting_dates_follow_the_cadence():
    monday = dt.date(2026, 10, 12)
    weekly = meeting_dates(monday, Cadence(frequency="weekly", weekday="thursday"), dt.date(2026, 11, 5))
    assert weekly == [dt.date(2026, 10, 15), dt.date(2026, 10, 22), dt.date(2026, 10, 29), dt.date(2026, 11, 5)]
    fortnightly = meeting_dates(monday, Cadence(frequency="fortnightly"), dt.date(2026, 11, 9))
    assert fortnightly == [monday, dt.date(2026, 10, 26), dt.date(2026, 11, 9)]
    monthly = meeting_dates(monday, Cadence(frequency="monthly", weekday="thursday"), dt.date(2027, 1, 31))
    assert monthly == [
        dt.date(2026, 10, 15),
        dt.date(2026, 11, 19),
        dt.date(2026, 12, 17),
        dt.date(2027, 1, 21),
    ]  # 3rd Thursday


def test_each_held_meeting_stands_for_the_earliest_agreed_one_due_within_half_a_period():
    thursdays = [dt.date(2026, 10, 15) + dt.timedelta(days=7 * i) for i in range(4)]
    # late by any amount: it stands for the earliest open one; early by 3 days (< 3.5): for the next
    assert counted_meetings(thursdays, [dt.date(2026, 10, 28)], 7) == [thursdays[0]]
    assert counted_meetings(thursdays, [dt.date(2026, 10, 12)], 7) == [thursdays[0]]
    assert counted_meetings(thursdays, [dt.date(2026, 10, 11)], 7) == []  # four days early: none
    # two in one week: the second waits for the next agreed meeting, which is more than half a period away
    assert counted_meetings(thursdays, [dt.date(2026, 10, 15), dt.date(2026, 10, 16)], 7) == [thursdays[0]]
    monthly = [dt.date(2026, 10, 15), dt.date(2026, 11, 19)]
    assert counted_meetings(monthly, [dt.date(2026, 10, 15), dt.date(2026, 11, 5)], 30) == monthly  # 14 days early


def test_history_counts_cadence_commitments_fairness_and_charts_actual_vs_planned(quiet_flow, demo):
    review_on(quiet_flow, dt.date(2026, 10, 29), dict(FULL, fairness={"a": {"fair": "yes"}, "b": {"fair": "no"}}))
    marks = {"note": "", "commitments": {"a-g1-1": True, "a-g2-1": False, "a-g2-2": True, "b-g1-1": True}}
    review_on(quiet_flow, dt.date(2026, 11, 19), dict(FULL, checkin=marks, **{"b.g1": goal_answer(4)}))
    history = build_history(demo, "demo", TODAY)
    assert [r.date for r in history.reviews] == [dt.date(2026, 10, 29), dt.date(2026, 11, 19)]
    assert (history.commitments.kept, history.commitments.marked) == (3, 4) and history.commitments.rate == 0.75
    assert history.commitments.by_partner == {"Priya Shah": (2, 3), "Tom Ellis": (1, 1)}
    cadence = history.cadence
    # Thursdays from 2026-10-15 to 11-19: 6 expected; held 10-29 and 11-19; missed 10-15, 10-22, 11-05, 11-12
    assert (cadence.expected, cadence.held, cadence.missed) == (6, 2, 4)
    assert [(p.date, p.a, p.b, p.both_fair) for p in history.fairness] == [
        (dt.date(2026, 10, 29), 1.0, 0.0, False),
        (dt.date(2026, 11, 19), 1.0, 0.5, False),
    ]
    tom = next(g for g in history.goals if g.startswith("Tom Ellis · g1"))
    frame = history.frame(tom)
    assert list(frame.columns) == ["date", "value", "series", "goal"]
    actual = frame[frame.series == "actual"]
    assert actual.value.tolist() == [2.0, 3.0, 4.0]  # start value, then the two reviews
    planned = frame[frame.series == "planned"]
    assert planned.value.tolist() == pytest.approx([2.0, 2 + 8 * 17 / 95, 2 + 8 * 38 / 95], abs=0.01)
    assert str(frame.date.dtype).startswith("datetime64")


def test_goals_without_reported_values_are_not_charted(quiet_flow, demo):
    review_on(quiet_flow, DAY, dict(FULL, **{"b.g2": goal_answer(None)}))
    history = build_history(demo, "demo", DAY)
    assert not any(g.startswith("Tom Ellis · g2") for g in history.goals) and len(history.goals) == 3


def test_seeded_demo_history_is_labelled_and_never_mixed_with_real_reviews(demo):
    made = seed_demo_history(demo, "demo", TODAY)
    assert len(made) == 5
    history = build_history(demo, "demo", TODAY)
    assert history.demo and all(r.demo and r.status == "done" for r in history.reviews)
    assert history.cadence.missed == 1 and history.cadence.held == 5  # one meeting left out on purpose
    assert len(history.goals) == 4 and all(
        len(history.frame(g)[lambda f: f.series == "actual"]) >= 3 for g in history.goals
    )
    assert any(r.behind for r in history.reviews)
    assert seed_demo_history(demo, "demo", TODAY) == []  # idempotent
    from kickcoach.flows.review.flow import ReviewFlow

    review_on(ReviewFlow(demo, use_model=False), DAY)
    with pytest.raises(InputInvalid, match="already has real reviews"):
        seed_demo_history(demo, "demo", TODAY + dt.timedelta(days=30))


def test_export_is_a_readable_markdown_document(quiet_flow):
    rid = review_on(quiet_flow, DAY)
    text = export_markdown(rid, quiet_flow.load("demo", rid))
    assert text.startswith("# Weekly review: Priya Shah & Tom Ellis, 2026-11-26\n")
    tom = "| Tom Ellis | Write the SQL queries for my team's weekly product metrics myself instead of requesting them."
    assert f"{tom} | 3 | 5.8 | behind |" in text
    assert "## Tom Ellis's turn" in text and "- **Blockers:** Distractions in my SQL hour." in text
    assert "- **Commitments for next week:** Send draft three to Tom; Fix the charts" in text
    assert "> Coach: It sounds like" in text and "## Closing note\n\nSee you Thursday." in text


# --- the agreed cadence from the contract's start (a fixed clock: as_of is passed in) -----------------
MONDAY_DEC_7 = dt.date(2026, 12, 7)


def _started(services, start):
    """The demo contract (weekly, Thursdays) as if agreed on ``start`` (its goals start then too)."""
    from kickcoach.contracts.files import demo_contract
    from kickcoach.contracts.service import save_contract

    contract = demo_contract()
    partners = [p.model_copy(update={"goals": [g.model_copy(update={"start_date": start}) for g in p.goals]})
                for p in contract.partners]
    save_contract(services, contract.model_copy(update={"start_date": start, "partners": tuple(partners)}))
    return services


def test_one_review_after_eight_agreed_thursdays_counts_seven_missed_not_eight(quiet_flow, demo):
    # the demo contract began Monday 2026-10-12: Thursdays 10-15 … 12-03 are 8 agreed meetings up to 12-07
    review_on(quiet_flow, MONDAY_DEC_7)
    cadence = build_history(demo, "demo", MONDAY_DEC_7).cadence
    assert (cadence.expected, cadence.held, cadence.missed) == (8, 1, 7)
    assert cadence.text == "Meetings: 1 held of 8 expected (weekly since 2026-10-12); 7 missed."


def test_a_contract_agreed_days_ago_expects_only_its_own_meetings(services):
    from kickcoach.flows.review.flow import ReviewFlow

    _started(services, dt.date(2026, 12, 2))  # a Wednesday: the first meeting is Thursday 12-03
    flow = ReviewFlow(services, use_model=False)
    saturday = dt.date(2026, 12, 5)
    cadence = build_history(services, "demo", saturday).cadence
    assert (cadence.expected, cadence.held, cadence.missed) == (1, 0, 0)  # two days late: still open
    assert build_history(services, "demo", MONDAY_DEC_7).cadence.missed == 1  # four days late: missed
    review_on(flow, MONDAY_DEC_7)
    cadence = build_history(services, "demo", MONDAY_DEC_7).cadence
    assert (cadence.expected, cadence.held, cadence.missed) == (1, 1, 0)  # held late, not missed


def test_an_early_meeting_counts_for_the_next_one_and_extra_meetings_for_none(quiet_flow, demo):
    # Thursdays from 10-15; as of Wednesday 10-28 (10-15 and 10-22 expected, 10-29 tomorrow)
    review_on(quiet_flow, dt.date(2026, 10, 13))  # two days early for 10-15
    review_on(quiet_flow, dt.date(2026, 10, 14))  # an extra meeting the same week
    cadence = build_history(demo, "demo", dt.date(2026, 10, 28)).cadence
    assert (cadence.expected, cadence.held, cadence.missed) == (2, 2, 1)  # 10-22 missed: the extra does not cover it
    review_on(quiet_flow, dt.date(2026, 10, 27))  # two days before 10-29 counts for 10-22, the earliest open one
    assert build_history(demo, "demo", dt.date(2026, 10, 28)).cadence.missed == 0


def test_a_review_before_the_contract_began_is_refused_with_a_reason(quiet_flow, demo):
    with pytest.raises(InputInvalid, match=r"2026-10-05 is before the contract began \(2026-10-12\)") as caught:
        quiet_flow.start("demo", dt.date(2026, 10, 5))
    assert caught.value.fix == "pick a date on or after 2026-10-12"
    assert quiet_flow.reviews("demo") == []
