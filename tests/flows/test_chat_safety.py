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
    replies = [coach.ask("demo", cid, message).reply
               for message in ("I have two modules left.", "I booked the exam for March.", "I told Tom about it.")]
    assert replies[0].startswith(reminder(after.reply)) and reminder(after.reply) != reminder()  # never the same line
    assert not any(r.startswith(line) for r in replies[2:] for line in (reminder(), reminder(after.reply)))


def test_right_after_the_help_reply_the_person_leads(coach):
    """The next turns get a short reflection and "I'm here": no question, no affirmation, no offer of ideas."""
    first = coach.ask("demo", None, CRISIS)
    cid = first.conversation_id
    later = [coach.ask("demo", cid, m) for m in ("I just feel like I keep letting everyone down at work.",
                                                  "I finished the report on time but it doesn't feel like it matters.")]
    for result in later:
        assert "?" not in result.reply and not set(result.codes) & {"Q", "AF", "OF", "SU"}, result.reply
        assert "stay" in result.moves
    asked = coach.ask("demo", cid, "Can you give me some ideas for the exam revision?")
    assert asked.asked and "stay" not in asked.moves  # a request is still answered


def test_a_second_help_reply_gives_the_same_help_in_other_words(coach):
    first = coach.ask("demo", None, CRISIS)
    second = coach.ask("demo", first.conversation_id, "Honestly I keep thinking everyone would be better off without me.")
    assert second.safety == first.safety and second.reply != first.reply
    said = {s.strip() for s in first.reply.split("\n") if s.strip() and not s.startswith("- ")}
    assert not said & {s.strip() for s in second.reply.split("\n") if s.strip() and not s.startswith("- ")}
    contacts = [line for line in first.reply.splitlines() if line.startswith("- ")]
    assert contacts and all(line in second.reply for line in contacts)  # the same real help, every line of it


def test_after_the_gentle_check_in_an_ordinary_message_is_coached_as_usual(services):
    """Only the learned head heard risk, not surely: when the next message carries none, coaching goes on (no
    three turns of "I'm here"); after the full help reply the person still leads."""
    from kickcoach.flows.coach.engine import CoachEngine, state_from

    engine = CoachEngine(services.turn_classifier)
    message = "I keep putting off the blog and it's been three weeks now."
    for certain, quiet in ((False, False), (True, True)):
        history = [{"role": "user", "content": "rough week"},
                   {"role": "assistant", "content": "I want to make sure I've understood you.",
                    "safety": {"category": "suicide_selfharm", "certain": certain}}]
        u, _ = engine.understand(history, message, contract=None, speaker="a")
        plan = engine.decide(u, state_from(history), message)
        assert ("stay" in plan.moves) is quiet, (certain, plan.moves)


def test_talking_through_a_disclosure_at_work_keeps_pointing_to_who_handles_it(coach, services, monkeypatch):
    """After the help reply for harassment, a follow-up only the learned head reads as risk ("scared that reporting
    makes me the problem", a planning question it misreads) is talked through with a reminder of HR, not a second
    list of crisis lines; whatever the rules hear still gets help at once."""
    from kickcoach.safety import SafetyVerdict
    from kickcoach.safety.reply import notice_for

    first = coach.ask("demo", None, HARASSMENT)
    heard = {"category": "harassment_at_work", "certain": False}
    monkeypatch.setattr(services, "hear", lambda text, private=True, again=False: notice_for(
        SafetyVerdict(category=heard["category"], matched=text, source="rule" if heard["certain"] else "head",
                      score=0.9, certain=bool(heard["certain"])), again=again))
    follow = coach.ask("demo", first.conversation_id, "I'm worried reporting him makes me look difficult.")
    assert follow.safety is None and "HR" in follow.reply.split("\n\n")[0], follow.reply
    assert "crisis line" not in follow.reply, follow.reply
    heard["category"] = "suicide_selfharm"
    misread = coach.ask("demo", first.conversation_id, "Is that plan realistic or am I overpromising again?")
    assert misread.safety is None and "crisis line" not in misread.reply, misread.reply
    heard["certain"] = True  # the rules heard it
    worse = coach.ask("demo", first.conversation_id, "Some days I don't see the point of going on.")
    assert worse.safety == "suicide_selfharm", worse.reply


def test_a_second_unsure_reading_coaches_with_one_line_not_a_second_list(coach, services, monkeypatch):
    """The head alone, unsure twice in one conversation (nothing heard surely): the second time the person gets a
    coached reply with one line that the help is still there, not "this is still serious" and the list again."""
    from kickcoach.safety import SafetyVerdict, unsure_again
    from kickcoach.safety.reply import notice_for

    monkeypatch.setattr(services, "hear", lambda text, private=True, again=False: notice_for(
        SafetyVerdict(category="suicide_selfharm", matched=text, source="head", score=0.8, certain=False), again=again))
    first = coach.ask("demo", None, "Honestly the feedback was useless, I need someone to tell me what's wrong.")
    assert first.safety == "suicide_selfharm" and "make sure I've understood you" in first.reply
    second = coach.ask("demo", first.conversation_id, "Maybe the problem is me and my slides.")
    assert second.safety is None and second.reply.startswith(unsure_again()), second.reply
    assert "still serious" not in second.reply and "crisis line" not in second.reply


def test_after_an_emergency_the_coach_never_says_there_is_no_rush(coach):
    first = coach.ask("demo", None, "My colleague just collapsed and he's not breathing, what do I do")
    assert first.safety == "medical_emergency"
    after = coach.ask("demo", first.conversation_id, "ok the pain in his arm is getting worse now")
    assert "no rush" not in after.reply and "emergency number" in after.reply, after.reply
