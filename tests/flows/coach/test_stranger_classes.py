"""Classes of misreading found by blind readers in release 3's sixth session, each pinned by a case of its own
(not a case from a blind set): what a person asks or announces gets the move that answers it."""

from __future__ import annotations

import pytest

from kickcoach.flows.coach.classifier import TurnClassifier
from kickcoach.flows.coach.engine import CoachEngine
from kickcoach.knowledge.embeddings import HashingEmbeddings
from tests.flows.coach.test_reflections import talk


@pytest.fixture(scope="module")
def engine() -> CoachEngine:
    return CoachEngine(TurnClassifier(HashingEmbeddings()))


def test_is_it_normal_about_a_feeling_is_answered_honestly(engine):
    reply = talk(engine, "Is it normal to feel shaky before every sprint demo?")[0]
    assert reply.understanding.normalising and "normalise" in reply.record["moves"], reply.record
    assert "not something I can judge" not in reply.text and "Our guidance says" not in reply.text, reply.text
    assert reply.text.count("?") == 1, reply.text  # one question back


def test_is_it_normal_about_someone_else_is_no_normalising(engine):
    reply = talk(engine, "Is it normal for a manager to reschedule every one-to-one?")[0]
    assert not reply.understanding.normalising, reply.record  # never "it says nothing bad about you" about a boss


def test_a_yes_no_judgement_without_a_question_mark_is_weighed_not_parroted(engine):
    reply = talk(engine, "is it wrong that im glad the workshop got cancelled")[0]
    assert reply.understanding.judgement, reply.record
    assert not reply.text.lower().startswith(("it sounds like is", "so is", "i'm hearing that is")), reply.text


def test_announcing_what_they_want_to_talk_about_is_invited(engine):
    for message in ("Can I talk you through the stakeholder workshop?", "Hi. I want to tell you about my mock interview."):
        reply = talk(engine, message)[0]
        assert reply.record["moves"] == ["invite"] and "?" not in reply.text, (message, reply.text)


def test_a_hello_with_bad_news_is_news(engine):
    reply = talk(engine, "hey. rough few days.")[0]
    assert reply.understanding.act != "greeting" and "good to see you" not in reply.text, reply.text


def test_thanks_for_listening_closes(engine):
    for message in ("Cheers, it helped to get that off my chest.", "Right, I've vented enough. Thanks for listening."):
        assert talk(engine, message)[0].understanding.act == "closing", message


def test_ideas_that_would_help_is_a_request(engine):
    reply = talk(engine, "Tom keeps interrupting me.", "yes, some ideas on handling interruptions would help")[1]
    assert reply.understanding.asked, reply.record
    assert not talk(engine, "I had ideas that would help the team but nobody listened")[0].understanding.asked


@pytest.mark.parametrize(("message", "expected"), [
    ("I honestly can't remember what Tom offered me.", "Presentation rehearsal"),  # his offers, not mine
    ("i lost track of when my next draft is due", "every three weeks"),  # the goal line that names drafts
    ("what happens if one of us misses a commitment?", "without blame"),  # the contract's rule, not the review
    ("do we have anything written about keeping things confidential?", "stays between us"),
])
def test_questions_about_the_agreement_said_as_statements_are_answered_from_it(engine, message, expected):
    reply = talk(engine, message)[0]
    assert reply.understanding.act == "contract_question" and expected in reply.text, reply.text


def test_what_they_call_a_win_themselves_is_affirmed(engine):
    from kickcoach.flows.coach.said import claimed_win

    assert claimed_win("I didn't open my phone once during the workshop, which for me is huge.") == ""  # not a listed phrase
    assert claimed_win("I didn't check my phone once in the workshop, which is the whole point.") == \
        "you did not check your phone once in the workshop"  # a light paraphrase, not 8 of their words in a row
    assert claimed_win("I asked two questions at the all-hands. That was a first.") == "you asked two questions"
    assert claimed_win("Nobody turned up, which is the point I guess?") == ""  # a question is no claim
    reply = talk(engine, "Ran the whole demo without my script, which honestly is a first.")[0]
    assert "AF" in reply.codes, reply.text


def test_an_emphatic_did_is_judged_by_the_verb_after_it():
    from kickcoach.flows.coach.said import accomplishment

    assert accomplishment("Fair enough, I did shout at the intern.") == ""  # "shouted": no step forward
    assert accomplishment("I did finish the first draft in the end.") != ""


