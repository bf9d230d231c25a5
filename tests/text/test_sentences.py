from hypothesis import given
from hypothesis import strategies as st

from kickcoach.text.sentences import SentenceStream, segments, split_sentences


def test_splits_on_terminal_punctuation_and_lines():
    assert split_sentences("Meet weekly. Bring notes!\n- Try X\n1. Do Y? Yes") == [
        "Meet weekly.",
        "Bring notes!",
        "- Try X",
        "1. Do Y?",
        "Yes",
    ]


def test_abbreviations_initials_and_decimals_do_not_split():
    assert split_sentences("Ask Dr. Shah, e.g. on Monday. J. Smith rated it 3.5 out of 5.") == [
        "Ask Dr. Shah, e.g. on Monday.",
        "J. Smith rated it 3.5 out of 5.",
    ]



def test_stream_releases_only_settled_sentences():
    stream = SentenceStream()
    assert stream.feed("Hello there.") == []  # the next character decides the boundary
    assert stream.feed(" How") == ["Hello there. "]
    assert stream.feed(" are you? Fine") == ["How are you? "]
    assert stream.close() == ["Fine"]
    assert stream.close() == []


_TEXT = st.text(alphabet=st.sampled_from(list("ab. !?\nDr.e.g3")), max_size=60)


@given(_TEXT, st.lists(st.integers(min_value=1, max_value=7), max_size=12))
def test_stream_equals_whole_text_split_however_chunked(text, sizes):
    stream, out, pos = SentenceStream(), [], 0
    for size in sizes:
        out += stream.feed(text[pos : pos + size])
        pos += size
    out += stream.feed(text[pos:])
    out += stream.close()
    assert "".join(out) == text
    assert out == segments(text)
