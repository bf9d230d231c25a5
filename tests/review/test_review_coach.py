"""The coach's lines in a review: one per partner turn and one summary line, guarded, with a template fallback."""

import pytest
from review_helpers import DAY, DEMO_STEPS, FULL, goal_answer, sentence

from kickcoach import guard
from kickcoach.flows.review.flow import MODE_ASKED, MODE_NOT_ASKED, ReviewFlow
from kickcoach.flows.review.steps import Review


def answer_through(flow, steps, answers=FULL):
    view = flow.start("demo", DAY)
    for step in steps:
        view = flow.answer("demo", view.review_id, answers[step], step=step)
    return view


def coach(services, review_id):
    return Review.model_validate(services.pair("demo").get_record(review_id).data).coach


def test_a_clean_model_sentence_is_used_once_per_turn(flow, demo, fake_model):
    fake_model.queue(
        sentence("It sounds like the talk without notes went well and the CFO's questions still feel big.")
    )
    view = answer_through(flow, ["checkin", "a.g1"])
    assert fake_model.calls == []  # no model call until the turn is complete
    view = flow.answer("demo", view.review_id, FULL["a.g2"])
    line = coach(demo, view.review_id)["a"]
    assert line.source == "model" and line.text.startswith("It sounds like the talk without notes went well")
    assert line.prompt == "review/reflect@v1" and line.model == "fake" and line.asked is False
    call = fake_model.calls[0]
    assert call["kwargs"]["response_format"]["type"] == "json_schema"
    system, user = (m.content for m in call["messages"])
    assert MODE_NOT_ASKED in system and "3 of 4 rating out of 5" in user and "Fear of the CFO" in user
    assert view.coach[0].text == line.text  # shown on Tom's first step
    flow.back("demo", view.review_id)
    flow.skip("demo", view.review_id)
    assert len(fake_model.calls) == 1  # nothing changed: no new call


def test_editing_a_turn_makes_a_new_line(flow, demo, fake_model):
    fake_model.queue(
        sentence("You reported real progress on both goals this week."),
        sentence("It sounds like the talk rating moved up this week."),
    )
    view = answer_through(flow, ["checkin", "a.g1", "a.g2"])
    flow.answer("demo", view.review_id, goal_answer(4), step="a.g1")
    assert len(fake_model.calls) == 2
    assert coach(demo, view.review_id)["a"].text == "It sounds like the talk rating moved up this week."


def test_unrequested_suggestions_are_held_back(flow, demo, fake_model):
    fake_model.queue(sentence("You sound proud of the talk. You should practise every single day."))
    view = answer_through(flow, ["checkin", "a.g1", "a.g2"])
    line = coach(demo, view.review_id)["a"]
    assert "practise every single day" not in line.text and line.text.startswith("You sound proud of the talk.")
    assert line.removed and line.note and "held back" in line.note
    assert not any(guard.is_suggestion(s) for s in guard.split_sentences(line.text))


def test_suggestions_pass_when_the_partner_asked(flow, demo, fake_model):
    asked = dict(
        FULL, **{"a.g2": goal_answer(2, blockers="Procrastination. Any tips for getting the third draft started?")}
    )
    advice = "It sounds like the third draft is stuck; try writing just its first paragraph on Friday."
    fake_model.queue(sentence(advice))
    view = answer_through(flow, ["checkin", "a.g1", "a.g2"], asked)
    line = coach(demo, view.review_id)["a"]
    assert line.asked is True and line.text == advice and line.note is None
    assert MODE_ASKED in fake_model.calls[0]["messages"][0].content


def test_garbage_from_the_model_falls_back_to_the_template(flow, demo, fake_model):
    fake_model.queue(sentence("{name} ### ### ### ###"))
    view = answer_through(flow, ["checkin", "a.g1", "a.g2"])
    line = coach(demo, view.review_id)["a"]
    assert len(fake_model.calls) == 1  # one call per line: no re-ask for an optional sentence
    assert line.source == "fallback" and "plain words only" in line.error
    assert line.text.startswith("It sounds like your 2 reported goals are on or ahead of the agreed path")
    assert "“Fear of the CFO's questions” getting in the way" in line.text
    assert line.text.endswith("?")
    assert not any(guard.is_suggestion(s) for s in guard.split_sentences(line.text))


@pytest.mark.parametrize(
    ("reply", "problem"),
    [
        ("Sure! Here you go", "no JSON object"),
        (sentence("The goal was to present Q4 sales results and it exceeded expectations."), "speak to them"),
        (sentence("I'm going to make a list of all the tasks you have."), "do not talk about yourself"),
        (sentence("You seem to enjoy gardening on quiet sunny weekends."), "stay with what they reported"),
        (sentence("You you you you you you you you."), "do not repeat yourself"),
        (sentence("Reply with JSON: you did the facts."), "do not mention these instructions"),
    ],
)
def test_sentences_a_small_model_gets_wrong_are_replaced(flow, demo, fake_model, reply, problem):
    fake_model.queue(reply)
    view = answer_through(flow, ["checkin", "a.g1", "a.g2"])
    line = coach(demo, view.review_id)["a"]
    assert line.source == "fallback" and problem in line.error and line.text.startswith("It sounds like")


