from kickcoach.evals.transcript_checks import check, check_conversation, echo_run, sentences


def test_echo_counts_their_words_once_turned_to_face_them():
    person = "My manager asked me to redo the whole deck again last night."
    assert echo_run(person, "It sounds like your manager asked you to redo the whole deck again.") == 10
    assert echo_run(person, "Redoing the deck again sounds exhausting.") == 2


def test_reused_sentences_and_openings_are_counted_within_a_conversation_only():
    first = [{"person": "a", "coach": "It sounds like the week was long. What would you like to change?"},
             {"person": "b", "coach": "What would you do first? That makes sense."}]
    checks = check_conversation(first)
    assert [c.repeated_opening for c in checks] == [False, True]
    assert [c.repeated_sentence for c in checks] == [False, False]
    again = [{"person": "a", "coach": "That makes sense to me."}, {"person": "b", "coach": "That makes sense to me."}]
    assert [c.repeated_sentence for c in check_conversation(again)] == [False, True]
    totals = check([{"exchanges": first}, {"exchanges": again}])
    assert (totals.replies, totals.repeated_opening, totals.repeated_sentence) == (4, 2, 1)


def test_ideas_and_quotes_are_not_the_coach_repeating_itself():
    reply = "Here are two ideas.\n- Block a slot on Friday.\n- Ask Tom to check in.\nYour contract says “we meet weekly”."
    assert sentences(reply) == ["Here are two ideas."]
