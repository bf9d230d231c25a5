"""Safety in the weekly review: risk in a free-text answer shows the help reply first, to its writer only."""

from __future__ import annotations

from review_helpers import DAY, FULL, goal_answer

from kickcoach.flows.review.steps import Review
from kickcoach.ui.review_tab import step_markdown


def test_risk_in_an_answer_shows_help_first_and_is_not_stored_in_the_shared_review(quiet_flow, demo):
    view = quiet_flow.start("demo", DAY)
    view = quiet_flow.answer("demo", view.review_id, FULL["checkin"])
    risky = goal_answer(1, blockers="Since I complained to HR my manager has been harassing me every day.")
    view = quiet_flow.answer("demo", view.review_id, risky)
    assert view.safety and "more than a peer-mentoring coach" in view.safety
    assert "not shared with your partner" not in view.safety  # the review is shared: no such promise
    assert step_markdown(view).startswith("> What you've described sounds like harassment")
    stored = Review.model_validate(demo.pair("demo").get_record(view.review_id).data)
    assert "harassing" in stored.answers["a.g1"]["blockers"] and "safety" not in stored.model_dump_json()
    assert quiet_flow.answer("demo", view.review_id, FULL["a.g2"]).safety is None
