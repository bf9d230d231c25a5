import pytest

from kickcoach.text.morphology import (
    base_form,
    gerund,
    participle,
    past,
    plural,
    third_person,
    verb_forms,
    verb_lemma,
)


@pytest.mark.parametrize(
    ("verb", "expected"),
    [
        ("answer", "answered"),
        ("take", "took"),
        ("hog", "hogged"),
        ("reply", "replied"),
        ("force-push", "force-pushed"),
        ("commit", "committed"),
        ("cancel", "cancelled"),
        ("travel", "travelled"),
        ("be", "was"),
        ("is", "was"),
        ("are", "were"),
    ],
)
def test_past(verb, expected):
    assert past(verb) == expected


def test_other_forms():
    assert participle("take") == "taken"
    assert third_person("reply") == "replies" and third_person("push") == "pushes" and third_person("be") == "is"
    assert gerund("commit") == "committing" and gerund("take") == "taking"


def test_lemma_known_and_unknown():
    assert verb_lemma("took") == "take"
    assert verb_lemma("force-pushed") == "force-push"
    assert verb_lemma("xyzzy") is None
    assert base_form("gossiped") == "gossip"
    assert base_form("xyzzy") == "xyzzy"


def test_verb_forms_and_plurals():
    assert {"take", "took", "taken", "takes", "taking"} <= verb_forms("take")
    assert plural("reply") == "replies" and plural("meeting") == "meetings" and plural("PRs") == "PRs"


def test_singular():
    from kickcoach.text.morphology import singular

    assert [singular(w) for w in ("articles", "queries", "Talks", "kg", "blogs")] == [
        "article",
        "query",
        "talk",
        "kg",
        "blog",
    ]
