"""Reflections that are right before they are complex (issue 18): each class of error pinned on the engine
itself (hashing vectors, the demo pair, no retrieval), with messages in several voices."""

from __future__ import annotations

import re

import pytest

from kickcoach import guard
from kickcoach.contracts.files import demo_contract
from kickcoach.evals.transcript_checks import echo_run
from kickcoach.flows.coach import bank_files as banks
from kickcoach.flows.coach.classifier import TurnClassifier
from kickcoach.flows.coach.engine import CoachEngine, EngineReply
from kickcoach.flows.coach.understand import feeling_and_valence
from kickcoach.flows.coach.voice import reflect_clause
from kickcoach.knowledge.embeddings import HashingEmbeddings


@pytest.fixture(scope="module")
def engine() -> CoachEngine:
    return CoachEngine(TurnClassifier(HashingEmbeddings()))


def talk(engine: CoachEngine, *messages: str, offer_before: int | None = None) -> list[EngineReply]:
    """Run a conversation; ``offer_before``: the index of a message the coach's offer comes just before."""
    history: list[dict] = []
    replies = []
    for i, message in enumerate(messages):
        if i == offer_before and history and not guard.is_offer(history[-1]["content"]):
            history[-1] = {**history[-1], "content": f"{history[-1]['content']} {guard.PERMISSION_OFFER}"}
        reply = engine.reply(history, message, contract=demo_contract(), speaker="a", sources=[])
        replies.append(reply)
        history += [{"role": "user", "content": message},
                    {"role": "assistant", "content": reply.text, "coach": reply.record}]
    return replies


def feelings() -> set[str]:
    lex = banks.lexicon()
    return {label for polarity in ("negative", "positive") for label in lex.emotions[polarity].values()}


LONG_MESSAGES = [
    "So I've been thinking about dropping the evening course, it's just too much on top of work right now.",
    "like every time someone asks a question I assume I got the figures wrong and I start apologising before I even check",
    "I talked for forty minutes and she only had five, and I only noticed when I looked at the clock afterwards.",
    "My mum keeps saying I should quit studying and get a proper job, and honestly sometimes I think she's right.",
    "Rehearsal today was a disaster, I blanked after the second slide and ended up reading everything off my notes",
    "I had to give Jake review comments and I think I was way too blunt, he went really quiet afterwards.",
    "The hard part is the mornings, I can't get out of bed before eight no matter what I try.",
    "So my manager said the raise conversation has to wait until after the reorg.",
]


@pytest.mark.parametrize("message", LONG_MESSAGES)
def test_no_reply_repeats_eight_of_their_words_in_a_row(engine, message):
    reply = talk(engine, message)[0].text
    assert echo_run(message, reply) < 8, reply  # their words faced as the reply faces them ("my" is "your")


@pytest.mark.parametrize(("message", "kept"), [
    ("But I also don't want to look like a quitter to my partner.", "don't want to look like a quitter"),
    ("It's not that I have nothing to say, I just won't interrupt people.", "won't interrupt people"),
    ("idk maybe i just cant do both", "maybe you can't do both"),
    ("I can't get out of bed before eight.", "cannot get out of bed"),  # their whole sentence back would echo it
    ("I might leave the article until Monday.", "might leave the article"),
])
def test_negation_and_modality_are_kept(engine, message, kept):
    reply = talk(engine, message)[0].text
    assert kept in reply, reply
    assert "wanting to look like a quitter" not in reply


def test_the_gist_keeps_its_subject_person_and_capitals():
    assert reflect_clause("Didn't do anything on my goals this week, again.") == \
        "you didn't do anything on your goals"  # the gist: their whole sentence back would be an echo
    assert reflect_clause("Alright, give me a couple of ways to phrase review comments better") == ""  # a request, not news
    assert reflect_clause("Thanks. Different topic: Work was chaos.").startswith("work was chaos")
    assert reflect_clause("There's a planning meeting every Tuesday and I never say anything in it.") == \
        "you never say anything in the planning meeting"  # "it" resolved where it is easy


