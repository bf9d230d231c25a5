"""Pairing the whole cohort: hard constraints, then a maximum-weight matching on a general graph.

Hard constraints: never pair someone with their manager (either way round), never re-propose a pair
that declined, and the programme's team rule (``different``: never within a team; ``same``: only within).
Each person keeps their ``TOP_K`` best allowed candidates (an edge stays if either end wants it), so the
graph has at most ``n × TOP_K`` edges; rustworkx's blossom algorithm (Edmonds, in Rust) then finds the
maximum-weight matching among maximum-cardinality matchings. People left over are matched once more
among themselves over all their allowed edges. Anyone still unpaired is named with the reason.

``greedy_matching`` (best remaining pair first) is the baseline the benchmark compares with.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import rustworkx as rx

from kickcoach.programme.inventory import Participant

TOP_K = 15
"""Candidates kept per person before the graph is built."""
MIN_PAIR_SCORE = 0.05
"""A pair scoring below this trades (almost) nothing and is never proposed."""
WEIGHT_SCALE = 1_000_000  # rustworkx takes integer weights: scores are scaled and rounded


@dataclass(frozen=True)
class Proposal:
    a: int
    b: int
    score: float


@dataclass(frozen=True)
class Unpaired:
    index: int
    reason: str


@dataclass
class Matching:
    pairs: list[Proposal] = field(default_factory=list)
    unpaired: list[Unpaired] = field(default_factory=list)
    edges: int = 0

    @property
    def total(self) -> float:
        return float(sum(p.score for p in self.pairs))


def allowed_mask(people: Sequence[Participant], team_rule: str = "any",
                 forbidden: Iterable[frozenset[str]] = ()) -> np.ndarray:
    """``allowed[i, j]``: may i and j be paired at all?"""
    n = len(people)
    index = {p.email: i for i, p in enumerate(people)}
    allowed = ~np.eye(n, dtype=bool)
    for i, p in enumerate(people):
        j = index.get(p.manager)
        if j is not None:
            allowed[i, j] = allowed[j, i] = False
    if team_rule in ("different", "same"):
        teams = np.array([p.team.strip().lower() for p in people], dtype=object)
        same = teams[:, None] == teams[None, :]
        allowed &= ~same if team_rule == "different" else same
    for pair in forbidden:
        ends = [index[e] for e in pair if e in index]
        if len(ends) == 2:
            allowed[ends[0], ends[1]] = allowed[ends[1], ends[0]] = False
    return allowed


def _candidate_edges(weights: np.ndarray, top_k: int, min_score: float) -> tuple[np.ndarray, np.ndarray]:
    n = weights.shape[0]
    k = max(1, min(top_k, n - 1))
    cols = np.argpartition(-weights, k - 1, axis=1)[:, :k].ravel()
    rows = np.repeat(np.arange(n), k)
    keep = weights[rows, cols] >= min_score
    lo, hi = np.minimum(rows[keep], cols[keep]), np.maximum(rows[keep], cols[keep])
    codes = np.unique(lo.astype(np.int64) * n + hi)
    return codes // n, codes % n


def _blossom(nodes: Sequence[int], edges: Iterable[tuple[int, int, float]]) -> list[tuple[int, int]]:
    graph = rx.PyGraph()
    position = {node: graph.add_node(node) for node in nodes}
    graph.add_edges_from([(position[a], position[b], round(w * WEIGHT_SCALE)) for a, b, w in edges])
    matched = rx.max_weight_matching(graph, max_cardinality=True, weight_fn=lambda w: w)
    return [(nodes[a], nodes[b]) for a, b in matched]


def optimal_matching(people: Sequence[Participant], score: np.ndarray, allowed: np.ndarray, *,
                     top_k: int = TOP_K, min_score: float = MIN_PAIR_SCORE) -> Matching:
    n = len(people)
    if n < 2:
        return Matching(unpaired=[Unpaired(i, _reason(i, people, score, allowed, {}, min_score)) for i in range(n)])
    weights = np.where(allowed, score, -np.inf)
    a, b = _candidate_edges(weights, top_k, min_score)
    matched = _blossom(list(range(n)), zip(a.tolist(), b.tolist(), weights[a, b].tolist(), strict=False))
    partner = {x: y for x, y in matched} | {y: x for x, y in matched}
    left = [i for i in range(n) if i not in partner]
    if len(left) > 1:  # a second chance over every allowed edge among those left over
        sub = weights[np.ix_(left, left)]
        ii, jj = np.nonzero(np.triu(sub >= min_score, 1))
        extra = _blossom(left, [(left[i], left[j], float(sub[i, j])) for i, j in zip(ii, jj, strict=False)])
        matched += extra
        partner |= {x: y for x, y in extra} | {y: x for x, y in extra}
    pairs = sorted((Proposal(min(x, y), max(x, y), float(score[x, y])) for x, y in matched),
                   key=lambda p: (-p.score, p.a))
    unpaired = [Unpaired(i, _reason(i, people, score, allowed, partner, min_score)) for i in range(n) if i not in partner]
    return Matching(pairs, unpaired, edges=len(a))


def greedy_matching(people: Sequence[Participant], score: np.ndarray, allowed: np.ndarray, *,
                    min_score: float = MIN_PAIR_SCORE) -> Matching:
    """The baseline: repeatedly take the best remaining allowed pair."""
    n = len(people)
    weights = np.where(np.triu(allowed, 1), score, -np.inf)
    flat = np.flatnonzero(weights >= min_score)
    order = flat[np.argsort(-weights.ravel()[flat], kind="stable")]
    taken = np.zeros(n, dtype=bool)
    pairs = []
    for code in order.tolist():
        i, j = divmod(code, n)
        if not taken[i] and not taken[j]:
            taken[i] = taken[j] = True
            pairs.append(Proposal(i, j, float(score[i, j])))
    partner = {p.a: p.b for p in pairs} | {p.b: p.a for p in pairs}
    unpaired = [Unpaired(i, _reason(i, people, score, allowed, partner, min_score)) for i in range(n) if not taken[i]]
    return Matching(pairs, unpaired, edges=len(flat))


def _reason(i: int, people: Sequence[Participant], score: np.ndarray, allowed: np.ndarray,
            partner: dict[int, int], min_score: float) -> str:
    n = len(people)
    if n < 2:
        return "the only participant so far: pairing needs at least two"
    if not allowed[i].any():
        return "no one can be paired with them under the rules (their manager, their reports and the team rule exclude everyone)"
    candidates = np.where(allowed[i], score[i], -np.inf)
    best = int(np.argmax(candidates))
    best_name = f"{people[best].name} <{people[best].email}>"
    if candidates[best] < min_score:
        return (f"no complementary partner: no one's offers meet their needs while theirs meet the other's "
                f"(best: {best_name} at {candidates[best]:.3f}, below the minimum {min_score:.2f})")
    if n % 2 and len(partner) == n - 1:
        taken = partner.get(best)
        with_whom = f", who is paired with {people[taken].name}" if taken is not None else ""
        return (f"odd number of participants ({n}): one person has to wait; pairing everyone else gives the highest "
                f"total (their best match was {best_name} at {candidates[best]:.2f}{with_whom})")
    taken = partner.get(best)
    with_whom = f", paired with {people[taken].name}" if taken is not None else ""
    return (f"their complementary candidates are all paired with people who fit them better "
            f"(best: {best_name} at {candidates[best]:.2f}{with_whom})")
