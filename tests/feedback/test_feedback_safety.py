"""Safety before rewording: a criticism that describes harassment gets help, not a softer sentence."""

from __future__ import annotations

from kickcoach.flows.feedback import recent, rephrase_and_save
from kickcoach.ui.feedback_tab import FeedbackHandlers
from tests.conftest import login_request


def test_harassment_gets_help_and_no_rewrite(services):
    services.storage.ensure_pair("demo", "Demo")
    saved = rephrase_and_save(services, "demo", "You keep touching my back and making jokes about my body, it's gross.")
    assert saved.safety is not None and saved.safety.category == "harassment_at_work" and saved.result is None
    assert "more than a peer-mentoring coach" in saved.safety.text
    stored = recent(services, "demo")[0]
    assert stored.criticism.startswith("You keep touching") and stored.safety is not None  # their words kept


def test_an_ordinary_criticism_is_rephrased_as_before(services):
    services.storage.ensure_pair("demo", "Demo")
    saved = rephrase_and_save(services, "demo", "You're so lazy, you never answer my emails.")
    assert saved.safety is None and saved.result is not None and saved.result.rewrite


def test_share_latest_never_shares_a_flagged_draft(services):
    services.storage.ensure_pair("demo", "Demo")
    rephrase_and_save(services, "demo", "You never send the agenda before our meetings.")
    rephrase_and_save(services, "demo", "You keep commenting on my body in meetings and I hate it.")
    repo = services.pair("demo")
    handlers = FeedbackHandlers.__new__(FeedbackHandlers)
    handlers.services = services
    handlers.identity = type("Local", (), {"services": staticmethod(lambda s, r: s),
                                           "pair_id": staticmethod(lambda r: "demo")})()
    handlers.share_latest(login_request(None))
    shared = [r for r in repo.records("feedback") if r.shared_at is not None]
    assert len(shared) == 1 and "agenda" in shared[0].data["criticism"]
