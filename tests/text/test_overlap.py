import pytest

from kickcoach.text.overlap import longest_common_run, longest_shared_run, share_from, similarity


def test_longest_common_run():
    assert longest_common_run(list("abcxyz"), list("zzabcq")) == 3
    assert longest_common_run([], ["a"]) == 0
    assert longest_shared_run("The cat sat on the mat", "a CAT sat on a mat") == 3


def test_similarity_bounds():
    assert similarity("same words here", "Same words, here!") == 1.0
    assert similarity("", "") == 1.0
    assert similarity("one two", "three four") == 0.0
    assert similarity("a b c", "a b d") == pytest.approx(2 / 3)


def test_share_from_counts_content_stems():
    assert share_from("late emails", "you answer emails late") == 1.0
    assert share_from("late reports", "you answer emails late") == 0.5
    assert share_from("the and", "anything") == 0.0
