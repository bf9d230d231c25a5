"""The skills vocabulary, the cohort's phrasing habits, and match strength relative to the cohort."""

import numpy as np
import pytest

from kickcoach.knowledge.embeddings import HashingEmbeddings
from kickcoach.programme import concepts, phrasing, scoring, space
from kickcoach.programme.inventory import Participant

SKILLS = ["sql", "pottery", "welding", "budgets", "chess", "salsa", "sailing", "python", "tax", "knitting"]


def person(email, offers, needs):
    return Participant(email=email, name=email.split("@")[0].title(), offers=tuple(offers), needs=tuple(needs))


# --- phrasing habits ------------------------------------------------------------------------------------------
def test_a_lead_in_and_a_tail_that_many_items_share_are_stripped():
    items = [f"Could someone help me with {s}?" for s in SKILLS] + ["public speaking", "negotiation"]
    found = phrasing.habits(items)
    assert found.bare("Could someone help me with pottery?") == "pottery"
    assert found.bare("public speaking") == "public speaking"


@pytest.mark.parametrize(("count", "stripped"), [(phrasing.MIN_ITEMS - 1, False), (phrasing.MIN_ITEMS, True)])
def test_a_lead_in_needs_at_least_min_items(count, stripped):
    items = [f"keen to learn {s}" for s in SKILLS[:count]]
    assert (phrasing.habits(items).bare(items[0]) == SKILLS[0]) is stripped


def test_a_lead_in_needs_a_share_of_a_large_cohort():
    others = [f"topic number {i} and more" for i in range(400)]
    few = [f"keen to learn {s}" for s in SKILLS[:7]]  # 7 < 2% of 407
    assert phrasing.habits(few + others).bare(few[0]) == few[0]
    many = [f"keen to learn {s} {i}" for i in range(2) for s in SKILLS]  # 20 ≥ 2% of 420 … with variety
    assert phrasing.habits(many + others).bare(many[0]).startswith(SKILLS[0])


@pytest.mark.parametrize(("variety", "stripped"), [(phrasing.MIN_VARIETY - 1, False), (phrasing.MIN_VARIETY, True)])
def test_a_lead_in_needs_varied_words_after_it(variety, stripped):
    items = [f"keen to learn {SKILLS[i % variety]} {i}" for i in range(12)]
    assert (phrasing.habits(items).bare(items[0]) == f"{SKILLS[0]} 0") is stripped


def test_a_frequent_skill_word_is_not_filler():
    items = [f"{s} management" for s in ["project", "time", "people", "change", "risk", "stock", "event"]]
    assert phrasing.habits(items).bare("project management") == "project management"


def test_stripping_never_empties_an_item():
    items = [f"keen to learn {s}" for s in SKILLS] + ["keen to learn"]
    assert phrasing.habits(items).bare("keen to learn") != ""


# --- the vocabulary ---------------------------------------------------------------------------------------------
def test_the_vocabulary_is_broad_versioned_and_each_phrasing_names_one_concept():
    version, found = concepts.load_concepts()
    assert version >= 1 and len(found) >= 100
    assert all(c.description and len(c.phrasings) >= 3 for c in found)
    phrasings = [p.lower() for c in found for p in c.phrasings]
    assert len(phrasings) == len(set(phrasings))


def test_a_vocabulary_without_phrasings_is_refused(tmp_path):
    bad = tmp_path / "v.yaml"
    bad.write_text("version: 1\nconcepts:\n  x: {description: something, phrasings: []}\n")
    with pytest.raises(ValueError, match="phrasings"):
        concepts.load_concepts(bad)


@pytest.fixture(scope="module")
def vocabulary():
    return concepts.concept_space(HashingEmbeddings())


def test_items_are_assigned_softly_to_at_most_top_concepts(vocabulary):
    x = scoring.embed_texts(HashingEmbeddings(), ["pivot tables", "a forklift"]).astype(np.float64)
    d = vocabulary.distributions(x)
    assert np.allclose(d.sum(axis=1), 1) and ((d > 0).sum(axis=1) <= concepts.TOP_CONCEPTS).all()
    keys = [c.key for c in vocabulary.concepts]
    assert keys[int(np.argmax(d[0]))] == "spreadsheets"


