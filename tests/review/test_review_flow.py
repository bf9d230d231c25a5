import datetime as dt

import pytest
from review_helpers import DAY, DEMO_STEPS, FULL, goal_answer

from kickcoach.core.errors import InputInvalid, NotFound
from kickcoach.flows.review.flow import ReviewFlow
from kickcoach.flows.review.steps import RECORD_KIND, Review


def stored(services, review_id) -> Review:
    return Review.model_validate(services.pair("demo").get_record(review_id).data)


def run_all(flow, answers=FULL, day=DAY):
    view = flow.start("demo", day)
    for step in DEMO_STEPS:
        view = flow.answer("demo", view.review_id, answers[step], step=step)
    return view


def test_steps_follow_the_contract_and_each_answer_is_saved_as_given(quiet_flow, demo):
    view = quiet_flow.start("demo", DAY)
    assert (view.step, view.progress_label, view.kind) == ("checkin", "Step 1 of 7", "checkin")
    assert stored(demo, view.review_id).steps == DEMO_STEPS
    view = quiet_flow.answer("demo", view.review_id, FULL["checkin"])
    assert stored(demo, view.review_id).answers["checkin"]["note"] == "Both keen."
    assert view.step == "a.g1" and view.title.startswith("Priya Shah's turn · goal 1 of 2: Present")
    assert "Tom Ellis listens" in view.intro
    assert view.goal.planned == pytest.approx(1.67, abs=0.01)  # 0 → 4 from 2026-10-12 to 2027-01-28
    view = quiet_flow.answer("demo", view.review_id, FULL["a.g1"])
    saved = stored(demo, view.review_id).answers["a.g1"]
    assert saved["progress"] == 3.0 and saved["commitments"] == ["Record one practice run."]
    view = quiet_flow.answer("demo", view.review_id, FULL["a.g2"])
    assert view.step == "b.g1" and "Priya Shah listens" in view.intro  # the roles flip
    assert stored(demo, view.review_id).answers["a.g2"]["commitments"] == ["Send draft three to Tom", "Fix the charts"]


def test_summary_compares_numbers_with_the_path_and_flags_goals_behind(quiet_flow):
    view = run_all(quiet_flow)
    assert view.status == "done" and view.kind == "summary"
    s = quiet_flow.summary("demo", view.review_id)
    rows = {(p.partner, p.goal_id): p for p in s.progress}
    tom = rows[("b", "g1")]  # 2 → 10 queries, 2026-10-12 → 2027-01-15: planned 2 + 8 * 45/95 on 11-26
    assert tom.progress == 3 and tom.planned == pytest.approx(5.79, abs=0.01) and tom.behind is True
    assert tom.text == "3 of 10 queries; on the agreed path you'd be at 5.8"
    assert rows[("a", "g1")].status == "ahead" and rows[("a", "g1")].behind is False
    assert any("Tom Ellis: Write the SQL queries" in b and "5.8" in b for b in s.behind)
    assert [c.text for c in s.commitments_next][:2] == ["Record one practice run.", "Send draft three to Tom"]
    assert "Priya Shah: fair; Tom Ellis: mostly fair" in s.fairness_text
    assert s.note == "See you Thursday." and s.answered == 7 and s.skipped == 0


def test_commitments_are_listed_at_the_next_check_in_and_marks_are_stored(quiet_flow, demo):
    run_all(quiet_flow, day=dt.date(2026, 11, 19))
    view = quiet_flow.start("demo", DAY)
    assert [(c.id, c.text, c.done) for c in view.carried] == [
        ("a-g1-1", "Record one practice run.", None),
        ("a-g2-1", "Send draft three to Tom", None),
        ("a-g2-2", "Fix the charts", None),
        ("b-g1-1", "Rewrite the churn query.", None),
    ]
    assert view.questions[-1].kind == "marks"
    view = quiet_flow.answer(
        "demo", view.review_id, {"note": "", "commitments": {"a-g1-1": "done", "a-g2-1": "not done", "b-g1-1": True}}
    )
    assert stored(demo, view.review_id).answers["checkin"]["commitments"] == {
        "a-g1-1": True,
        "a-g2-1": False,
        "b-g1-1": True,
    }
    s = quiet_flow.summary("demo", view.review_id)
    assert (s.commitments_kept, s.commitments_marked) == (2, 3)
    assert "Commitments from last time: 2 of 3 kept, 1 not marked." in s.lines
    with pytest.raises(InputInvalid, match="no commitment x-1") as caught:
        quiet_flow.answer("demo", view.review_id, {"commitments": {"x-1": "done"}}, step="checkin")
    assert caught.value.field == "checkin.commitments" and "a-g1-1" in caught.value.fix


