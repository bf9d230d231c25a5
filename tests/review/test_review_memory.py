"""The coach answers from the pair's last weekly review: what I (or my partner) committed to, and what blocked."""

from __future__ import annotations

from review_helpers import DAY, DEMO_STEPS, FULL

from kickcoach.flows.chat import CoachChat


def _review(flow):
    view = flow.start("demo", DAY)
    for step in DEMO_STEPS:
        view = flow.answer("demo", view.review_id, FULL[step], step=step)


def test_no_review_yet_is_said_plainly(demo):
    result = CoachChat(demo).ask("demo", None, "What did I commit to in our last review?", speaker="a")
    assert "no weekly review saved" in result.reply and result.safety is None


def test_my_commitments_come_from_the_last_review_with_its_source(quiet_flow, demo):
    _review(quiet_flow)
    result = CoachChat(demo).ask("demo", None, "What did I commit to in our last review?", speaker="a")
    assert f"At your review on {DAY.day} {DAY:%B}, you committed to:" in result.reply
    assert "“Record one practice run”" in result.reply and "“Send draft three to Tom”" in result.reply
    assert "Rewrite the churn query" not in result.reply  # Tom's, not mine
    assert any(s.source == "weekly review" for s in result.sources) and not result.asked


def test_the_partners_commitments_and_my_blockers(quiet_flow, demo):
    _review(quiet_flow)
    coach = CoachChat(demo)
    partner = coach.ask("demo", None, "What did Tom commit to last week?", speaker="a")
    assert "Tom committed to:" in partner.reply and "“Rewrite the churn query”" in partner.reply
    blockers = coach.ask("demo", None, "What did I say was blocking me at our last review?", speaker="a")
    assert "in the way" in blockers.reply and "Fear of the CFO's questions." in blockers.reply
