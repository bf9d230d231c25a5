from kickcoach.llm.loops import LoopCutter


def run(chunks: list[str]) -> tuple[str, bool]:
    cutter = LoopCutter()
    text = "".join(cutter.feed(c) for c in chunks) + cutter.flush()
    return text, cutter.stopped


def words(text: str) -> list[str]:
    return [w + " " for w in text.split(" ")]


def test_cuts_at_first_repeated_sentence():
    text, stopped = run(words("Feedback should be specific. Name the behaviour. Feedback should be specific. Feedback"))
    assert stopped
    assert text == "Feedback should be specific. Name the behaviour. "


def test_repeat_is_detected_despite_case_and_punctuation():
    text, stopped = run(words("Meet every week. meet EVERY week! More text here."))
    assert stopped and text == "Meet every week. "


def test_streams_first_sentence_immediately():
    cutter = LoopCutter()
    assert cutter.feed("Hello") == "Hello"
    assert cutter.feed(" there") == " there"


def test_holds_a_possible_repeat_until_it_diverges():
    cutter = LoopCutter()
    cutter.feed("Meet every week. ")
    assert cutter.feed("Meet every") == ""  # could be the start of a repeat: held back
    assert cutter.feed(" month instead.") == "Meet every month instead."


def test_short_sentences_may_repeat():
    text, stopped = run(words("Yes. Yes. That works well."))
    assert not stopped and text.strip() == "Yes. Yes. That works well."
