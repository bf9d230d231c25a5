"""The request detector: explicit requests, refusals, offers, scoped permission, and the eval cases."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from kickcoach.guard import PERMISSION_OFFER, AskVerdict, asked, is_offer
from kickcoach.guard.requests import content_words, same_topic

CASES_DIR = Path(__file__).resolve().parents[2] / "evals" / "cases" / "suggestions"
CATEGORIES = {"venting", "status_update", "explicit_request", "ambiguous_request", "accepted_offer",
              "declined_offer", "topic_shift", "embedded_request", "withdrawn_permission"}


def turn(role: str, content: str) -> dict[str, str]:
    return {"role": role, "content": content}


OFFERED = [turn("user", "My manager moved my deadline again."),
           turn("assistant", f"It sounds like that has worn you down. {PERMISSION_OFFER}")]
GRANTED = [turn("user", "My boss keeps moving my deadlines. What should I do?"),
           turn("assistant", "You could ask him to confirm new dates in writing and agree which tasks come first.")]


@pytest.mark.parametrize("message", [
    "Any tips?",
    "What should I do?",
    "Help me plan the agenda for our first mentoring session.",
    "Can you suggest a way to open the meeting?",
    "Can you give me some ideas for my SMART goals?",
    "How can I stop rambling in presentations?",
    "What would you do?",
    "What do you recommend?",
    "Should I ask for the promotion now or after the review?",
    "what do you think?",
])
def test_explicit_requests_are_asked(message: str) -> None:
    verdict = asked([], message)
    assert verdict.asked and verdict.reason.startswith("explicit request: '"), verdict


def test_reason_quotes_the_users_words() -> None:
    assert asked([], "Honestly, What Should I Do?").reason == "explicit request: 'What Should I Do'"


@pytest.mark.parametrize("message", [
    "No thanks, I just want to vent.",
    "I don't want advice, I want to be angry for a minute.",
    "Please don't tell me what to do, just listen.",
    "I'm not looking for advice, but my boss ignored me again. Any thoughts are welcome later.",
])
def test_refusals_win_over_request_words(message: str) -> None:
    verdict = asked([], message)
    assert not verdict and verdict.reason == "declined advice"


@pytest.mark.parametrize("message", [
    "My manager moved my deadline again and I'm exhausted.",
    "I don't know what to do anymore.",
    "How am I supposed to finish this with no team?",
    "My mentor gave me some advice about speaking up earlier.",
    "Is it normal to feel this nervous?",
])
def test_statements_and_rhetorical_questions_are_not_requests(message: str) -> None:
    assert asked([], message) == AskVerdict(asked=False, reason="no request")


@pytest.mark.parametrize("message", ["Yes please", "sure, go ahead", "ok tell me", "I'd love to hear them"])
def test_accepting_an_offer_is_asking(message: str) -> None:
    assert asked(OFFERED, message) == AskVerdict(asked=True, reason="accepted the coach's offer")


@pytest.mark.parametrize("message", ["no", "Not now.", "maybe later", "nah I'm good"])
def test_declining_an_offer_is_not_asking(message: str) -> None:
    assert not asked(OFFERED, message)


def test_yes_without_an_offer_is_not_asking() -> None:
    assert not asked([turn("user", "Rough day."), turn("assistant", "That sounds hard.")], "Yes, really rough.")


def test_permission_covers_follow_ups_on_the_same_topic() -> None:
    verdict = asked(GRANTED, "What if he refuses to put the dates in writing?")
    assert verdict == AskVerdict(asked=True, reason="permission from earlier turn on same topic")
    assert asked(GRANTED, "And if that doesn't work?")


@pytest.mark.parametrize("message", [
    "Anyway, my networking event is on Friday.",
    "On another note, Priya wants to rewrite our contract.",
    "Different topic: the offsite catering is a mess.",
    "My presentation to the leadership team went badly.",  # no marker, but nothing in common
])
def test_permission_does_not_carry_over_to_a_new_topic(message: str) -> None:
    verdict = asked(GRANTED, message)
    assert not verdict and verdict.reason.startswith("topic changed")


def test_withdrawn_permission_stays_withdrawn_until_asked_again() -> None:
    withdrawal = "Stop giving me advice, I just want to vent now."
    history = [*GRANTED, turn("user", withdrawal), turn("assistant", "Of course.")]
    assert not asked(GRANTED, withdrawal)
    assert not asked(history, "He moved the deadline for the dates again.")
    assert asked(history, "Okay, what should I do about the deadline?")


def test_embedded_request_in_a_long_message_counts() -> None:
    message = ("Long week. The client call ran over, the slides broke twice and I missed the gym every day. "
               "My manager then asked why the report was late, in front of everyone. "
               "Anyway, what would you suggest I do about my manager?")
    assert asked([], message).reason == "explicit request: 'what would you suggest'"


def test_offers_are_recognised() -> None:
    assert is_offer(PERMISSION_OFFER)
    assert is_offer("Would you like some ideas for the next one?")
    assert is_offer("Would it help if I shared a few ideas?")
    assert not is_offer("What would you like to focus on?")


def test_topic_words_are_stemmed_content_words() -> None:
    assert content_words("My deadlines keep moving") == content_words("the deadline moved") | {"keep"}
    topic = content_words("presenting the quarterly numbers")
    assert same_topic(topic, "My presentation of the numbers")
    assert same_topic(topic, "What else?")  # no content words: a continuation
    assert not same_topic(topic, "Priya cancelled our mentoring session")


def load_cases() -> list[dict]:
    paths = sorted(CASES_DIR.glob("*.yaml"))
    return [case for path in paths for case in yaml.safe_load(path.read_text(encoding="utf-8"))]


def test_eval_cases_are_well_formed_and_balanced() -> None:
    cases = load_cases()
    assert len(cases) >= 64
    assert len({c["id"] for c in cases}) == len(cases)
    assert {c["category"] for c in cases} == CATEGORIES
    for case in cases:
        assert case["flow"] == "chat" and isinstance(case["expect_asked"], bool) and case["message"].strip()
        assert all(t["role"] in ("user", "assistant") and t["content"] for t in case["history"])
    share_asked = sum(c["expect_asked"] for c in cases) / len(cases)
    assert 0.35 <= share_asked <= 0.65


def test_request_detector_accuracy_on_eval_cases() -> None:
    cases = load_cases()
    failures = [
        f"{c['id']}: expected {c['expect_asked']}, got {verdict.asked} ({verdict.reason})"
        for c in cases
        if (verdict := asked(c["history"], c["message"])).asked != c["expect_asked"]
    ]
    accuracy = 1 - len(failures) / len(cases)
    assert accuracy >= 0.95, "\n".join([f"accuracy {accuracy:.1%}", *failures])


@pytest.mark.parametrize("message", ["ok what have you got", "sure, go on", "Yes. Please go on.", "Please do.",
                                     "yes please, I'm running out of ideas", "go on then", "Aye, go on then.", "aye"])
def test_a_real_yes_to_the_offer_is_asking(message: str) -> None:
    assert asked(OFFERED, message) == AskVerdict(asked=True, reason="accepted the coach's offer")


@pytest.mark.parametrize("message", [
    "Yeah. Anyway my boss moved the deadline.",  # a yes that opens a statement about something else
    "Yeah, he's been quiet all week to be fair, I don't think it's only about me.",  # agreement with something else
    "Yes, that's exactly it.",
    "Right.",
    "Hmm.",
    "I'd like to talk about something else",
])
def test_a_yes_that_is_not_an_answer_to_the_offer_is_not_asking(message: str) -> None:
    assert not asked(OFFERED, message)


@pytest.mark.parametrize("message", ["Should I have said it differently?", "Do you think I should have told him?"])
def test_a_question_looking_back_is_not_a_request(message: str) -> None:
    assert not asked([], message)
    assert asked([], "Should I tell him?")  # looking forward still is


@pytest.mark.parametrize("message", ["gie us a couple of ideas", "a suggestion or two would be nice",
                                     "could you correct my email to Tom?", "I would love a tip or two"])
def test_requests_in_other_words_are_asking(message: str) -> None:
    assert asked([], message).asked, message


@pytest.mark.parametrize("message", ["I had an idea or two of my own", "I don't want a suggestion or two, I want to vent"])
def test_an_idea_or_two_of_their_own_is_not_asking(message: str) -> None:
    assert not asked([], message).asked, message
