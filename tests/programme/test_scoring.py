"""Complementarity: both directions, by meaning (here: exact concepts via the test embeddings), lopsided penalty."""

import numpy as np
import pytest

from kickcoach.knowledge.embeddings import HashingEmbeddings
from kickcoach.programme import scoring
from kickcoach.programme.inventory import Participant


def person(email, offers, needs, **extra):
    return Participant(email=email, name=email.split("@")[0].title(), offers=tuple(offers), needs=tuple(needs), **extra)


def test_strength_is_zero_at_the_floor_and_rises_to_one():
    s = scoring.strength(np.array([scoring.STRENGTH_FLOOR, scoring.STRENGTH_FLOOR + 1e-3, 1.0, -1.0]))
    assert s[0] == 0 and s[1] > 0 and s[2] == 1 and s[3] == 0


def test_lopsided_trades_score_below_balanced_ones_with_the_same_total():
    assert scoring.pair_score(0.5, 0.5) == pytest.approx(0.5)
    assert scoring.pair_score(1.0, 0.0) == pytest.approx(0.5 - scoring.LOPSIDED_PENALTY)
    assert scoring.pair_score(1.0, 0.0, penalty=0) == pytest.approx(0.5)


def test_forward_and_backward_directions_and_symmetric_score():
    people = [person("a@x.org", ["sql queries"], ["public speaking"]),
              person("b@x.org", ["public speaking"], ["sql queries"]),
              person("c@x.org", ["sql queries"], ["gardening"])]
    vectors = scoring.embed_items(HashingEmbeddings(), people)
    comp = scoring.complementarity(people, vectors)
    f = comp.forward
    assert f[0, 1] == pytest.approx(1.0) and f[1, 0] == pytest.approx(1.0)
    assert f[0, 2] == pytest.approx(0.0, abs=0.05) and f[2, 1] == pytest.approx(1.0)  # c meets b, b not c
    assert np.allclose(comp.score, comp.score.T)
    assert comp.score[0, 1] > comp.score[1, 2] > comp.score[0, 2]


def test_unique_item_texts_are_embedded_once():
    calls: list[int] = []

    class Counting(HashingEmbeddings):
        def embed_documents(self, texts):
            calls.append(len(texts))
            return super().embed_documents(texts)

    people = [person(f"p{i}@x.org", ["SQL", "Public speaking"], ["sql "]) for i in range(10)]
    vectors = scoring.embed_items(Counting(), people)
    assert sum(calls) == 2 and len(vectors.index) == 2


def test_why_names_which_offer_meets_which_need_both_ways():
    a = person("a@x.org", ["sql queries", "gardening"], ["public speaking"])
    b = person("b@x.org", ["public speaking"], ["sql queries", "knitting"])
    vectors = scoring.embed_items(HashingEmbeddings(), [a, b])
    why = scoring.why(a, b, vectors)
    assert why["a_meets_b"][0]["offer"] == "sql queries" and why["a_meets_b"][0]["need"] == "sql queries"
    assert [m["need"] for m in why["a_meets_b"]] == ["sql queries"]  # nothing meets "knitting"
    assert why["b_meets_a"][0] == {"offer": "public speaking", "need": "public speaking", "match": 1.0}
    text = scoring.why_text(why, "Ada", "Ben")
    assert "Ada's “sql queries” meets Ben's “sql queries”" in text and "Ben's “public speaking”" in text
    assert "nothing Ada offers" in scoring.why_text({"a_meets_b": [], "b_meets_a": []}, "Ada", "Ben")


def test_blocks_give_the_same_scores_as_one_pass(monkeypatch, concept_embeddings):
    from kickcoach.programme.synthetic import generate

    cohort = generate(40, seed=3)
    vectors = scoring.embed_items(concept_embeddings(cohort.item_skill), cohort.people)
    whole = scoring.complementarity(cohort.people, vectors).score
    monkeypatch.setattr(scoring, "BLOCK_PEOPLE", 7)
    assert np.allclose(scoring.complementarity(cohort.people, vectors).score, whole)