def test_bad_answers_name_the_field_and_change_nothing(quiet_flow, demo):
    view = quiet_flow.start("demo", DAY)
    view = quiet_flow.answer("demo", view.review_id, {"note": "hi"})
    with pytest.raises(InputInvalid, match="not a number") as caught:
        quiet_flow.answer("demo", view.review_id, goal_answer("three"))
    assert caught.value.field == "a.g1.progress"
    with pytest.raises(InputInvalid, match="a.g1.mood") as caught:
        quiet_flow.answer("demo", view.review_id, {"mood": "fine"})
    assert "progress" in caught.value.fix
    with pytest.raises(InputInvalid, match="fairness.a.fair"):
        quiet_flow.answer("demo", view.review_id, {"a": {"fair": "kind of"}}, step="fairness")
    review = stored(demo, view.review_id)
    assert review.current == "a.g1" and set(review.answers) == {"checkin"}


def test_back_and_skip_keep_answers_and_drafts(quiet_flow, demo):
    view = quiet_flow.start("demo", DAY)
    view = quiet_flow.answer("demo", view.review_id, FULL["checkin"])
    view = quiet_flow.answer("demo", view.review_id, FULL["a.g1"])
    view = quiet_flow.back("demo", view.review_id, {"progress": "1.5", "wins": "half typed"})
    assert view.step == "a.g1" and view.values["progress"] == 3.0  # the saved answer is shown
    view = quiet_flow.skip("demo", view.review_id)  # skipping an answered step keeps its answer
    assert view.step == "a.g2" and view.values == {"progress": "1.5", "wins": "half typed"}  # the draft is back
    review = stored(demo, view.review_id)
    assert review.answers["a.g1"]["progress"] == 3.0 and "a.g1" not in review.skipped
    view = quiet_flow.skip("demo", view.review_id, {"wins": "half typed, more"})
    assert view.step == "b.g1" and stored(demo, view.review_id).skipped == ["a.g2"]
    assert stored(demo, view.review_id).drafts["a.g2"] == {"wins": "half typed, more"}


def test_resume_lands_on_the_first_open_step_after_a_restart(settings, demo):
    from kickcoach.services import Services

    first = ReviewFlow(demo, use_model=False)
    view = first.start("demo", DAY)
    for step in ("checkin", "a.g1"):
        view = first.answer("demo", view.review_id, FULL[step])
    first.skip("demo", view.review_id)  # a.g2 skipped: handled, not where the resume lands
    first.back("demo", view.review_id)
    first.back("demo", view.review_id)  # the person wandered back to the check-in and closed the browser
    demo.storage.engine.dispose()
    again = ReviewFlow(Services(settings), use_model=False)
    view = again.start("demo", DAY)
    assert view.resumed and view.step == "b.g1" and view.progress_label == "Step 4 of 7"
    assert again.load("demo", view.review_id).answers["a.g1"] == stored(demo, view.review_id).answers["a.g1"]
    assert len(again.reviews("demo")) == 1  # one review per pair and date


def test_finishing_skips_open_steps_and_a_finished_review_opens_at_its_summary(quiet_flow):
    view = quiet_flow.start("demo", DAY)
    view = quiet_flow.goto("demo", view.review_id, "summary")
    view = quiet_flow.answer("demo", view.review_id, {"note": "short one"})
    assert view.status == "done"
    review = quiet_flow.load("demo", view.review_id)
    assert review.skipped == DEMO_STEPS[:-1] and review.finished_at is not None
    again = quiet_flow.start("demo", DAY)
    assert again.step == "summary" and again.summary.note == "short one"


def test_no_contract_and_other_pairs_reviews_are_not_found(quiet_flow, demo):
    demo.storage.ensure_pair("other", "Other")
    with pytest.raises(NotFound, match="no contract"):
        quiet_flow.start("other", DAY)
    view = quiet_flow.start("demo", DAY)
    with pytest.raises(NotFound):
        quiet_flow.load("other", view.review_id)
    with pytest.raises(NotFound):
        quiet_flow.answer("other", view.review_id, {"note": "sneaky"})
    assert stored(demo, view.review_id).answers == {}
    rid = demo.pair("demo").put_record("rehearsal", {"x": 1})
    with pytest.raises(NotFound):
        quiet_flow.load("demo", rid)
    assert demo.pair("demo").records(RECORD_KIND)[0].id == view.review_id


def test_a_partner_without_goals_gets_one_turn_step(demo):
    from kickcoach.contracts.files import demo_contract
    from kickcoach.contracts.service import save_contract

    contract = demo_contract()
    tom = contract.partners[1].model_copy(update={"goals": []})
    save_contract(demo, contract.model_copy(update={"pair_id": "nogoals", "partners": (contract.partners[0], tom)}))
    flow = ReviewFlow(demo, use_model=False)
    view = flow.start("nogoals", DAY)
    review = flow.load("nogoals", view.review_id)
    assert review.steps == ["checkin", "a.g1", "a.g2", "b", "fairness", "summary"]
    view = flow.goto("nogoals", view.review_id, "b")
    assert view.kind == "turn" and [q.name for q in view.questions] == ["wins", "waste", "blockers", "commitments"]
    flow.answer("nogoals", view.review_id, {"wins": "Shipped", "commitments": "Book a slot"})
    assert [c.id for c in flow.load("nogoals", view.review_id).new_commitments()] == ["b-1"]
