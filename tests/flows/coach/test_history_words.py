"""How the history answers hear a question (flows/coach/history_bank.py): text-speak spelled out, near misses of
the key words corrected (one edit, words of five letters or more) while real words one edit away stay themselves,
and a due question asked as a request gets the due list only when it asks for nothing else."""

from __future__ import annotations

import pytest

from kickcoach.flows.coach.history_bank import (
    TYPO_EDITS,
    TYPO_MIN_LETTERS,
    about_partner,
    asks_due_list,
    is_question,
    spelled_out,
    topic,
)


def test_text_speak_is_spelled_out() -> None:
    assert spelled_out("wot r my actions from last wk") == "what are my actions from last week"
    assert spelled_out("nxt mtg when") == "next meeting when"
    assert spelled_out("hw m i doin w the blog posts") == "how am i doing with the blog posts"
    assert spelled_out("Anything I'm forgetting?") == "Anything I'm forgetting?"  # "'m" is not "am"


def test_near_misses_of_key_words_are_corrected_within_the_pinned_distance() -> None:
    assert (TYPO_EDITS, TYPO_MIN_LETTERS) == (1, 5)
    assert spelled_out("remnd me of my commitmnets") == "remind me of my commitments"  # a deletion, a transposition
    assert spelled_out("what did I comit to?") == "what did I commit to?"
    assert spelled_out("how am i prugres") == "how am i prugres"  # two edits from "progress": left alone
    assert spelled_out("the comt") == "the comt"  # under five letters: never corrected


@pytest.mark.parametrize("text", [
    "What's the trick to ending the talk strong?",  # "ending" is one edit from "pending"
    "Any pointers on writing a headline that gets clicks?",  # "headline" from "deadline"
    "The committee meets on Friday.",  # "committee" from "committed"
    "I rewind the recording every time.",  # "rewind" from "remind"
])
def test_real_words_one_edit_from_a_key_word_stay_themselves(text: str) -> None:
    assert spelled_out(text) == text
    assert topic(text) is None


@pytest.mark.parametrize(("text", "about"), [
    ("I can't quite recall what I took on at the last review.", "commitments"),
    ("I'm curious whether Tom got through what he'd planned.", "commitments"),
    ("I need to know the day we're catching up next.", "next_meeting"),
    ("When takes place our next appointment?", "next_meeting"),
    ("How stands it with my SQL queries?", "progress"),
    ("Until when must I deliver what?", "due"),
    ("whats do this week for me", "due"),
])
def test_indirect_and_non_native_questions_are_heard(text: str, about: str) -> None:
    assert is_question(text) and topic(text) == about


def test_the_partner_is_the_subject_of_what_he_had_planned() -> None:
    assert about_partner("I'm curious whether Tom got through what he'd planned.", "Tom")
    assert not about_partner("What did I promise Tom?", "Tom")


@pytest.mark.parametrize(("text", "list_only"), [
    ("Any reminders for me?", True),
    ("Which deadlines do I have?", True),
    ("What do I need to get done before the next meeting?", True),
    ("I don't know what to do about the deadline. Can you help?", False),
    ("I missed the deadline again. What should I do now?", False),
    ("i have 4 deadlines tmrw, help me prioritise", False),
])
def test_a_due_request_gets_the_list_only_when_it_asks_for_nothing_else(text: str, list_only: bool) -> None:
    assert asks_due_list(text) is list_only
