"""The idea ranking on the bundled MiniLM, against the tuning sets: the no-fit threshold is pinned where
evals/tuning/idea_requests.yaml (64 requests in many voices) put it, moving it either way answers fewer of them,
and the first set (evals/cases/ideas/tuning.yaml, 59 requests) still scores as well."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from kickcoach.flows.coach.idea_ranking import NO_FIT, IdeaRanker, Ranking
from kickcoach.flows.coach.understand import understand

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
from tune_idea_ranking import CASES, answered, load  # noqa: E402

REQUESTS = Path(__file__).resolve().parents[2] / "evals" / "tuning" / "idea_requests.yaml"

pytestmark = pytest.mark.integration
PINNED = 0.50  # scripts/tune_idea_ranking.py --cases evals/tuning/idea_requests.yaml --sweep-only: best at 0.50
AT_LEAST = 0.70  # share of idea_requests.yaml answered at the pinned threshold (45/64 when chosen)
FIRST_SET_AT_LEAST = 0.88  # share of the first tuning set answered (53/59 when chosen; 51/59 before the lexical term)


def _ranked(real_services, path: Path) -> list[tuple[dict, Ranking]]:
    ranker = IdeaRanker(real_services.embeddings, real_services.settings.home / "cache", threshold=-1.0)
    rows = []
    for case in load(path):
        history = case.get("history") or []
        topic = understand([{"role": "user", "content": h} for h in history], case["message"],
                           real_services.turn_classifier).topic
        rows.append((case, ranker.rank(case["message"], context=" ".join(history), topics=[topic])))
    return rows


@pytest.fixture(scope="module")
def ranked(real_services) -> list[tuple[dict, Ranking]]:
    return _ranked(real_services, CASES)


@pytest.fixture(scope="module")
def requests(real_services) -> list[tuple[dict, Ranking]]:
    return _ranked(real_services, REQUESTS)


def _files(ranking: Ranking) -> list[str]:
    return [i.source.source.removesuffix(".md") for i in ranking.ideas]


def _share(rows: list[tuple[dict, Ranking]], threshold: float) -> float:
    hits = sum(answered(_files(r) if r.fit >= threshold else [], case["answers"]) for case, r in rows)
    return hits / len(rows)


def test_the_no_fit_threshold_is_pinned():
    assert NO_FIT["minilm"] == PINNED


def test_at_the_threshold_most_requests_get_ideas_that_answer_them(requests, ranked):
    share = _share(requests, PINNED)
    assert len(requests) >= 60 and share >= AT_LEAST
    assert share > _share(requests, PINNED - 0.1)  # looser: ideas for requests our guidance does not cover
    assert share > _share(requests, PINNED + 0.25)  # stricter: "no guidance" for requests it does cover
    assert _share(ranked, PINNED) >= FIRST_SET_AT_LEAST


def test_requests_nothing_answers_fall_under_the_threshold(requests, ranked):
    nothing = [(case["id"], round(r.fit, 3)) for case, r in ranked if not case["answers"]]
    assert len(nothing) >= 5 and all(fit < PINNED for _, fit in nothing), nothing
    fresh = [(case["id"], round(r.fit, 3)) for case, r in requests if not case["answers"]]
    under = [fit < PINNED for _, fit in fresh]
    assert len(fresh) >= 10 and sum(under) / len(under) >= 0.9, fresh  # "bike gears keep slipping" reads as a habit


@pytest.mark.parametrize(("case_id", "wanted"), [
    ("director-planning-seat", "visibility-and-office-politics"),  # got "a partner who cancels" before
    ("article-more-readers", "writing-and-getting-read"),  # got procrastination
    ("where-start-cert", "getting-started"),  # a vague request, answered from the thread; got nothing
    ("review-comments-phrasing", "giving-review-comments"),
    ("fight-partner", "repair-after-an-argument-at-home"),  # a life partner, not the mentoring partner
    ("sales-objections", "sales-technique"),
])
def test_the_requests_the_issue_names_get_ideas_that_answer_them(ranked, case_id, wanted):
    ranking = next(r for case, r in ranked if case["id"] == case_id)
    assert ranking.fit >= PINNED and ranking.best == f"{wanted}.md"
    assert _files(ranking) == [wanted] * 3
