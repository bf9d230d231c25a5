"""detect, behaviour_of, verify and compose: the deterministic rules of the feedback flow."""

from __future__ import annotations

import pytest

from kickcoach.flows.feedback import (
    FeedbackParts,
    behaviour_of,
    compose,
    detect,
    key_terms,
    past,
    questions_for,
    read,
    stem,
    verify,
)


def kinds(text: str) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in detect(text)]


def test_spans_index_the_original_text():
    text = "You\u2019re so lazy, you never answer my emails."
    flags = detect(text)
    assert [(f.kind, f.text) for f in flags] == [("you_are_judgement", "You\u2019re so lazy"), ("absolute", "never")]
    assert all(text[f.start : f.end] == f.text for f in flags)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Your code is sloppy and careless.",
            [("you_are_judgement", "Your code is sloppy"), ("trait_label", "careless")],
        ),
        ("That was a careless mistake.", [("trait_label", "careless")]),
        ("Such a control freak.", [("trait_label", "control freak")]),
        ("You sloppily merged it.", [("trait_label", "sloppily")]),
        ("You are a mess.", [("you_are_judgement", "You are a mess")]),
        ("You're so difficult to work with.", [("you_are_judgement", "You're so difficult")]),
        ("You're a terrible listener.", [("you_are_judgement", "You're a terrible listener")]),
        ("You're not a team player.", [("you_are_judgement", "You're not a team player")]),
        ("You were late again, which is so typical of you.", [("you_are_judgement", "which is so typical of you")]),
        ("You constantly reschedule.", [("absolute", "constantly")]),
        ("It happens all the time.", [("absolute", "all the time")]),
        ("Every single time I ask, you sigh.", [("absolute", "Every single time")]),
        ("You talk over me in every meeting.", [("absolute", "every meeting")]),
        ("Why can't you ever reply?", [("absolute", "ever")]),
        ("You have not once said thanks.", [("absolute", "not once")]),
        ("You clearly don't care about this project.", [("mind_reading", "You clearly don't care about this project")]),
        ("You obviously think I'm slow, so you redo my work.", [("mind_reading", "You obviously think I'm slow")]),
        ("You just want to look good.", [("mind_reading", "You just want to look good")]),
        ("You don't respect my time.", [("mind_reading", "You don't respect my time")]),
        ("It's like you want us to fail.", [("mind_reading", "It's like you want us to fail")]),
        ("You left me off the invite on purpose.", [("mind_reading", "on purpose")]),
    ],
)
def test_each_kind_of_attack_is_flagged(text, expected):
    assert kinds(text) == expected


def test_a_flag_inside_a_longer_one_is_not_reported_twice():
    assert kinds("You're always so lazy.") == [("you_are_judgement", "You're always so lazy")]


@pytest.mark.parametrize(
    "text",
    [
        "In Tuesday's stand-up you interrupted me twice while I was giving my update.",
        "You said you wanted the report by Friday.",  # reported speech, not a guess
        "The meeting was difficult.",  # a judgement only counts about the person
        "You're late to the 1:1 today.",
        "The release has an aggressive timeline.",
    ],
)
def test_neutral_feedback_is_not_flagged(text):
    assert kinds(text) == []


@pytest.mark.parametrize(
    ("criticism", "behaviour"),
    [
        ("You're so lazy, you never answer my emails.", "you didn't answer my emails"),
        ("You're always interrupting me.", "you interrupted me"),
        ("You keep dumping changes on me.", "you dumped changes on me"),
        ("You take forever to review PRs.", "you took a long time to review PRs"),
        ("You're late to every standup.", "you were late to the last standup"),
        ("You argue with every single point.", "you argued with the points"),
        ("You always hog the calls and never let me speak.", "you hogged the calls and didn't let me speak"),
        ("You've never once thanked me.", "you haven't thanked me"),
        ("Why do you always copy the whole team in?", "you copied the whole team in"),
        ("Why can't you ever reply on the same day?", "you didn't reply on the same day"),
        ("Stop interrupting me when I'm presenting.", "you interrupted me when I was presenting"),
        ("You never bother to test before you push.", "you didn't test before you pushed"),
        ("You get defensive and change the subject.", "you changed the subject"),
        ("You told the intern her question was stupid.", 'you told the intern her question was "stupid"'),
        ("You gossip about the team.", "you gossiped about the team"),
    ],
)
def test_behaviour_is_made_observable_and_past(criticism, behaviour):
    assert behaviour_of(criticism) == behaviour


