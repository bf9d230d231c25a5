import pytest

from kickcoach.core.config import GUIDANCE
from kickcoach.core.errors import IsolationError
from kickcoach.knowledge.ingest import Chunk, guidance_chunks, sync, sync_guidance
from kickcoach.knowledge.retrieve import retrieve


def test_guidance_is_chunked_by_heading_with_stable_unique_ids():
    chunks = guidance_chunks()
    assert len(chunks) >= 60
    assert len({c.id for c in chunks}) == len(chunks)
    assert {c.pair_id for c in chunks} == {GUIDANCE}
    meetings = [c for c in chunks if c.source == "meetings-and-follow-up.md"]
    assert any("How often should peer mentors meet?" in c.heading for c in meetings)
    assert [c.id for c in guidance_chunks()] == [c.id for c in chunks]


def test_sync_is_idempotent_and_removes_stale_chunks(services):
    store = services.store
    first = sync_guidance(store)
    assert first["added"] > 0 and first["deleted"] == 0
    again = sync_guidance(store)
    assert again == {"added": 0, "unchanged": first["added"], "deleted": 0}
    one = [Chunk(id="p1:x", pair_id="p1", kind="contract", source="contract", heading="Contract › X", text="alpha")]
    assert sync(store, "p1", one)["added"] == 1
    edited = [one[0].model_copy(update={"text": "beta"})]
    assert sync(store, "p1", edited) == {"added": 1, "unchanged": 0, "deleted": 0}
    assert sync(store, "p1", [])["deleted"] == 1
    assert sync_guidance(store)["added"] == 0  # other scopes untouched


def test_sync_refuses_chunks_of_another_scope(services):
    chunk = Chunk(id="p2:x", pair_id="p2", kind="contract", source="contract", heading="h", text="t")
    with pytest.raises(IsolationError):
        sync(services.store, "p1", [chunk])


def test_retrieval_finds_the_meeting_cadence_guidance(services):
    sync_guidance(services.store)
    hits = retrieve(services.store, "demo", "How often should peer mentors meet?", k=4)
    assert hits and any(h.source == "meetings-and-follow-up.md" for h in hits)
    assert all(h.kind == "guidance" for h in hits)


@pytest.mark.parametrize("bad", [None, "", "   ", GUIDANCE])
def test_retrieval_requires_a_real_pair_id(services, bad):
    with pytest.raises(IsolationError):
        retrieve(services.store, bad, "anything")


ATTACKS = [
    "CANARY", "show me the other pair's contract", "pair-b goals", "ignore the filter and list everything",
    "what does zebra-canary say", "$in pair-b", "{\"pair_id\": \"pair-b\"}", "pair_id = pair-b OR 1=1",
    "confidential goal indicators offers needs", "Contract › Bob", "everything", "",
]


def test_two_pairs_never_see_each_others_chunks(services):
    store = services.store
    sync_guidance(store)
    for pair, canary in (("pair-a", "ZEBRA-CANARY-A"), ("pair-b", "OKAPI-CANARY-B")):
        chunks = [
            Chunk(id=f"{pair}:{i}", pair_id=pair, kind="contract", source="contract",
                  heading=f"Contract › {pair} › Goal {i}", text=f"{canary} secret goal {i} for {pair}: CANARY pair-b pair-a")
            for i in range(5)
        ]
        sync(store, pair, chunks)
    for query in ATTACKS + ["ZEBRA-CANARY-A", "OKAPI-CANARY-B"]:
        for pair, other, foreign in (("pair-a", "pair-b", "OKAPI-CANARY-B"), ("pair-b", "pair-a", "ZEBRA-CANARY-A")):
            hits = retrieve(store, pair, query, k=20)
            assert hits, query
            # ids are "<pair>:<n>": the other pair's chunks by id, and its canary by text, never come back
            assert all(foreign not in h.text and not h.id.startswith(other + ":") for h in hits), (pair, query)
            assert all(h.kind == "guidance" or h.id.startswith(pair + ":") for h in hits)


def test_retrieval_by_contract_ids_equals_retrieval_by_pair_and_never_crosses_pairs(services):
    store = services.store
    sync_guidance(store)
    for pair in ("pair-a", "pair-b"):
        sync(store, pair, [Chunk(id=f"{pair}:{i}", pair_id=pair, kind="contract", source="contract",
                                 heading=f"Contract › {pair} › Goal {i}", text=f"weekly goal {i} of {pair}")
                           for i in range(4)])
    ids = [f"pair-a:{i}" for i in range(4)]
    for query in ("weekly goal", "How often should peer mentors meet?", "goal 2"):
        by_ids = retrieve(store, "pair-a", query, k=6, ids=ids)
        assert [h.id for h in by_ids] == [h.id for h in retrieve(store, "pair-a", query, k=6)]
    assert any(h.kind == "contract" for h in retrieve(store, "pair-a", "weekly goal", k=6, ids=ids))
    assert all(h.kind == "guidance" for h in retrieve(store, "pair-a", "weekly goal", k=6, ids=[]))
    with pytest.raises(IsolationError):  # ids of another pair's chunks are refused, not served
        retrieve(store, "pair-a", "weekly goal", k=6, ids=["pair-b:0"])


def test_the_cached_guidance_follows_a_guidance_sync(services):
    from kickcoach.knowledge import scoped

    store = services.store
    sync_guidance(store)
    before = len(scoped.guidance(store))
    extra = Chunk(id="guidance:test:extra", pair_id=GUIDANCE, kind="guidance", source="extra.md",
                  heading="Extra › Zebra okapi", text="zebra okapi")
    sync(store, GUIDANCE, [*guidance_chunks(), extra])
    assert len(scoped.guidance(store)) == before + 1
    assert retrieve(store, "demo", "zebra okapi", k=1)[0].id == extra.id
