"""Pairing with the real bundled all-MiniLM-L6-v2 (offline): by meaning, not word overlap, on the dev cohort
and on the two held-out cohorts (other skills, other phrasing; never used for tuning). Figures are printed.

300 people keep the test short; the acceptance figures (2,000 people, ≥ 90%) come from
benchmarks/programme_matching.py. Measured at 300 (seed 5): dev 84%, held-out 79%, blind 84%."""

from pathlib import Path

import pytest

from kickcoach.knowledge.embeddings import HashingEmbeddings, MiniLMEmbeddings
from kickcoach.programme import matching, scoring
from kickcoach.programme.space import cohort_vectors
from kickcoach.programme.synthetic import generate, load_vocabulary

pytestmark = pytest.mark.integration
HELDOUT = Path(__file__).parent / "data" / "heldout_skills.yaml"
BLIND = Path(__file__).parent / "data" / "blind_skills.yaml"


@pytest.fixture(scope="module")
def minilm():
    return MiniLMEmbeddings()


def _run(cohort, embeddings):
    vectors = cohort_vectors(embeddings, cohort.people)
    comp = scoring.complementarity(cohort.people, vectors)
    allowed = matching.allowed_mask(cohort.people, "different")
    best = matching.optimal_matching(cohort.people, comp.score, allowed)
    greedy = matching.greedy_matching(cohort.people, comp.score, allowed)
    emails = [p.email for p in cohort.people]

    def mutual(result):
        return sum(cohort.mutual(emails[p.a], emails[p.b]) for p in result.pairs) / max(1, len(result.pairs))

    for p in best.pairs:
        a, b = cohort.people[p.a], cohort.people[p.b]
        assert a.manager != b.email and b.manager != a.email and a.team.lower() != b.team.lower()
    return mutual(best), mutual(greedy), best, greedy


@pytest.mark.parametrize(("label", "vocabulary", "size", "floor"), [
    ("dev", None, 300, 0.75),
    ("held-out", HELDOUT, 300, 0.70),
    ("blind", BLIND, 300, 0.75),
])
def test_minilm_pairs_by_meaning_far_better_than_word_overlap(minilm, label, vocabulary, size, floor):
    cohort = generate(size, seed=5, vocabulary=load_vocabulary(vocabulary) if vocabulary else None)
    real, real_greedy, best, greedy = _run(cohort, minilm)
    words, _, _, _ = _run(cohort, HashingEmbeddings())
    print(f"\n{label}: MiniLM mutual {real:.1%} (greedy {real_greedy:.1%}), word overlap {words:.1%}; "
          f"total {best.total:.1f} vs greedy {greedy.total:.1f}")
    assert len(best.pairs) == size // 2
    assert real >= floor and real >= words + 0.3
    assert best.total >= greedy.total


def test_the_service_matches_with_minilm(services, minilm, small_csv):
    from kickcoach.programme.service import ProgrammeService

    services._embeddings = minilm
    service = ProgrammeService(services)
    service.create("Spring 2027")
    paraphrased = small_csv.replace("negotiation,SQL queries\n", "negotiation,writing my own database queries\n").replace(
        "public speaking practice; negotiation", "giving talks to large audiences; negotiation")
    assert paraphrased.count("database queries") == 1 and "giving talks" in paraphrased
    service.import_csv("Spring 2027", paraphrased)
    report = service.match("Spring 2027")
    assert frozenset({"ada@example.org", "ben@example.org"}) in {frozenset((p["a"], p["b"])) for p in report.pairs}
