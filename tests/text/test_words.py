from kickcoach.text.words import STOP_WORDS, content_terms, content_words, is_stop_word, stem, tokens


def test_inflections_share_one_stem():
    assert {stem(w) for w in ("answered", "answers", "answering", "answer")} == {"answer"}
    assert stem("took") == stem("take")
    assert stem("went") == stem("go")


def test_acronym_plurals_and_possessives():
    assert stem("PRs") == stem("PR") == "pr"
    assert stem("Tom's") == "tom"
    assert stem("Tom\u2019s") == "tom"


def test_tokens_keep_contractions_and_drop_punctuation():
    assert tokens("You didn't reply, Tom's email\u2019s late!") == [
        "You",
        "didn't",
        "reply",
        "Tom's",
        "email's",
        "late",
    ]


def test_one_stop_word_list_from_the_data_file():
    assert {"the", "you", "didn't", "yesterday", "three"} <= STOP_WORDS
    assert not {"email", "answer", "meeting", "deadline"} & STOP_WORDS
    assert is_stop_word("The") and not is_stop_word("emails")


def test_content_words_are_stems_without_stop_words_or_numbers():
    assert content_words("You didn't answer my 3 emails in the meeting") == {"answer", "email", "meet"}
    assert content_words("the and of 42") == frozenset()


def test_content_terms_keep_the_first_surface_form():
    assert content_terms("emails, email and more emailing") == {"email": "emails"}


def test_topic_words_drop_chat_words_and_short_words() -> None:
    from kickcoach.text.words import topic_words

    assert topic_words("Any tips for my weekly 1:1 with the new manager?") >= {"manag"}
    assert not topic_words("ok thanks, that's helpful") & {"thank", "help", "ok"}
    assert all(len(w) > 2 for w in topic_words("AI is ok to go"))
