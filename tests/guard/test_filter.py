"""Sentence splitting, the reflection, and the enforcing guard (streaming and not)."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kickcoach.guard import (
    PERMISSION_OFFER,
    GuardReport,
    StreamGuard,
    filter_text,
    is_offer,
    is_suggestion,
    reflect,
    split_sentences,
)
from kickcoach.text.sentences import segments

SENTENCES = [
    "That sounds really hard.", "What have you tried so far?", "You should talk to your boss.",
    "Try writing it down.", "Here are some ideas:", "Dr. Patel said e.g. Monday works.", "It costs 3.5 hours a week.",
    "It sounds like you're tired!", "Would you like some ideas?", "Make sure you rest", "Hi Sam", "I hear you…",
    "- Block an hour on Friday.", "1. Ask for the dates in writing.", "Your contract says weekly.", "ok",
]
SEPARATORS = [" ", "  ", "\n", "\n\n", "\n- ", "\n1. ", " \n"]


@st.composite
def replies(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.sampled_from(SENTENCES), min_size=0, max_size=8))
    seps = draw(st.lists(st.sampled_from(SEPARATORS), min_size=len(parts), max_size=len(parts)))
    return draw(st.sampled_from(["", " ", "\n"])) + "".join(p + s for p, s in zip(parts, seps, strict=False)).rstrip(
        draw(st.sampled_from(["", " \n"]))
    )


def chunked(text: str, cuts: list[int]) -> list[str]:
    points = sorted({0, len(text), *(c % (len(text) + 1) for c in cuts)})
    return [text[a:b] for a, b in pairwise(points)]


@pytest.mark.parametrize(("text", "expected"), [
    ("Hi there. I'm Dr. Smith, e.g. The boss. It costs 3.5 dollars! Really?! yes.",
     ["Hi there.", "I'm Dr. Smith, e.g. The boss.", "It costs 3.5 dollars!", "Really?!", "yes."]),
    ("Here are some ideas:\n1. Write down your goals.\n2. Talk to your boss.\n- Try X\n* Try Y\n\nThanks.",
     ["Here are some ideas:", "1. Write down your goals.", "2. Talk to your boss.", "- Try X", "* Try Y", "Thanks."]),
    ('I said no. Then he left. See No. 5 here. J. Smith came. He said "go." Then... maybe not.',
     ["I said no.", "Then he left.", "See No. 5 here.", "J. Smith came.", 'He said "go."', "Then... maybe not."]),
    ("", []),
])
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


@given(replies())
def test_segments_rebuild_the_text_exactly(text: str) -> None:
    assert "".join(segments(text)) == text


@given(replies(), st.integers(min_value=0, max_value=400))
def test_settled_segments_do_not_change_as_text_grows(text: str, cut: int) -> None:
    prefix = text[: cut % (len(text) + 1)]
    settled = segments(prefix)[:-1]
    assert segments(text)[: len(settled)] == settled


def test_asked_passes_everything_through_immediately() -> None:
    guard = StreamGuard(asked=True)
    assert guard.feed("You should ") == "You should "
    assert guard.feed("talk to him.") == "talk to him."
    assert guard.close() == ""
    assert guard.report == GuardReport(asked=True, removed=[], offer_added=False, reflected=False)


def test_suggestions_are_held_back_and_one_offer_ends_the_reply() -> None:
    reply = "That sounds hard. You should talk to your boss. What have you tried so far?"
    text, report = filter_text(reply, asked=False)
    assert text == f"That sounds hard. What have you tried so far? {PERMISSION_OFFER}"
    assert report.removed == ["You should talk to your boss."]
    assert report.offer_added and not report.reflected
    assert report.note() == "1 unrequested suggestion held back"


def test_nothing_removed_means_nothing_added() -> None:
    text, report = filter_text("It sounds like a long week.", asked=False)
    assert text == "It sounds like a long week." and report.note() is None and not report.offer_added


def test_when_nothing_would_be_left_the_reply_becomes_reflection_plus_offer() -> None:
    message = "My manager moved my deadline again and I'm exhausted."
    reply = "Try journaling. Make sure you sleep.\n- Take a walk."
    text, report = filter_text(reply, asked=False, user_message=message)
    assert text == f"{reflect(message)} {PERMISSION_OFFER}"
    assert report.reflected and report.offer_added
    assert report.note() == "3 unrequested suggestions held back"


def test_no_second_offer_when_the_model_already_offered() -> None:
    text, report = filter_text("That's a lot. Would you like some ideas? You could ask Tom.", asked=False)
    assert text.strip() == "That's a lot. Would you like some ideas?"
    assert not report.offer_added and report.removed == ["You could ask Tom."]


def test_a_lead_in_goes_with_the_list_it_introduces() -> None:
    text, report = filter_text("Well done on the review.\nHere are some tips:\n1. Write down your wins.\n2. Ask Tom.",
                               asked=False)
    assert text == f"Well done on the review.\n{PERMISSION_OFFER}"
    assert report.removed == ["1. Write down your wins.", "2. Ask Tom."]


def test_a_released_lead_in_counts_as_kept_text() -> None:
    text, report = filter_text("Two things:\nFirst, the ideas:\n- Ask Tom for help.", asked=False, user_message="ugh")
    assert text == f"Two things:\n{PERMISSION_OFFER}"
    assert not report.reflected and report.removed == ["- Ask Tom for help."]


def test_stream_never_shows_an_unfinished_or_withheld_sentence() -> None:
    guard = StreamGuard(asked=False, user_message="I'm tired.")
    shown = [guard.feed(piece) for piece in ["It sounds ", "like a lot. ", "You sho", "uld rest. ", "How are you?"]]
    assert shown == ["", "", "It sounds like a lot. ", "", ""]
    assert guard.close() == f"How are you? {PERMISSION_OFFER}"
    assert "rest" not in guard.text
    with pytest.raises(RuntimeError):
        guard.feed("more")


@settings(max_examples=150, deadline=None)
@given(replies(), st.lists(st.integers(min_value=0, max_value=400), max_size=12), st.booleans())
def test_streaming_equals_filter_text_however_chunked(text: str, cuts: list[int], was_asked: bool) -> None:
    expected, expected_report = filter_text(text, asked=was_asked, user_message="my weekly review")
    guard = StreamGuard(asked=was_asked, user_message="my weekly review")
    shown = "".join(guard.feed(chunk) for chunk in chunked(text, cuts)) + guard.close()
    assert shown == guard.text == expected
    assert guard.report == expected_report
    if was_asked:
        assert shown == text
    else:
        assert not any(is_suggestion(s) for s in split_sentences(shown))
        if expected_report.offer_added:
            assert shown.endswith(PERMISSION_OFFER) and shown.count(PERMISSION_OFFER) == 1
        elif expected_report.removed:  # the model's own offer was kept, so none was added
            assert any(is_offer(s) for s in split_sentences(shown))


@pytest.mark.parametrize(("message", "expected"), [
    ("My manager moved my deadline again and I'm exhausted.",
     "It sounds like things with your manager have left you feeling exhausted."),
    ("I finished my weekly review early.", "It sounds like there's a lot going on with your weekly review."),
    ("I'm not worried, just stressed.", "It sounds like you're feeling stressed."),
    ("ugh", "It sounds like this matters to you."),
])
def test_reflect_is_built_from_the_message(message: str, expected: str) -> None:
    assert reflect(message) == expected


@given(st.text(max_size=200))
def test_reflection_is_never_a_suggestion(message: str) -> None:
    reflection = reflect(message)
    assert reflection == reflect(message)
    assert not is_suggestion(reflection, strict=True)
