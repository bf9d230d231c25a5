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
IN_CONVERSATION = Path(__file__).resolve().parents[2] / "evals" / "tuning" / "idea_requests_2.yaml"

pytestmark = pytest.mark.integration
# scripts/tune_idea_ranking.py on both tuning sets: ideas that answer another question fail the person, an honest
# "no guidance on exactly this" does not; at 0.75 wrong ideas are rare (0.50 before, when 33 of the 70
# in-conversation requests got ideas for another question).
PINNED = 0.75
WRONG_AT_MOST = 0.10  # share of requests given ideas from a file that does not answer them
PASS_AT_LEAST = 0.90  # share with ideas that answer them, or no ideas where the set says none do (+ "no guidance")


def _ranked(real_services, path: Path) -> list[tuple[dict, Ranking]]:
    ranker = IdeaRanker(real_services.embeddings, real_services.settings.cache_dir, threshold=-1.0)
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


def _wrong(rows: list[tuple[dict, Ranking]], threshold: float) -> float:
    """Share of requests that get ideas from a file the set does not list for them."""
    return sum(r.fit >= threshold and bool(_files(r)) and not answered(_files(r), case["answers"])
               for case, r in rows) / len(rows)


def _right(rows: list[tuple[dict, Ranking]], threshold: float) -> float:
    return sum(r.fit >= threshold and bool(case["answers"]) and answered(_files(r), case["answers"])
               for case, r in rows) / len(rows)


@pytest.fixture(scope="module")
def in_conversation(real_services) -> list[tuple[dict, Ranking]]:
    return _ranked(real_services, IN_CONVERSATION)


def test_the_no_fit_threshold_is_pinned():
    assert NO_FIT["minilm"] == PINNED


def test_at_the_threshold_ideas_rarely_answer_another_question(requests, in_conversation, ranked):
    for rows in (requests, in_conversation, ranked):
        assert len(rows) >= 59 and _wrong(rows, PINNED) <= WRONG_AT_MOST, [
            (c["id"], _files(r)) for c, r in rows if r.fit >= PINNED and _files(r) and not answered(_files(r), c["answers"])]
        assert 1 - _wrong(rows, PINNED) >= PASS_AT_LEAST
        assert _wrong(rows, PINNED - 0.25) > _wrong(rows, PINNED)  # looser: ideas for other questions
        assert _right(rows, PINNED + 0.25) < _right(rows, PINNED)  # stricter: "no guidance" where a file answers
    assert _right(requests, PINNED) >= 0.2 and _right(ranked, PINNED) >= 0.4  # ideas still come where they fit


def test_requests_nothing_answers_fall_under_the_threshold(requests, in_conversation, ranked):
    for rows in (requests, in_conversation, ranked):
        fresh = [(case["id"], round(r.fit, 3)) for case, r in rows if not case["answers"]]
        under = [fit < PINNED for _, fit in fresh]
        assert len(fresh) >= 5 and sum(under) / len(under) >= 0.85, fresh


@pytest.mark.parametrize(("case_id", "wanted"), [
    ("director-planning-seat", "visibility-and-office-politics"),  # got "a partner who cancels" before
    ("article-more-readers", "writing-and-getting-read"),  # got procrastination
    ("review-comments-phrasing", "giving-review-comments"),
    ("fight-partner", "repair-after-an-argument-at-home"),  # a life partner, not the mentoring partner
    ("sales-objections", "sales-technique"),
])
def test_the_requests_the_issue_names_get_ideas_that_answer_them(ranked, case_id, wanted):
    ranking = next(r for case, r in ranked if case["id"] == case_id)
    assert ranking.best == f"{wanted}.md"
    assert ranking.fit < PINNED or _files(ranking) == [wanted] * 3  # the right ideas, or honestly none