def test_mind_reading_and_judgement_clauses_are_dropped_whole():
    text = "You're useless at handovers — you went on leave without telling anyone, you clearly don't care."
    assert behaviour_of(text) == "you went on leave without telling anyone"


def test_situation_and_impact_are_kept_apart_from_the_behaviour():
    text = "Every time I ask you for an update you ignore me, so I have to chase you every single morning."
    reading = read(text)
    assert reading.situation == "when I asked you for an update"
    assert reading.behaviour == "you ignored me"
    assert reading.impact == "I had to chase you"


def test_quoted_words_the_person_said_are_not_labels():
    assert kinds('You told her the question was "stupid".') == []
    assert kinds('You are "lazy".') == [("trait_label", "lazy")]  # quotes alone do not hide a label


def test_inflections_share_a_stem():
    assert stem("answered") == stem("answers") == stem("answering") == stem("answer")
    assert stem("replied") == stem("reply") == stem("respond") == stem("answer")  # synonyms count as one
    assert stem("took") == stem("take") and stem("sent") == stem("send")
    assert stem("PRs") == stem("PR") and stem("1:1s") == stem("1:1")


def test_past_tense_of_regular_and_irregular_verbs():
    assert [past(v) for v in ("answer", "hog", "copy", "share", "take", "commit", "force-push")] == [
        "answered",
        "hogged",
        "copied",
        "shared",
        "took",
        "committed",
        "force-pushed",
    ]


def test_key_terms_leave_out_function_words():
    assert set(key_terms("you didn't answer my emails")) == {stem("answer"), stem("emails")}


def test_verify_names_each_problem_so_a_model_can_fix_it():
    original = "You're so lazy, you never answer my emails."
    problems = verify(original, "Lazy as usual: you never reply.")
    assert "remove the label 'Lazy': describe what was done instead" in problems
    assert "remove 'never': name one specific time or thing instead" in problems
    assert any(
        p.startswith("name the behaviour: you didn't answer my emails (keep the words: emails)") for p in problems
    )
    assert verify(original, "I noticed you didn't reply to my emails.") == []


def test_compose_puts_the_parts_in_order_and_adds_nothing():
    parts = FeedbackParts(
        situation="in Tuesday's stand-up", behaviour="you interrupted me twice", impact="I lost my place"
    )
    assert compose(parts) == "In Tuesday's stand-up, you interrupted me twice. As a result, I lost my place."
    assert (
        compose(FeedbackParts(behaviour="you didn't answer my emails")) == "I noticed that you didn't answer my emails."
    )
    assert compose(FeedbackParts(behaviour="you were late today", impact="that meant we started late")) == (
        "You were late today. That meant we started late."
    )


def test_the_request_appears_only_when_wanted():
    parts = FeedbackParts(behaviour="you didn't answer my emails", request="Could you reply within a day?")
    assert "Could you" not in compose(parts)
    assert compose(parts, want_request=True).endswith("Could you reply within a day?")


def test_questions_ask_for_what_is_missing():
    questions = questions_for(FeedbackParts(behaviour="you didn't answer my emails"))
    assert any(q.startswith("When did this happen?") for q in questions)
    assert any(q.startswith("What was the effect") for q in questions)
    assert questions_for(FeedbackParts(situation="yesterday", behaviour="you left", impact="I waited")) == []
    assert questions_for(FeedbackParts())[0].startswith("What exactly did they do")