@pytest.mark.parametrize("message", [
    "Didn't do anything on my goals this week, again.",
    "Alright so the deadline moved to next Friday.",
    "Yeah well Tom cancelled our session again.",
])
def test_no_raw_echo_with_fillers_or_a_capital_mid_sentence(engine, message):
    reply = talk(engine, message)[0].text
    assert not re.search(r"\b(?:like|that|So) (?:Didn't|Alright|Yeah|Well)\b", reply), reply
    assert not re.search(r"\b(?:alright|yeah|well),", reply, re.IGNORECASE), reply


@pytest.mark.parametrize("message", [
    "Tom cancelled our Thursday call again, an hour before.",
    "I lost the client we pitched to last month.",
    "I wrote it down and put it in the drawer.",
    "Sadly the slides weren't ready on time.",
    "My manager moved the deadline for the migration to next Friday.",
])
def test_no_feeling_is_named_unless_their_words_carry_one(engine, message):
    reply = talk(engine, message)[0].text.lower()
    said = message.lower()
    named = [f for f in feelings() if re.search(rf"\b(?:feel|feeling|you're|left you) {re.escape(f)}\b", reply)]
    assert not [f for f in named if f not in said], reply
    for default in ("unsettled", "uneasy", "let down", "stretched", "short-changed"):  # the old per-topic defaults
        assert default not in reply


def test_a_feeling_needs_the_words_in_a_feeling_frame():
    assert feeling_and_valence("I lost the deal.")[0] is None
    assert feeling_and_valence("I wrote it down.")[0] is None
    assert feeling_and_valence("I'm not angry.")[0] is None
    assert feeling_and_valence("Sadly it rained.")[0] is None
    assert feeling_and_valence("I feel lost at work.")[0] == "lost"
    assert feeling_and_valence("I get so nervous when there's silence.")[0] == "nervous"


_VALUE = re.compile(r"matters?(?: a lot)? to you|you care about|this is really about", re.IGNORECASE)


@pytest.mark.parametrize("message", [
    "I don't think I'm good enough for a senior role.",
    "Tom keeps turning up 15 minutes late to a 45 minute call.",
    "I'm nervous about the leadership session next week.",
])
def test_no_value_sentence_without_their_words_for_it(engine, message):
    reply = talk(engine, message)[0].text
    assert not _VALUE.search(reply), reply
    assert "part of you" not in reply.lower(), reply  # no two sides they did not state


def test_a_value_they_stated_is_reflected_in_their_words(engine):
    reply = talk(engine, "It matters to me that people on my team feel safe telling me things.")[0].text
    assert "matters to you" in reply and "feel safe" in reply, reply


def test_two_sides_only_when_they_said_both(engine):
    both = talk(engine, "I don't want to disappoint her but I also really want to finish this certificate.")[0].text
    assert "don't want to disappoint her" in both and "want to finish this certificate" in both, both
    across = talk(engine, "I've been thinking about dropping the evening course.",
                  "But I also don't want to look like a quitter to my partner.")[1].text
    assert "dropping the evening course" in across and "don't want to look like a quitter" in across, across


def test_a_problem_is_not_affirmed_as_progress_and_a_real_step_is(engine):
    problem = talk(engine, "I talked for forty minutes and she only had five.")[0]
    assert "AF" not in problem.codes and "progress" not in problem.text.lower(), problem.text
    done = talk(engine, "Sent the email to the director asking for a seat at the planning meeting!")[0]
    assert "AF" in done.codes and "you sent the email" in done.text, done.text
    assert "step towards presenting" not in done.text  # not tied to a goal the act does not name