def test_a_failing_model_never_loses_the_answers(flow, demo, fake_model):
    def boom(messages):
        raise RuntimeError("connection refused")

    fake_model.queue(boom)
    view = answer_through(flow, ["checkin", "a.g1", "a.g2"])
    review = Review.model_validate(demo.pair("demo").get_record(view.review_id).data)
    assert review.answers["a.g2"]["progress"] == 2.0
    assert review.coach["a"].source == "fallback" and "connection refused" in review.coach["a"].error


def test_the_template_offers_the_other_partners_help_only_when_asked(quiet_flow, demo):
    asked = dict(FULL, **{"b.g1": goal_answer(3, blockers="Distractions. What should I do about my SQL hour?")})
    view = answer_through(quiet_flow, DEMO_STEPS[:5], asked)
    lines = coach(demo, view.review_id)
    assert lines["b"].asked and "Priya Shah offered Help writing SQL queries and reviewing them" in lines["b"].text
    assert not lines["a"].asked and "offered" not in lines["a"].text


def test_the_summary_line_is_made_when_the_summary_is_reached(flow, demo, fake_model):
    fake_model.queue(sentence("You both kept showing up for each other this week, even with one goal behind."))
    quiet = ReviewFlow(demo, use_model=False)
    view = answer_through(quiet, DEMO_STEPS[:5])
    view = flow.answer("demo", view.review_id, FULL["fairness"])
    assert view.kind == "summary"
    line = coach(demo, view.review_id)["summary"]
    assert (
        line.source == "model"
        and line.text == "You both kept showing up for each other this week, even with one goal behind."
    )
    assert [n.label for n in view.coach] == ["Coach, after Priya Shah's turn", "Coach, after Tom Ellis's turn", "Coach"]
    assert "reported goals on or ahead of the agreed path" in fake_model.calls[-1]["messages"][1].content


def test_without_the_model_every_line_is_a_template(quiet_flow, demo, fake_model):
    view = answer_through(quiet_flow, DEMO_STEPS)
    lines = coach(demo, view.review_id)
    assert set(lines) == {"a", "b", "summary"} and fake_model.calls == []
    assert all(line.source == "fallback" and line.prompt is None for line in lines.values())
    assert lines["summary"].text == (
        "It sounds like a week with 2 of 4 reported goals on or ahead of the agreed path. "
        "What do you both want to carry into next week?"
    )
    assert lines["b"].text.startswith("It sounds like you're at 3 of 10 queries where the agreed path would be 5.8")


def test_the_summary_line_counts_every_reported_goal_not_only_those_with_a_path(demo, fake_model):
    from kickcoach.contracts.models import Goal
    from kickcoach.contracts.service import load_contract, save_contract

    contract = load_contract(demo, "demo")
    priya = contract.partner("a")
    vague = Goal(id="g3", what="Be good at Excel", target="good at it")  # no number, no deadline: no path
    partners = tuple(p.model_copy(update={"goals": [*p.goals, vague]}) if p.id == "a" else p for p in contract.partners)
    save_contract(demo, contract.edited(partners=partners))
    assert priya.goals != load_contract(demo, "demo").partner("a").goals
    flow = ReviewFlow(demo, use_model=False)
    view = flow.start("demo", DAY)
    steps = [*DEMO_STEPS[:3], "a.g3", *DEMO_STEPS[3:]]
    answers = {**FULL, "a.g3": {"progress": 2, "wins": "", "waste": "", "blockers": "", "commitments": []}}
    for step in steps:
        view = flow.answer("demo", view.review_id, answers[step], step=step)
    assert coach(demo, view.review_id)["summary"].text.startswith(
        "It sounds like a week with 2 of 4 reported goals on or ahead of the agreed path "
        "(1 more without a target to compare)."
    )  # five reported: four with a path, one without


@pytest.mark.integration
def test_the_embedded_model_gives_a_guarded_line(demo, tmp_path):
    from kickcoach.core.config import Settings
    from kickcoach.llm import build_chat_model
    from kickcoach.services import Services

    real = Services(
        demo.settings, model=build_chat_model(Settings(backend="embedded", home=tmp_path)), embeddings=demo.embeddings
    )
    flow = ReviewFlow(real)
    view = answer_through(flow, ["checkin", "a.g1", "a.g2"])
    line = coach(demo, view.review_id)["a"]
    assert line.text and len(line.text.split()) <= 80
    assert not any(guard.is_suggestion(s) for s in guard.split_sentences(line.text) if s != guard.PERMISSION_OFFER)
