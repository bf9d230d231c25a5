"""Safety before coaching in the chat: the help reply, flagged and private, with no move, idea or model call."""

from __future__ import annotations

import pytest

from kickcoach.core.person import local_owner
from kickcoach.flows.chat import SAFETY_LABEL, CoachChat
from kickcoach.safety import reminder
from kickcoach.safety.reply import default_contacts

CRISIS = "I feel hopeless lately, like there's no point in any of it and everyone would be better off without me."
HARASSMENT = "My manager keeps commenting on my body in our team meetings and I don't know what to do."


@pytest.fixture
def coach(services):
    services.storage.ensure_pair("demo", "Demo")
    return CoachChat(services)


@pytest.mark.parametrize(("message", "category"), [(CRISIS, "suicide_selfharm"), (HARASSMENT, "harassment_at_work")])
def test_risk_gets_the_help_reply_and_the_flag_is_stored(coach, services, message, category):
    result = coach.ask("demo", None, message)
    assert result.safety == category and result.model == SAFETY_LABEL and result.moves == ["safety"]
    assert result.sources == [] and not result.asked
    assert "more than a peer-mentoring coach" in result.reply and default_contacts().emergency in result.reply
    turns = services.pair("demo").turns(result.conversation_id)
    assert [t.role for t in turns] == ["user", "assistant"] and turns[0].content == message  # their words first
    assert turns[1].content == result.reply and turns[1].engine_state["safety"]["category"] == category
    assert "coach" not in turns[1].engine_state  # no coaching move was made


def test_the_flag_is_private_to_the_speaker(coach, services):
    result = coach.ask("demo", None, CRISIS, speaker="a")
    partner = services.storage.for_person(local_owner("demo", "b"), "demo")
    assert all(c.id != result.conversation_id for c in partner.conversations())


def test_no_model_wording_on_a_safety_turn(services, fake_model):
    services.storage.ensure_pair("demo", "Demo")
    services.settings.coach_model_text = "always"
    fake_model.queue(lambda messages: pytest.fail("the model was called on a safety turn"))
    result = CoachChat(services).ask("demo", None, HARASSMENT)
    assert result.safety == "harassment_at_work" and not result.model_text_used


def test_venting_is_coached_not_alarmed(coach):
    result = coach.ask("demo", None, "This deadline is killing me, I've rewritten the intro four times.")
    assert result.safety is None and result.model == "coach-engine" and "peer-mentoring coach" not in result.reply


def test_the_conversation_goes_on_after_the_help_reply_and_help_is_recalled(coach):
    first = coach.ask("demo", None, CRISIS)
    after = coach.ask("demo", first.conversation_id, "Sorry, that came out heavier than I meant. Can we talk about my exam?")
    assert after.safety is None and after.reply and after.reply != first.reply
    assert after.reply.startswith(reminder())
    cid = first.conversation_id
    for message in ("I have two modules left.", "I booked the exam for March.", "I told Tom about it."):
        last = coach.ask("demo", cid, message)
    assert not last.reply.startswith(reminder())  # three replies later it no longer repeats
