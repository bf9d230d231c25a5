"""Feedback that keeps the behaviour (issue #20): tuning figures pinned on the template path, and the scorer's rules."""

from __future__ import annotations

from pathlib import Path

import yaml

from kickcoach.evals.drafts_feedback import score
from kickcoach.flows.feedback import template
from kickcoach.flows.feedback.skeleton import is_skeleton

TUNING = Path(__file__).resolve().parents[2] / "evals" / "tuning" / "criticisms.yaml"


def test_the_tuning_figures_hold():
    cases = yaml.safe_load(TUNING.read_text(encoding="utf-8"))
    assert len(cases) >= 20
    figures = score(cases, None)
    assert figures.content_free == 0 and figures.verified_content_free == 0
    assert figures.judgements_left == 0
    assert figures.behaviours_kept >= 36 and figures.behaviours == 41  # measured 36 / 41 (desk, process, idea lost)


def test_the_issue_examples():
    late = template("You're always late and you clearly don't care.")
    assert late.verified and late.rewrite == "I noticed that you were late."
    prepared = template("You're never prepared for our meetings.")
    assert prepared.verified and "prepared for our meetings" in prepared.rewrite and "never" not in prepared.rewrite
    agenda = template("You came to our last two meetings without reading the agenda, which is just lazy.")
    assert agenda.rewrite == "I noticed that you came to our last two meetings without reading the agenda."


def test_a_criticism_without_a_behaviour_gets_the_skeleton_and_its_questions():
    result = template("You're useless.")
    assert is_skeleton(result.rewrite) and result.verified
    assert "useless" not in result.rewrite and len(result.questions) == 4


def test_the_scorer_counts_a_content_free_rewrite(monkeypatch):
    """The old empty opener, as the flow used to return it, is what the scorer must catch."""
    import kickcoach.evals.drafts_feedback as scorer

    opener = template("You never prepare.").model_copy(
        update={"rewrite": "I'd like to talk with you about something that happened.", "verified": True}
    )
    monkeypatch.setattr(scorer, "template", lambda text: opener)
    case = {"id": "x", "text": "You never prepare.", "behaviours": ["prepar"], "judgements": []}
    figures = scorer.score([case], None)
    assert (figures.content_free, figures.verified_content_free, figures.behaviours_kept) == (1, 1, 0)


def test_new_labels_go_and_the_setting_stays_in_the_skeleton():
    snippy = template("You were really snippy in the design review.")
    assert is_skeleton(snippy.rewrite) and snippy.rewrite.startswith("In the design review, you [")
    assert "snippy" not in snippy.rewrite and len(snippy.questions) == 3  # the situation is known
    badly = template("You handled the client escalation badly.")
    assert badly.rewrite == "I noticed that you handled the client escalation."
    assert template("You're useless.").rewrite.startswith("When [")  # no setting: the situation stays a blank
