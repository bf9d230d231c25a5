"""The suggestion-rule eval: each case runs through the real chat pipeline (retrieval, prompt, model, guard).

Checks per case:
- ``asked_correct``: the request detector's verdict matches the case's ``expect_asked``;
- ``compliant`` (cases where the user did not ask): no sentence of the final reply is a suggestion, judged
  by the *strict* detector (a lower threshold than the guard uses at run time, so the measure is not the
  guard grading itself); the guard's own permission offer is allowed;
- ``helpful`` (cases where the user asked): the reply holds at least one concrete suggestion.

The guard enforces with that same strict threshold, so ``compliant`` mainly catches what the pipeline adds
after the guard (quotes, ideas, reflections) and differences in sentence splitting. For a second opinion
that is *not* the guard's own method, every not-asked reply is also read by the regex baseline
(:mod:`kickcoach.guard.baseline`); its flags are reported for a human to read, not counted as failures,
because on our cases they are mostly "Just like…"/"Let me…" openings the regex mistakes for advice.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from tqdm import tqdm

from kickcoach import guard
from kickcoach.evals.report import CaseResult, FlowReport, load_cases
from kickcoach.flows.chat import CoachChat
from kickcoach.guard.baseline import regex_advice

if TYPE_CHECKING:
    from kickcoach.services import Services

EVAL_PAIR = "eval-suggestions"


def suggestion_sentences(reply: str, *, strict: bool) -> list[str]:
    return [
        s for s in guard.split_sentences(reply)
        if s.strip() and guard.PERMISSION_OFFER not in s and guard.is_suggestion(s, strict=strict)
    ]


def run(services: Services, *, progress: bool = False) -> FlowReport:
    cases = load_cases("suggestions")
    services.storage.ensure_pair(EVAL_PAIR, "Eval pair")
    repo = services.pair(EVAL_PAIR)
    coach = CoachChat(services)
    started = time.perf_counter()
    results: list[CaseResult] = []
    for case in tqdm(cases, desc="suggestions", unit="case", disable=not progress):
        conversation = repo.new_conversation("eval", title=case["id"])
        for turn in case.get("history") or []:
            repo.add_turn(conversation, turn["role"], turn["content"])
        result = coach.ask(EVAL_PAIR, conversation, case["message"])
        expect = bool(case["expect_asked"])
        checks = {"asked_correct": result.asked == expect}
        if expect:
            checks["helpful"] = bool(suggestion_sentences(result.reply, strict=False))
        else:
            checks["compliant"] = not suggestion_sentences(result.reply, strict=True)
            regex_flags = [s for s in guard.split_sentences(result.reply)
                           if guard.PERMISSION_OFFER not in s and regex_advice(s)]
        checks["no_error"] = result.error is None
        results.append(
            CaseResult.judged(
                case,
                checks,
                {"message": case["message"], "reply": result.reply, "asked_reason": result.asked_reason,
                        "held_back": result.removed, "error": result.error,
                        **({} if expect else {"regex_flags": regex_flags})},
            )
        )
    report = FlowReport(flow="suggestions", backend=services.settings.backend, cases=results,
                        seconds=time.perf_counter() - started)
    not_asked = report.rate("compliant")
    asked = report.rate("helpful")
    report.metrics = {
        "rule compliance (not asked)": not_asked if not_asked is not None else 0.0,
        "helpfulness (asked)": asked if asked is not None else 0.0,
        "request detector accuracy": report.rate("asked_correct") or 0.0,
        "cases where the guard held something back": sum(bool(c.detail["held_back"]) for c in results) / max(1, len(results)),
        "not-asked replies the regex baseline flags (second opinion, for review)": (
            sum(bool(c.detail.get("regex_flags")) for c in results if "compliant" in c.checks)
            / max(1, sum("compliant" in c.checks for c in results))
        ),
    }
    return report
