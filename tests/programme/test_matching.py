"""Pairing: hard constraints, optimality (checked against networkx), odd person out, synthetic acceptance."""

import itertools
import random

import networkx as nx
import numpy as np
import pytest

from kickcoach.programme import matching, scoring
from kickcoach.programme.inventory import Participant
from kickcoach.programme.synthetic import generate


def people(n, **fields):
    return [Participant(email=f"p{i}@x.org", name=f"P{i}", offers=("a",), needs=("b",), **fields) for i in range(n)]


def test_never_with_their_manager_either_way():
    ps = people(3)
    ps[1] = ps[1].model_copy(update={"manager": "p0@x.org"})
    allowed = matching.allowed_mask(ps)
    assert not allowed[0, 1] and not allowed[1, 0] and allowed[0, 2] and not allowed.diagonal().any()


def test_team_rules_and_declined_pairs():
    ps = [p.model_copy(update={"team": t}) for p, t in zip(people(3), ["Red", "red ", "Blue"], strict=False)]
    assert matching.allowed_mask(ps, "any")[0, 1]
    different = matching.allowed_mask(ps, "different")
    assert not different[0, 1] and different[0, 2]
    same = matching.allowed_mask(ps, "same")
    assert same[0, 1] and not same[0, 2]
    declined = matching.allowed_mask(ps, forbidden=[frozenset({"p0@x.org", "p2@x.org"})])
    assert not declined[0, 2] and declined[0, 1]


@pytest.mark.parametrize("seed", range(6))
def test_optimal_equals_networkx_on_small_random_graphs(seed):
    rng = np.random.default_rng(seed)
    n = 11
    score = rng.random((n, n))
    score = (score + score.T) / 2
    allowed = ~np.eye(n, dtype=bool) & (rng.random((n, n)) > 0.3)
    allowed &= allowed.T
    ps = people(n)
    ours = matching.optimal_matching(ps, score, allowed, top_k=n)
    graph = nx.Graph()
    graph.add_weighted_edges_from((i, j, score[i, j]) for i, j in itertools.combinations(range(n), 2)
                                  if allowed[i, j] and score[i, j] >= matching.MIN_PAIR_SCORE)
    theirs = nx.max_weight_matching(graph, maxcardinality=True)
    assert len(ours.pairs) == len(theirs)
    assert ours.total == pytest.approx(sum(score[i, j] for i, j in theirs), abs=1e-4)
    greedy = matching.greedy_matching(ps, score, allowed)
    assert len(greedy.pairs) <= len(ours.pairs)


def test_an_odd_person_out_is_named_with_the_reason():
    ps = people(3)
    score = np.array([[0, 0.9, 0.2], [0.9, 0, 0.3], [0.2, 0.3, 0]])
    result = matching.optimal_matching(ps, score, matching.allowed_mask(ps))
    assert [(p.a, p.b) for p in result.pairs] == [(0, 1)]
    assert result.unpaired[0].index == 2 and "odd number of participants (3)" in result.unpaired[0].reason


def test_unpaired_reasons_for_rules_and_for_no_complement():
    ps = people(4)
    ps[1] = ps[1].model_copy(update={"manager": "p0@x.org"})
    score = np.full((4, 4), 0.5)
    score[3, :] = score[:, 3] = 0.01
    allowed = matching.allowed_mask(ps)
    allowed[0, 2] = allowed[2, 0] = allowed[0, 3] = allowed[3, 0] = False  # p0 can only meet their report
    result = matching.optimal_matching(ps, score, allowed)
    reasons = {u.index: u.reason for u in result.unpaired}
    assert "under the rules" in reasons[0] and "no complementary partner" in reasons[3]


def test_min_pair_score_boundary():
    ps = people(2)
    at = np.array([[0, matching.MIN_PAIR_SCORE], [matching.MIN_PAIR_SCORE, 0]])
    assert len(matching.optimal_matching(ps, at, matching.allowed_mask(ps)).pairs) == 1
    below = at - 1e-6
    assert matching.optimal_matching(ps, below, matching.allowed_mask(ps)).pairs == []


def test_pruning_keeps_the_leftovers_matched():
    rng = random.Random(0)
    n = 30
    score = np.array([[rng.random() for _ in range(n)] for _ in range(n)])
    score = (score + score.T) / 2
    ps = people(n)
    result = matching.optimal_matching(ps, score, matching.allowed_mask(ps), top_k=1)
    assert len(result.pairs) == n // 2 and result.unpaired == []


def test_synthetic_cohort_is_paired_complementarily_within_the_rules(concept_embeddings):
    cohort = generate(120, seed=7)
    vectors = scoring.embed_items(concept_embeddings(cohort.item_skill), cohort.people)
    comp = scoring.complementarity(cohort.people, vectors)
    allowed = matching.allowed_mask(cohort.people, "different")
    result = matching.optimal_matching(cohort.people, comp.score, allowed)
    emails = [p.email for p in cohort.people]
    mutual = [cohort.mutual(emails[p.a], emails[p.b]) for p in result.pairs]
    assert len(result.pairs) == 60 and sum(mutual) / len(mutual) >= 0.9
    by_email = {p.email: p for p in cohort.people}
    for p in result.pairs:
        a, b = cohort.people[p.a], cohort.people[p.b]
        assert a.manager != b.email and b.manager != a.email and a.team.lower() != b.team.lower()
    assert sum(1 for p in cohort.people if p.manager in by_email) > 0  # the constraint was actually exercised
    assert result.total >= matching.greedy_matching(cohort.people, comp.score, allowed).total - 1e-9
