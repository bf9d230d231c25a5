"""Retrieval latency with 10,000 pairs' contracts indexed, query embedding included, against baselines in
the same run.

The index is the app's own (``open_store``: a Chroma collection with cosine HNSW, embedded by default, or the
Chroma server of ``--chroma-host/--chroma-port``), holding the guidance plus ``--pairs`` synthetic contracts.
Each synthetic contract is the demo contract's 21 clauses with the partners' names, their company and the
numbers varied (``--variants`` different texts per clause, embedded once by the ONNX encoder in batches).
Each pair's vectors are those of its texts plus a small per-pair jitter (``--jitter``, renormalised; cosine
~0.99 to the text's vector), so no two pairs hold identical vectors, as with real contracts, without
embedding 210,000 texts on 2 cores.

Timed, each for ``--queries`` distinct questions about a random pair ("What are Ana's goals?", ...):

- ``query embedding alone``: the ONNX encoder on the question (the floor of any design);
- ``retrieve, 1 pair``: :func:`kickcoach.knowledge.retrieve.retrieve` (query embedding + filtered Chroma query
  + re-rank) on an index with the guidance and one contract: today's demo setup, the baseline;
- ``retrieve, N pairs``: the same call on the full index, as the chat flow makes it (the pair's contract chunk
  ids known from the contract it loaded: looked up by id);
- ``retrieve by the pair_id filter (no ids), N pairs``: the same without the ids (the pair's chunks found by
  their ``pair_id`` metadata, which Chroma filters more slowly as the index grows);
- ``previous: Chroma filtered query, N pairs``: the search the previous ``retrieve`` made (Chroma's vector query
  with ``where={"pair_id": {"$in": [guidance, pair]}}``, query embedding included), on the full index.

Prints p50 / p95 per row and the ratios N pairs : 1 pair and previous : now. Target: p95 <= 30 ms at 10,000 pairs.

The big index is kept under ``benchmarks/out/`` (gitignored) and reused by later runs (``--no-keep-index``
rebuilds it in a temporary folder; building 210,000 vectors takes several minutes on 2 shared cores).

    python benchmarks/retrieval_scale.py [--pairs 10000] [--queries 300] [--cache DIR]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from kickcoach.contracts.service import demo_contract
from kickcoach.core.config import GUIDANCE, Settings
from kickcoach.knowledge.embeddings import MiniLMEmbeddings
from kickcoach.knowledge.ingest import Chunk, contract_chunks, guidance_chunks
from kickcoach.knowledge.retrieve import retrieve
from kickcoach.knowledge.sentence_encoder import load_encoder
from kickcoach.knowledge.store import open_store

TARGET_P95_MS = 30.0
FIRST = ["Ana", "Ben", "Chloe", "Dev", "Elif", "Femi", "Grace", "Hugo", "Ines", "Jon", "Kira", "Liam", "Mei",
         "Nils", "Omar", "Pia", "Quinn", "Rosa", "Sami", "Tara", "Uma", "Vik", "Wen", "Xavi", "Yara", "Zane"]
COMPANY = ["Acme Foods", "Bluewater Bank", "Cedar Health", "Delta Freight", "Evergreen Energy", "Fjord Games"]
QUESTIONS = ["What are {a}'s goals?", "When do {a} and {b} meet?", "What does {b} offer {a}?",
             "What is {a}'s target for goal 2?", "How do {a} and {b} keep each other accountable?",
             "What did we agree about confidentiality, {b}?", "How often should peer mentors meet?",
             "{a} keeps cancelling our meetings, what does our contract say?", "What are {b}'s indicators?"]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def variant_texts(variants: int, seed: int) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """``variants`` versions of the demo contract: (name a, name b, [(heading, text) per clause])."""
    rng = random.Random(seed)
    base = contract_chunks(demo_contract())
    out = []
    for _ in range(variants):
        a, b = rng.sample(FIRST, 2)
        swaps = {"Priya": a, "Tom": b, "Northwind Retail": rng.choice(COMPANY), "Northwind": rng.choice(COMPANY),
                 "10-minute": f"{rng.choice([5, 10, 15, 20])}-minute", "Thursdays": rng.choice(["Mondays", "Tuesdays",
                 "Wednesdays", "Thursdays", "Fridays"]), "45 minutes": f"{rng.choice([30, 45, 60])} minutes",
                 "4 articles": f"{rng.randint(2, 8)} articles", "10 working queries": f"{rng.randint(5, 20)} working queries"}
        clauses = []
        for chunk in base:
            heading, text = chunk.heading, chunk.text
            for old, new in swaps.items():
                heading, text = heading.replace(old, new), text.replace(old, new)
            clauses.append((heading, text))
        out.append((a, b, clauses))
    return out


def build_index(store, pairs: int, variants, vectors: np.ndarray, jitter: float, seed: int,
                add: bool = True) -> dict[str, tuple[str, str]]:
    """Add ``pairs`` contracts straight into the collection (precomputed vectors); returns pair → names.
    ``add=False``: only the names (the index was kept from an earlier run)."""
    rng = np.random.default_rng(seed)
    collection = store._collection
    batch = min(5000, collection._client.get_max_batch_size())
    per = len(variants[0][2])
    names: dict[str, tuple[str, str]] = {}
    ids: list[str] = []
    docs: list[str] = []
    metas: list[dict[str, str]] = []
    embs: list[np.ndarray] = []

    def flush() -> None:
        if ids:
            collection.add(ids=list(ids), documents=list(docs), metadatas=list(metas),  # type: ignore[arg-type]
                           embeddings=np.stack(embs))
            ids.clear(), docs.clear(), metas.clear(), embs.clear()

    for p in range(pairs):
        pair_id = f"pair-{p:05d}"
        v = int(rng.integers(len(variants)))
        a, b, clauses = variants[v]
        names[pair_id] = (a, b)
        noise = rng.normal(0.0, jitter, size=(per, vectors.shape[1])).astype(np.float32)
        pair_vectors = vectors[v * per:(v + 1) * per] + noise
        pair_vectors /= np.linalg.norm(pair_vectors, axis=1, keepdims=True)
        for i, (heading, text) in enumerate(clauses):
            chunk = Chunk(id=f"{pair_id}:{i}", pair_id=pair_id, kind="contract", source="contract",
                          heading=heading, text=text)
            ids.append(chunk.id)
            docs.append(f"{heading}\n{text}")
            metas.append(chunk.metadata())
            embs.append(pair_vectors[i])
        if not add:
            ids.clear(), docs.clear(), metas.clear(), embs.clear()
        elif len(ids) >= batch - per:
            flush()
    flush()
    return names


def filtered_query(store, pair_id: str, question: str) -> list:
    """The previous retrieve's search: Chroma's own vector query with the pair filter (query embedding included)."""
    return store.similarity_search_with_score(question, k=9, filter={"pair_id": {"$in": sorted([GUIDANCE, pair_id])}})


def time_retrieval(store, names: dict[str, tuple[str, str]], queries: int, seed: int, *, how: str = "ids",
                   tag: str = "", per: int = 21) -> list[float]:
    """``how``: "ids" (the chat path: the contract's chunk ids known), "filter" (found by pair_id) or
    "previous" (Chroma's filtered vector query)."""
    rng = random.Random(seed)
    pair_ids = sorted(names)
    times = []
    for n in range(queries):
        pair_id = rng.choice(pair_ids)
        a, b = names[pair_id]
        question = f"{rng.choice(QUESTIONS).format(a=a, b=b)} (#{tag}{n})"  # distinct: no cached query vector
        ids = [f"{pair_id}:{i}" for i in range(per)]
        start = time.perf_counter()
        if how == "previous":
            filtered_query(store, pair_id, question)
        else:
            hits = retrieve(store, pair_id, question, k=3, ids=ids if how == "ids" else None)
        times.append(time.perf_counter() - start)
        if how != "previous":
            assert hits and all(h.kind == "guidance" or h.id.startswith(pair_id + ":") for h in hits)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--variants", type=int, default=40)
    parser.add_argument("--jitter", type=float, default=0.006)
    parser.add_argument("--previous", type=int, default=100,
                        help="queries timed through the previous search (Chroma's filtered query); 0: skip")
    parser.add_argument("--keep-index", action=argparse.BooleanOptionalAction, default=True,
                        help="keep the big index under benchmarks/out/ and reuse it (default: on)")
    parser.add_argument("--cache", type=Path, default=ROOT / "benchmarks" / "out" / "cache")
    parser.add_argument("--chroma-host", default=None, help="index in a Chroma server instead of the embedded store")
    parser.add_argument("--chroma-port", type=int, default=8000)
    args = parser.parse_args()

    started = time.perf_counter()
    encoder = load_encoder(args.cache)  # exported once under --cache (needs torch) if missing
    embeddings = MiniLMEmbeddings(args.cache)
    variants = variant_texts(args.variants, seed=1)
    texts = [f"{h}\n{t}" for _, _, clauses in variants for h, t in clauses]
    t0 = time.perf_counter()
    vectors = encoder.encode_batch(texts)
    embed_s = time.perf_counter() - t0
    guidance = guidance_chunks()

    results: dict[str, list[float]] = {}
    reused = False
    with tempfile.TemporaryDirectory() as tmp:
        rng = random.Random(7)
        floor = []
        for n in range(args.queries):
            question = f"{rng.choice(QUESTIONS).format(a=rng.choice(FIRST), b=rng.choice(FIRST))} (#{n})"
            t0 = time.perf_counter()
            encoder.encode([question])
            floor.append(time.perf_counter() - t0)
        results["query embedding alone"] = floor
        index_s = 0.0
        for label, pairs in (("retrieve, 1 pair", 1), (f"retrieve, {args.pairs:,} pairs", args.pairs)):
            kept = pairs > 1 and args.keep_index  # the big index is kept between runs (gitignored folder)
            home = (ROOT / "benchmarks" / "out" / f"retrieval-index-{pairs}-{args.variants}-{args.jitter}"
                    if kept else Path(tmp) / f"home-{pairs}")
            settings = Settings(embeddings="minilm", home=home, chroma_host=args.chroma_host,
                                chroma_port=args.chroma_port, _env_file=None)
            store = open_store(settings, embeddings)
            expected = len(guidance) + pairs * len(variants[0][2])
            reuse = kept and not args.chroma_host and store._collection.count() == expected
            if not reuse:
                store.delete_collection()  # a half-built or server index: start from an empty one
                store = open_store(settings, embeddings)
                store._collection.add(ids=[c.id for c in guidance],
                                      documents=[f"{c.heading}\n{c.text}" for c in guidance],
                                      metadatas=[c.metadata() for c in guidance],  # type: ignore[arg-type]
                                      embeddings=encoder.encode_batch([f"{c.heading}\n{c.text}" for c in guidance]))
            t0 = time.perf_counter()
            names = build_index(store, pairs, variants, vectors, args.jitter, seed=pairs, add=not reuse)
            if pairs > 1:
                index_s = time.perf_counter() - t0
                reused = reuse
            time_retrieval(store, names, 10, seed=0, tag="warm")  # warm: segments loaded, guidance read
            results[label] = time_retrieval(store, names, args.queries, seed=pairs)
            if pairs > 1:
                results[f"retrieve by the pair_id filter (no ids), {pairs:,} pairs"] = time_retrieval(
                    store, names, args.queries, seed=pairs + 2, how="filter", tag="filter")
            if pairs > 1 and args.previous:
                time_retrieval(store, names, 5, seed=0, how="previous", tag="warm")
                results[f"previous: Chroma filtered query, {pairs:,} pairs"] = time_retrieval(
                    store, names, args.previous, seed=pairs + 1, how="previous", tag="prev")
            count = store._collection.count()
            del store

    print(f"index: guidance {len(guidance)} chunks + {args.pairs:,} pairs x {len(variants[0][2])} clauses = {count:,} "
          f"vectors; {len(texts):,} clause texts embedded in {embed_s:.1f} s, "
          f"{'index kept from an earlier run' if reused else f'indexed in {index_s:.0f} s'}; "
          f"total {time.perf_counter() - started:.0f} s")
    print("| what | n | p50 ms | p95 ms |")
    print("|---|---|---|---|")
    for label, values in results.items():
        print(f"| {label} | {len(values)} | {1000 * statistics.median(values):.1f} | {1000 * pct(values, 0.95):.1f} |")
    small, big = results["retrieve, 1 pair"], results[f"retrieve, {args.pairs:,} pairs"]
    p95 = 1000 * pct(big, 0.95)
    print(f"ratio {args.pairs:,} pairs : 1 pair = {statistics.median(big) / statistics.median(small):.2f}x (p50), "
          f"{pct(big, 0.95) / pct(small, 0.95):.2f}x (p95); p95 {p95:.1f} ms "
          f"{'<=' if p95 <= TARGET_P95_MS else '>'} target {TARGET_P95_MS:.0f} ms")
    previous = results.get(f"previous: Chroma filtered query, {args.pairs:,} pairs")
    if previous:
        print(f"ratio previous : now at {args.pairs:,} pairs = {pct(previous, 0.95) / pct(big, 0.95):.1f}x (p95)")


if __name__ == "__main__":
    main()
