"""Feedback eval: every case's criticism is rephrased with the configured model.

Checks per case:
``verified``        the flow's own verdict (``FeedbackResult.verified``);
``keeps_behaviour`` every word in the case's ``behaviour_keywords`` is in the rewrite (compared by stem);
``no_attack_left``  ``detect`` finds no label, judgement, absolute or mind-reading in the rewrite;
``grammatical``     ``grammar_problems`` finds nothing (every verb has a subject, no dangling conjunction).
Held-out cases (ids "ho-…") are reported apart as well: the rules are never tuned to them.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from tqdm import tqdm

from kickcoach.evals.report import CaseResult, FlowReport, load_cases
from kickcoach.flows.feedback import detect, grammar_problems, rephrase, stem
from kickcoach.text.words import tokens

if TYPE_CHECKING:
    from kickcoach.services import Services


def kept_keywords(keywords: list[str], rewrite: str) -> list[str]:
    """The keywords missing from ``rewrite`` (a multi-word keyword needs each of its words)."""
    present = {stem(w) for w in tokens(rewrite)}
    return [k for k in keywords if not all(stem(w) in present for w in str(k).split())]


def run(services: Services, *, progress: bool = False) -> FlowReport:
    started = time.perf_counter()
    cases = load_cases("feedback")
    results: list[CaseResult] = []
    for case in tqdm(cases, desc="feedback", disable=not progress):
        result = rephrase(services.model, case["criticism"], want_request=bool(case.get("want_request", False)))
        missing = kept_keywords(case["behaviour_keywords"], result.rewrite)
        left = detect(result.rewrite)
        broken = grammar_problems(result.rewrite)
        checks = {
            "verified": result.verified,
            "keeps_behaviour": not missing,
            "no_attack_left": not left,
            "grammatical": not broken,
        }
        results.append(
            CaseResult.judged(
                case,
                checks,
                {
                    "before": case["criticism"],
                    "after": result.rewrite,
                    "source": result.source,
                    "attempts": result.attempts,
                    "flags": [f"{f.kind}: {f.text}" for f in result.flags],
                    "missing_keywords": missing,
                    "attacks_left": [f.text for f in left],
                    "grammar": broken,
                    "problems": result.problems,
                    "model_problems": result.model_problems,
                    "questions": result.questions,
                },
            )
        )
    report = FlowReport(flow="feedback", backend=services.settings.backend, cases=results)
    for check in ("verified", "keeps_behaviour", "no_attack_left", "grammatical"):
        report.metrics[check] = report.rate(check) or 0.0
    held_out = [c for c in results if c.id.startswith("ho-")]
    if held_out:
        report.metrics["held-out clean (no attack, grammatical)"] = sum(
            c.checks["no_attack_left"] and c.checks["grammatical"] for c in held_out
        ) / len(held_out)
    report.metrics["model_wording"] = (
        sum(c.detail["source"] == "model" for c in results) / len(results) if results else 0.0
    )
    report.seconds = time.perf_counter() - started
    return report
