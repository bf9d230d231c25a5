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


def test_cohort_space_keeps_small_cohorts_raw_and_separates_sides_at_the_threshold():
    from kickcoach.programme import space

    def cohort(n):
        return [person(f"p{i}@x.org", [f"offer topic {i}"], [f"need topic {i}"]) for i in range(n)]

    small = cohort(space.MIN_ITEMS - 1)
    raw = scoring.embed_items(HashingEmbeddings(), small)
    assert space.cohort_space(small, raw) is raw
    big = cohort(space.MIN_ITEMS)
    vectors = space.cohort_space(big, scoring.embed_items(HashingEmbeddings(), big))
    assert vectors.need_matrix is not None
    offers = vectors.rows([p.offers[0] for p in big])
    needs = vectors.need_rows([p.needs[0] for p in big])
    assert np.allclose(np.linalg.norm(offers, axis=1), 1, atol=1e-5)
    assert abs(float(offers.mean(axis=0) @ needs.mean(axis=0))) < 0.5  # the shared phrasing is gone


def test_cohort_space_lifts_planted_partners_above_phrasing_habits():
    """Every offer says "I can teach", every need "keen to learn": only the skill word tells them apart."""
    from kickcoach.programme import space

    skills = [f"skill{i}" for i in range(60)]
    people = [person(f"p{i}@x.org", [f"I can teach {skills[i]} well"], [f"keen to learn {skills[(i + 1) % 60]} soon"])
              for i in range(60)]
    raw = scoring.embed_items(HashingEmbeddings(), people)
    debiased = space.cohort_space(people, raw, neighbours=0)
    raw_f = scoring.complementarity(people, raw).forward
    new_f = scoring.complementarity(people, debiased).forward
    # person i+1 offers what person i needs: its margin over the others grows once the phrasing is removed
    def margin(f):
        return np.mean([f[(i + 1) % 60, i] - np.delete(f[:, i], [i, (i + 1) % 60]).mean() for i in range(60)])

    assert margin(new_f) > margin(raw_f)
