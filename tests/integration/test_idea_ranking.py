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


THIRD = Path(__file__).resolve().parents[2] / "evals" / "tuning" / "idea_requests_3.yaml"


@pytest.fixture(scope="module")
def third(real_services) -> list[tuple[dict, Ranking]]:
    return _ranked(real_services, THIRD)


def test_the_nearest_file_offered_by_name_is_right_at_least_half_the_time(third, requests, in_conversation):
    from kickcoach.flows.coach.idea_ranking import NEAR

    assert NEAR["minilm"] == 0.65
    band = [(c, r) for rows in (third, requests, in_conversation) for c, r in rows if 0.65 <= r.fit < PINNED]
    right = sum(r.best.removesuffix(".md") in c["answers"] for c, r in band)
    no_answer = sum(not c["answers"] for c, _ in band)
    assert len(band) >= 60 and right / len(band) >= 0.5 and no_answer / len(band) <= 0.1, (len(band), right, no_answer)
    lower = [(c, r) for rows in (third, requests, in_conversation) for c, r in rows if 0.5 <= r.fit < 0.6]  # 0.6-0.65: 51%
    assert sum(r.best.removesuffix(".md") in c["answers"] for c, r in lower) / len(lower) < 0.5  # why not lower


def test_a_near_request_is_offered_the_nearest_guidance_and_a_yes_quotes_it(real_services):
    from kickcoach.contracts.files import demo_contract
    from kickcoach.contracts.service import save_contract
    from kickcoach.flows.chat import CoachChat

    real_services.storage.ensure_pair("demo", "Demo pair")
    save_contract(real_services, demo_contract())
    chat = CoachChat(real_services)
    # a tuning case (evals/tuning/idea_requests_3.yaml, fin-deposit-never-happens) whose fit falls in the band
    first = chat.ask("demo", None, "we want to save for a flat deposit but it never happens, there's always something")
    asked = chat.ask("demo", first.conversation_id, "any tips that actually work?")
    assert "financial planning" in asked.reply and asked.reply.count("?") == 1, asked.reply
    assert not [line for line in asked.reply.splitlines() if line.startswith("- ")], asked.reply  # offered, not quoted
    yes = chat.ask("demo", first.conversation_id, "yes please")
    assert sum("financial-planning.md" in line for line in yes.reply.splitlines() if line.startswith("- ")) >= 2, yes.reply