def test_no_sentence_and_no_three_word_opening_repeats_in_a_conversation(engine):
    replies = talk(engine, "Skipped my practice recording again.", "Work was chaos.",
                   "I just couldn't face watching myself back.", "It's the same every week.",
                   "I'm tired of it.", "Tom says I'm too hard on myself.", "Maybe he's right.")
    openings = [" ".join(re.findall(r"[a-z']+", r.text.lower())[:3]) for r in replies]
    assert len(set(openings)) == len(openings), openings
    sentences = [s.strip() for r in replies for s in guard.split_sentences(r.text) if s.strip()]
    assert len(set(sentences)) == len(sentences)
    assert all(r.text for r in replies)


@pytest.mark.parametrize("answer", [
    "Yeah. Anyway my boss moved the deadline.",
    "Yeah, he's been quiet all week to be fair, I don't think it's only about me.",
    "Yes, that's exactly it.",
])
def test_a_yes_that_opens_something_else_brings_no_ideas(engine, answer):
    reply = talk(engine, "Tom cancelled our call again.", answer, offer_before=1)[1]
    assert not reply.understanding.asked and "SU" not in reply.codes, reply.text


@pytest.mark.parametrize("answer", ["yes please", "sure, go on", "ok what have you got"])
def test_a_real_yes_brings_ideas(engine, answer):
    reply = talk(engine, "I keep putting off my blog articles.", answer, offer_before=1)[1]
    assert reply.understanding.asked and reply.understanding.act == "accept", reply.text


@pytest.mark.parametrize("question", [
    "Was that the wrong thing to say?",
    "Do you think I'm wrong?",
    "Am I being selfish?",
    "Should I have said it differently?",
])
def test_a_direct_question_gets_an_honest_answer(engine, question):
    reply = talk(engine, "I told Tom his draft was boring.", question)[1]
    text = reply.text
    assert reply.understanding.judgement and not reply.understanding.asked, text
    assert "outside what I can help" not in text and "SU" not in reply.codes
    limits = banks.moves().judgement["limits"]
    assert any(sentence in text for sentence in limits), text  # what the coach can and cannot judge
    assert text.rstrip().endswith("?")  # and what they think


def test_a_judgement_question_reflects_what_they_told_before_the_question(engine):
    reply = talk(engine, "I keep putting off the blog.", "I told Tom his SQL was sloppy. Was that too harsh?")[1]
    assert "you told Tom his SQL was sloppy" in reply.text and "whether that was too harsh" in reply.text, reply.text
    assert "more than one way" not in reply.text  # no ambivalence they did not state


def test_asking_my_opinion_of_them_is_a_judgement_question_and_asking_what_to_do_is_a_request(engine):
    opinion = talk(engine, "I keep putting off the blog.",
                   "My manager rewrote my intro without asking me. What do you think, should I be annoyed?")[1]
    assert opinion.understanding.judgement and not opinion.understanding.asked, opinion.text
    assert "whether you should be annoyed" in opinion.text and "SU" not in opinion.codes, opinion.text
    what_to_do = talk(engine, "I keep putting off the blog.", "I snapped at Tom. Was that wrong? What should I do now?")[1]
    assert what_to_do.understanding.asked, what_to_do.text


def test_a_question_the_guidance_cannot_answer_gets_an_honest_no_and_one_question(engine):
    reply = talk(engine, "I keep putting off the blog.",
                 "Is it okay for pairs to skip a meeting when one of us is stuck?")[1]
    # ("Is that normal?" is answered honestly now: tests/flows/coach/test_stranger_classes.py)
    assert "GI" not in reply.codes  # no guidance passage is handed in here: say so, and ask what is behind it
    assert any(s in reply.text for s in banks.moves().answers["no_passage"]), reply.text
    assert reply.text.rstrip().endswith("?") and reply.codes.count("Q") == 1, reply.text


def test_a_topic_shift_after_thanks_is_the_new_topic_not_a_closing(engine):
    reply = talk(engine, "I keep putting off the blog.", "Thanks. Different topic: Tom cancelled our Thursday session.")[1]
    assert reply.understanding.act != "closing" and reply.understanding.shifted
    assert "Tom cancelled your Thursday session" in reply.text, reply.text


_REQUEST_NAMES = re.compile(r"(?:You'd like some ideas on|You're looking for a way forward with|"
                            r"You want something practical for) ([^.]+)\.")
