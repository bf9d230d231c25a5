"""Rewrites are grammatical and judge nobody; what cannot be said cleanly becomes questions."""

from __future__ import annotations

import json

import pytest

from kickcoach.flows.feedback import detect, grammar_problems, rephrase, template, verify
from kickcoach.flows.feedback import flow as feedback_flow
from kickcoach.llm.fake import FakeChatModel


@pytest.mark.parametrize(
    "text",
    [
        "I noticed that didn't send the minutes.",  # no subject after "that"
        "Wasn't at the handover.",  # no subject at the start
        "You left. Because didn't want to stay.",  # no subject after "because"
    ],
)
def test_a_verb_without_a_subject_is_a_problem(text):
    assert any("has no subject" in p for p in grammar_problems(text))


@pytest.mark.parametrize(
    "text",
    ["I noticed that your report was late and.", "You moved the review to the.", "You skipped the sync, but."],
)
def test_a_sentence_may_not_end_on_a_conjunction_or_determiner(text):
    assert any(p.startswith("finish the sentence") for p in grammar_problems(text))


@pytest.mark.parametrize(
    "text", ["You left early, and which meant a gap.", "You spoke first but as if it was settled."]
)
def test_a_headless_clause_after_a_conjunction_is_a_problem(text):
    assert any("lost its start" in p for p in grammar_problems(text))


@pytest.mark.parametrize(
    "text",
    [
        "I noticed that you didn't send the minutes.",
        "When I asked you for the figures, you changed the subject. That was confusing.",
        "You turned up ten minutes late to the 1:1 on Monday.",
        "I noticed that you didn't say what we had agreed on.",
    ],
)
def test_plain_feedback_has_no_grammar_problem(text):
    assert grammar_problems(text) == []


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Your slides were dull.", "you_are_judgement"),
        ("You wrote a shoddy summary.", "trait_label"),
        ("You moved the launch. It's ridiculous.", "you_are_judgement"),
        ("You skipped the retro. Typical.", "you_are_judgement"),
        ("You ignore everything I flag.", "absolute"),
        ("You fixed nothing.", "absolute"),
        ("You cut me off, as if I had nothing to add.", "mind_reading"),
    ],
)
def test_judging_the_work_and_quantifier_absolutes_are_flagged(text, kind):
    assert kind in {f.kind for f in detect(text)}


def test_a_feeling_after_its_is_an_impact_not_a_judgement():
    assert detect("You cancelled the demo. It's frustrating.") == []


def test_a_relative_clause_is_not_a_report():
    # "the summary you wrote was …" does not report speech: the quoted-label exception does not apply
    assert [f.kind for f in detect('The summary you wrote was "shoddy".')] == ["trait_label"]
    assert detect('You called my summary "shoddy" in the retro.') == []


def test_a_rewrite_carrying_a_judgement_or_absolute_fails_verification():
    original = "You never send the minutes, it's lazy."
    assert any("'boring'" in p for p in verify(original, "I noticed that the minutes you sent were boring."))
    assert any("'anything'" in p for p in verify(original, "I noticed that you didn't send anything."))


def test_an_unclean_impact_is_left_out_and_asked_about():
    result = template("You cancelled our sync twice this week, which was pointless of you.")
    assert "pointless" not in result.rewrite and detect(result.rewrite) == []
    assert "cancelled our sync" in result.rewrite


def test_when_the_behaviour_cannot_be_said_cleanly_the_user_gets_the_skeleton_and_questions():
    result = template("You promise everything and deliver nothing.")
    assert result.rewrite == (
        "When [the moment it happened], you [what they did or said]. As a result, [the effect on you or the work]. "
        "Could you [what you would like instead]?"
    )
    assert result.verified and result.problems == []  # the skeleton counts as verified: it invents nothing
    assert [q.split("?")[0] for q in result.questions] == [
        "When did this happen", "What exactly did they do or say", "What was the effect on you, the team or the work",
        "What would you like them to do instead next time",
    ]
    assert detect(result.rewrite) == []


def test_a_situation_the_criticism_names_fills_the_skeleton():
    result = template("You get so defensive whenever I give you feedback.")
    assert result.rewrite.startswith("When I gave you feedback, you [what they did or said].")
    assert result.verified and not result.questions[0].startswith("When did this happen")


def test_a_judgement_clause_leaves_no_dangling_conjunction():
    result = template("You're always late and you clearly don't care.")
    assert result.rewrite == "I noticed that you were late." and result.verified
    context = template("You're always late and you clearly don't care.", context="at Monday's stand-up")
    assert context.verified and "late" in context.rewrite and "care" not in context.rewrite


def test_every_relative_quantifier_becomes_what():
    assert "what we agreed" in template("You ignore everything we agreed in the kickoff.").rewrite


def test_every_compound_noun_is_pluralised_on_its_head():
    assert "the test cases we listed" in template("You skip every test case we listed.").rewrite


def test_a_model_behaviour_without_a_subject_is_reasked_then_replaced():
    draft = {"situation": "unknown", "behaviour": "didn't send the minutes", "impact": "unknown", "request": "none"}
    model = FakeChatModel(responses=[json.dumps(draft)] * 2)
    result = rephrase(model, "You never send the minutes, it's so lazy.")
    assert result.source == "template" and result.attempts == 2
    assert any("has no subject" in p for p in result.model_problems)
    assert grammar_problems(result.rewrite) == []


@pytest.mark.parametrize(("shared", "total", "grounded"), [(1, 2, True), (1, 3, False), (2, 4, True), (0, 1, False)])
def test_grounded_share_boundary(shared, total, grounded):
    assert feedback_flow.GROUNDED_SHARE == 0.5
    words = [f"alpha{n}" for n in range(total)]
    value, source = " ".join(words), " ".join(words[:shared])
    assert feedback_flow._grounded(value, source) is grounded


def test_a_quantifier_with_a_relative_clause_becomes_what():
    rewrite = template("You blame me for anything that breaks in the build.").rewrite
    assert "blamed me for what breaks in the build" in rewrite and grammar_problems(rewrite) == []
