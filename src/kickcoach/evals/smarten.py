"""The goal-drafting eval: every vague goal in evals/cases/smarten/ through ``flows.smarten`` with the
configured model. The verdict is recomputed here from the returned goal with the SMART checker, not read
from the flow's own report.

Checks per case:
- ``passes``: the returned goal passes all five SMART criteria outright;
- ``passes_or_asks``: it passes, or ``questions`` holds exactly the checker's questions for what is missing (a draft
  with marked blanks: one question per blank, and it passes once they are filled);
- ``has_number_and_deadline``: a goal that passes carries a number and an ISO deadline (one that asks need not);
- ``no_cop_out``: the goal does not wrap the person's words in placeholders ("3 concrete actions towards …"),
  judged here by an independent pattern, not by the checker.
Held-out cases (ids "ho-…") are also reported apart: the rules are never tuned to them.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from typing import TYPE_CHECKING

from tqdm import tqdm

from kickcoach.contracts.smart import check_goal, questions_for
from kickcoach.evals.report import CaseResult, FlowReport, load_cases
from kickcoach.flows.smarten import smarten
from kickcoach.flows.smarten.blanks import filled

# A draft that counts placeholders instead of naming the what: "Complete 3 concrete actions towards …".
COP_OUT = re.compile(
    r"\b(?:concrete|agreed)\s+(?:actions|steps|tasks)\b|\b(?:actions|steps|tasks|things)\s+(?:towards|toward|on)\b",
    re.IGNORECASE,
)

if TYPE_CHECKING:
    from kickcoach.services import Services


def run(services: Services, *, progress: bool = False, today: dt.date | None = None) -> FlowReport:
    today = today or dt.date.today()
    cases = load_cases("smarten")
    started = time.perf_counter()
    results = []
    for case in tqdm(cases, desc="smarten", unit="goal", disable=not progress):
        needs = case.get("needs") or ()
        result = smarten(services.model, case["goal"], today=today, needs=needs, attempts=services.settings.attempts)
        goal = result.to_goal("g1")
        verdict = check_goal(goal, today=today, needs=needs)
        passes = verdict.passed
        if result.blanks:  # a draft with marked blanks asks for them; filled in, it passes
            done = goal.model_copy(update={"what": filled(goal.what), "target": filled(goal.target)})
            filled_ok = set(check_goal(done, today=today, needs=needs).failed) <= {"relevant"}
            asks = filled_ok and len(result.questions) >= len(result.blanks)
        else:
            asks = set(questions_for(verdict.failed, case["goal"])) <= set(result.questions) if not passes else True
        numbered = bool(re.search(r"\d", result.goal)) and bool(result.deadline)
        checks = {
            "passes": passes,
            "passes_or_asks": passes or asks,
            "has_number_and_deadline": numbered or not passes,
            "no_cop_out": not COP_OUT.search(result.goal),
        }
        results.append(
            CaseResult.judged(
                case,
                checks,
                {
                    "vague": case["goal"],
                    "goal": result.goal,
                    "deadline": result.deadline,
                    "source": result.source,
                    "failed": verdict.failed,
                    "questions": result.questions,
                },
                category=result.source,
                informational=("passes",),  # a draft that asks the right questions instead also passes
            )
        )
    report = FlowReport(
        flow="smarten", backend=services.settings.backend, cases=results, seconds=time.perf_counter() - started
    )
    report.metrics = {
        "pass SMART outright": report.rate("passes") or 0.0,
        "pass or return the exact questions": report.rate("passes_or_asks") or 0.0,
        "number and deadline present when passing": report.rate("has_number_and_deadline") or 0.0,
        "no cop-out (placeholder actions)": report.rate("no_cop_out") or 0.0,
        "drafted by the model (not the template)": sum(c.category == "model" for c in results) / max(1, len(results)),
    }
    held_out = [c for c in results if c.id.startswith("ho-")]
    if held_out:
        report.metrics["held-out: no cop-out"] = sum(c.checks["no_cop_out"] for c in held_out) / len(held_out)
        report.metrics["held-out: pass SMART outright"] = sum(c.checks["passes"] for c in held_out) / len(held_out)
    return report