_CITED = re.compile(r"› What can help with ([^)]+)\)")


@pytest.mark.parametrize("request_text", [
    "How could I phrase it so it's useful but doesn't wreck the friendship?",
    "Any tips for my conference talk? I present to two hundred people.",
    "How do I make it up to my husband after last night's argument?",
    "wat should i do differently for the aws exam",
])
def test_a_request_is_reflected_as_what_the_ideas_are_about_never_a_guessed_topic(engine, request_text):
    reply = talk(engine, request_text)[0]
    named, cited = _REQUEST_NAMES.search(reply.text), _CITED.findall(reply.text)
    if named:  # the topic it names is the one the quoted ideas are about
        assert cited and cited[0] == named.group(1), reply.text
        assert reply.text.count(named.group(1)) == 1 + len([c for c in cited if c == named.group(1)]), reply.text


@pytest.mark.parametrize("statement", [
    "I did manage to hand the weekly report to Jo last month, so it's not impossible.",
    "I suppose I could start with what went well. She did explain the topic clearly.",
])
def test_a_statement_after_the_ideas_is_listened_to_not_given_more_ideas(engine, statement):
    first, second = talk(engine, "Tom keeps cancelling our meetings, any ideas?", statement)
    assert "SU" in first.codes
    assert "SU" not in second.codes, second.text


def test_a_follow_up_question_after_the_ideas_still_gets_more(engine):
    first, second = talk(engine, "Tom keeps cancelling our meetings, any ideas?", "And if that doesn't work?")
    assert "SU" in first.codes and "SU" in second.codes, second.text


def test_a_real_step_in_mixed_news_is_affirmed_and_the_problem_is_not():
    engine = CoachEngine(TurnClassifier(HashingEmbeddings()))
    reply = talk(engine, "Finished module 3 of the SQL course! But the joins make no sense to me.")[0]
    assert "AF" in reply.codes and "you finished module 3" in reply.text, reply.text
    assert "joins" not in next(s for s in reply.text.split(". ") if "finished module 3" in s)  # the step, not the problem


@pytest.mark.parametrize("message", ["sooo i failed the aws practice exam again lol", "ummm ok so I failed the exam again"])
def test_a_stretched_filler_is_dropped_and_the_rest_reflected(engine, message):
    reply = talk(engine, "Hi.", message)[1]
    assert "you failed the" in reply.text and "sooo" not in reply.text.lower(), reply.text


def test_back_to_work_and_thanks_is_a_goodbye_not_a_problem(engine):
    reply = talk(engine, "I keep putting off the blog.", "Right, back to the spreadsheet. Thanks.")[1]
    assert reply.understanding.act == "closing" and "?" not in reply.text, reply.text


@pytest.mark.parametrize(("message", "expected"), [
    ("Priya moved our call twice for leadership prep. I get it, but I'm losing momentum on my queries.",
     "you're losing momentum on your queries"),  # "you get it" says nothing alone: the next clause that does
    ("idk if i even want to work in cloud tbh", "you're not sure if you want to work in cloud"),  # the doubt kept
    ("I'm wondering whether my article goal still makes sense.", "whether your article goal still makes sense"),
    ("sorry, ignore that. I'm just rattled.", "rattled"),  # a feeling word the lexicon now knows
])
def test_a_reflection_finds_what_they_meant(engine, message, expected):
    reply = talk(engine, "Hi.", message)[1]
    assert expected in reply.text, reply.text


def test_indicator_questions_answer_a_goal_not_a_doubt_about_it(engine):
    reply = talk(engine, "Hi.", "Since the reorg hardly anyone reads the blog. I'm wondering whether my article goal still makes sense.")[1]
    assert not any(q in reply.text for q in banks.moves().questions.by_topic["goals"][:3]), reply.text


def test_a_one_word_value_is_reflected_not_a_crash(engine):
    reply = talk(engine, "I value trust.")[0]
    assert reply.text, reply