@pytest.mark.parametrize(("message", "feeling"), [
    ("Which is ironic in a sad way, given it's my job.", None),  # describes a way, not them
    ("The happy path works, the edge cases don't.", None),
    ("My manager looked worried after the demo.", None),  # someone else's feeling
    ("I'm worried about my manager after the demo.", "worried"),
])
def test_a_feeling_is_theirs_only_when_it_describes_them(message, feeling):
    from kickcoach.flows.coach.understand import feeling_and_valence

    assert feeling_and_valence(message)[0] == feeling


@pytest.mark.parametrize("message", [
    "Good evening. Hope all is fine. I want to give you an update on the hiring plan.",
    "hey so where do I even start, today has been chaos.",
])
def test_a_preface_after_courtesies_is_invited(engine, message):
    assert talk(engine, message)[0].record["moves"] == ["invite"]


@pytest.mark.parametrize("message", ["Right, that is enough for today. Ciao.",
                                     "I'll go and book the room now, thanks so much, I appreciate it."])
def test_more_ways_of_leaving_close(engine, message):
    assert talk(engine, message)[0].understanding.act == "closing", message


def test_more_classes_of_reading(engine):
    from kickcoach.flows.coach.said import accomplishment
    from kickcoach.flows.coach.well_formed import well_formed

    assert well_formed("for not rushing you") == ""  # a thanks cut from its verb
    assert accomplishment("We finally closed the Harlow account yesterday!") != ""
    assert not talk(engine, "My target is ten calls a week and I forgot my headset on Monday.")[0] \
        .understanding.act == "contract_question"  # forgetting a thing is no question about the agreement
    plan = talk(engine, "I'll rehearse with Sam on Friday. Is that a good idea or a waste of an hour?")[0]
    assert plan.understanding.judgement and not plan.understanding.asked, plan.record


def test_hellos_with_courtesies_and_goodbyes_in_other_languages(engine):
    assert talk(engine, "Good morning. I hope this finds you well. Sorry to bother you.")[0].understanding.act == "greeting"
    for message in ("Gracias, have a great weekend!", "Thanks a lot. Will let you know how it goes."):
        assert talk(engine, message)[0].understanding.act == "closing", message


def test_asking_for_an_honest_view_of_themselves_is_a_judgement_not_a_request(engine):
    reply = talk(engine, "Do you think I'm being oversensitive? Tell me honestly.")[0]
    assert reply.understanding.judgement and not reply.understanding.asked, reply.record
    assert talk(engine, "Do you think I should email her tonight?")[0].understanding.asked  # "should": advice asked


def test_a_bare_is_that_normal_about_a_feeling_normalises(engine):
    reply = talk(engine, "I get a knot in my stomach before every one-to-one. is that normal?")[0]
    assert reply.understanding.normalising, reply.record


def test_no_invitation_reads_as_an_offer_of_ideas():
    from kickcoach import guard
    from kickcoach.flows.coach import bank_files as banks

    assert not any(guard.is_offer(line) for line in banks.moves().invite)  # a report after it is no "no thanks"


def test_an_order_in_a_judgement_question_is_not_what_they_told(engine):
    reply = talk(engine, "Do you really think one good rehearsal proves anything? Be straight with me.")[0]
    assert "be straight" not in reply.text.lower() and "whether" in reply.text, reply.text


def test_a_contract_question_is_answered_by_the_goal_it_names_most(engine):
    reply = talk(engine, "And how many blog articles was it again, five? I told my manager six by mistake.")[0]
    assert "goal 2" in reply.text and "articles" in reply.text, reply.text


def test_a_comma_before_just_starts_a_new_clause():
    from kickcoach.flows.coach.voice import clauses

    assert clauses("No tips needed, just wanted to say it out loud.") == ["No tips needed", "wanted to say it out loud"]
    assert clauses("No, I did not send it.") == ["I did not send it"]  # "no" alone is an interjection


def test_zero_done_is_no_progress():
    from kickcoach.flows.coach.said import accomplishment

    assert accomplishment("sent zero emails to prospects this week") == ""
    assert accomplishment("Finished nothing on the list, again.") == ""


def test_more_fragments_and_slips_found_by_the_blind_readers(engine):
    from kickcoach.flows.coach.said import accomplishment
    from kickcoach.flows.coach.well_formed import well_formed

    assert well_formed("the two slides thing") == ""  # "slides" after a number: a noun, so no verb
    assert well_formed("you're sure that's") == ""
    assert accomplishment("I opened the file and closed it again.") == ""  # closing a thing is no step
    reply = talk(engine, "Good morning. I would like to review where things stand before our meeting.")[0]
    assert reply.understanding.act == "contract_question" and "goals stand" in reply.text, reply.text
