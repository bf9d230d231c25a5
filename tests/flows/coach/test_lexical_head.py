"""The word n-gram heads beside the embedding heads (issue 18 item 2): negation and phrasal verbs the sentence
vectors blur ("didn't turn up", "passed on") are read from the words themselves."""

from __future__ import annotations

import pytest

from kickcoach.flows.coach import lexical_head
from kickcoach.flows.coach.classifier import TurnClassifier
from kickcoach.flows.coach.lexical_head import LexicalHeads, blend
from kickcoach.knowledge.embeddings import HashingEmbeddings


def test_settings_are_pinned():
    assert lexical_head.BLEND == {"act": 0.7, "topic": 0.5, "valence": 0.7}
    assert (lexical_head.C, lexical_head.NGRAMS, lexical_head.VERSION) == (16.0, (1, 2), 1)


@pytest.fixture(scope="module")
def heads() -> LexicalHeads:
    return TurnClassifier(HashingEmbeddings()).lexical  # fitted on the training examples, once per process


@pytest.mark.parametrize(("message", "act", "valence"), [
    ("Tom didn't turn up again and didn't even message.", "setback", "negative"),
    ("Finished the first draft of my article last night.", "progress", "positive"),
])
def test_the_words_tell_which_way_the_news_points(heads, message, act, valence):
    probs = heads.probabilities(message)
    assert max(probs["act"], key=probs["act"].__getitem__) == act
    assert max(probs["valence"], key=probs["valence"].__getitem__) == valence
    assert all(abs(sum(p.values()) - 1) < 1e-6 for p in probs.values())


def test_saved_heads_load_back_the_same(heads, tmp_path):
    heads.save(tmp_path / "lexical.npz")
    loaded = LexicalHeads.load(tmp_path / "lexical.npz")
    for message in ("Missed the deadline again.", "any tips for networking?"):
        a, b = heads.probabilities(message), loaded.probabilities(message)
        assert all(abs(a[label][k] - b[label][k]) < 1e-9 for label in a for k in a[label])


def test_blend_weighs_the_two_readings():
    mixed = blend({"valence": {"negative": 1.0, "positive": 0.0}}, {"valence": {"positive": 1.0}}, {"valence": 0.6})
    assert mixed["valence"] == pytest.approx({"negative": 0.4, "positive": 0.6})
    assert blend({"act": {"goal": 1.0}}, {}, {"act": 0.6}) == {"act": {"goal": 1.0}}


def test_the_classifier_caches_the_lexical_heads_beside_the_others(tmp_path):
    classifier = TurnClassifier(HashingEmbeddings(), cache_dir=tmp_path)
    first = classifier.votes("Tom cancelled again.")
    assert list(tmp_path.glob("turn-examples-*.lexical-v1.npz"))
    again = TurnClassifier(HashingEmbeddings(), cache_dir=tmp_path).votes("Tom cancelled again.")
    assert again.act == pytest.approx(first.act)