def test_two_wordings_of_one_concept_move_closer_and_weight_zero_changes_nothing(vocabulary):
    x = scoring.embed_texts(HashingEmbeddings(), ["pivot tables", "Google Sheets", "a forklift"]).astype(np.float64)
    assert vocabulary.expand(x, x, weight=0) is x
    moved = vocabulary.expand(x, x)
    assert np.allclose(np.linalg.norm(moved, axis=1), 1)
    assert moved[0] @ moved[1] > x[0] @ x[1] + 0.3  # no shared word, one concept
    assert moved[0] @ moved[1] > moved[0] @ moved[2]


def test_the_vocabulary_is_embedded_once_through_the_shared_cache():
    calls: list[int] = []

    class Counting(HashingEmbeddings):
        def embed_documents(self, texts):
            calls.append(len(texts))
            return super().embed_documents(texts)

    cache: dict[str, list[float]] = {}
    concepts.concept_space(Counting(), cache)
    first = sum(calls)
    concepts.concept_space(Counting(), cache)
    assert first > 0 and sum(calls) == first


# --- strength relative to the cohort ------------------------------------------------------------------------------
def test_strength_is_zero_at_the_cohorts_typical_offer_and_full_at_full_match_z():
    v = scoring.ItemVectors({"n": 0}, np.eye(1, dtype=np.float32), None, np.array([0.2]), np.array([0.1]))
    sims = np.array([[0.2, 0.2 + 0.1 * scoring.FULL_MATCH_Z, 0.2 + 0.05 * scoring.FULL_MATCH_Z, 0.1]])
    assert np.allclose(v.strengths(sims, [0, 0, 0, 0]), [[0, 1, 0.5, 0]])
    raw = scoring.ItemVectors({"n": 0}, np.eye(1, dtype=np.float32))
    assert raw.strengths(np.array([[scoring.STRENGTH_FLOOR]]), [0])[0, 0] == 0  # no cohort space: the raw floor


def cohort(n):
    return [person(f"p{i}@x.org", [f"offer topic {i} {SKILLS[i % 10]}"], [f"need topic {i} {SKILLS[(i + 3) % 10]}"])
            for i in range(n)]


def test_need_statistics_are_each_needs_cosines_over_the_cohorts_offers():
    people = cohort(space.MIN_ITEMS)
    v = space.cohort_vectors(HashingEmbeddings(), people)
    offers = v.rows(list(dict.fromkeys(p.offers[0] for p in people)))
    needs = [p.needs[0] for p in people]
    sims = v.need_rows(needs) @ offers.T
    assert v.need_mean is not None and v.need_std is not None
    rows = v.positions(needs)
    assert np.allclose(v.need_mean[rows], sims.mean(axis=1), atol=1e-5)
    assert np.allclose(v.need_std[rows], sims.std(axis=1), atol=1e-4)


def test_the_vocabulary_is_used_only_from_min_items_on_and_can_be_switched_off():
    small = cohort(space.MIN_ITEMS - 1)
    assert space.cohort_vectors(HashingEmbeddings(), small).need_mean is None  # raw vectors, raw cosines
    big = cohort(space.MIN_ITEMS)
    with_vocabulary = space.cohort_vectors(HashingEmbeddings(), big)
    without = space.cohort_vectors(HashingEmbeddings(), big, use_concepts=False)
    assert not np.allclose(with_vocabulary.matrix, without.matrix)


def test_the_vocabulary_vectors_are_kept_in_the_cache_folder_for_the_next_process(tmp_path):
    calls: list[int] = []

    class Counting(HashingEmbeddings):
        def embed_documents(self, texts):
            calls.append(len(texts))
            return super().embed_documents(texts)

    first = concepts.concept_space(Counting(), cache_dir=tmp_path)
    assert sum(calls) > 0 and len(list(tmp_path.glob("skill-concepts-hashing-*.npy"))) == 1
    calls.clear()
    again = concepts.concept_space(Counting(), {}, cache_dir=tmp_path)  # a fresh in-memory cache: a new process
    assert calls == [] and np.allclose(again.centroids, first.centroids, atol=1e-6)
