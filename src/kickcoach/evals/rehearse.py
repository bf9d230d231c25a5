"""Rehearsal evals: scripted user turns against the boss, judged by the eval's own judges (``rehearse_judge``).

Cases: ``evals/cases/rehearse/*.yaml`` (tuned on) and ``evals/cases/rehearse/heldout/*.yaml`` (never tuned on,
reported apart). Schema: ``id``, ``scenario``, ``style``, ``turns``; optional ``describe`` (custom scenario or
details), ``level`` (normal | hard), ``previous_turns`` (an earlier attempt, played first; the case is then a
replay and its debrief compares), ``inject`` (1-based turn numbers that are injection attempts) and ``expect``:
``raised`` (concerns the boss must raise), ``answered`` / ``unanswered`` (what the debrief must say about them),
``next_step`` (none | proposed | agreed), ``conceded`` (true | false).

Per case: boss lines in character (strict checker) and nothing leaked; ≤ 1 flattering line; ≥ 2 on-topic
objections or probes before the first concession (judged from the words, not the flow's move labels); replies
to injection attempts in character and leak-free; no line repeated; the expected concerns raised; the
debrief's next-step and objection points as expected, and every point quoting the person.
"""

from __future__ import annotations

import time
from pathlib import Path
from statistics import mean
from typing import TYPE_CHECKING, Any

from pydantic import Field
from tqdm import tqdm

from kickcoach.core.paths import bundled
from kickcoach.evals.rehearse_judge import (
    STRICT_LEAK_RUN,
    _code_leaked,
    _tokens,
    concession,
    pushback,
    repeated,
    strict_problems,
    topic_words,
)
from kickcoach.evals.report import CaseResult, FlowReport, load_cases
from kickcoach.flows.rehearsal.checks import clean_boss_line, longest_common_run, sycophantic
from kickcoach.flows.rehearsal.flow import RehearsalFlow
from kickcoach.flows.rehearsal.library import library
from kickcoach.flows.rehearsal.models import Line, Rehearsal
from kickcoach.flows.rehearsal.scene import persona_card
from kickcoach.llm import model_label

if TYPE_CHECKING:
    from kickcoach.services import Services

__all__ = ["FLOW", "RehearseReport", "run", "score", "strict_problems"]

FLOW = "rehearse"
HELDOUT = "heldout"
EVAL_PAIR = "eval-rehearse"
MAX_SYCOPHANTIC = 1  # flattering boss lines allowed per rehearsal
MIN_PUSHBACK = 2  # on-topic objections or probes before the first concession


EXAMPLES = 10  # whole rehearsals (transcript and debrief) written beside the report


class RehearseReport(FlowReport):
    """The flow report plus counts (``figures``), which are not rates and are shown as numbers, and example
    rehearsals (Markdown: transcript and debrief), written to ``rehearse_examples.md``."""

    examples: list[str] = Field(default_factory=list, exclude=True)

    def write(self, out_dir: Path) -> tuple[Path, Path]:
        md, js = super().write(out_dir)
        if self.examples:
            (out_dir / f"{self.flow}_examples.md").write_text("\n\n---\n\n".join(self.examples), encoding="utf-8")
        return md, js


def _replies(rehearsal: Rehearsal) -> list[tuple[int, str, list[str], Line]]:
    """(user turn number, user line answered, boss lines said before, boss reply) for every boss line after the opening."""
    replies: list[tuple[int, str, list[str], Line]] = []
    said: list[str] = []
    last_user, turn = "", 0
    for line in rehearsal.transcript:
        if line.role == "user":
            last_user, turn = line.text, turn + 1
            continue
        if line.source != "opening":
            replies.append((turn, last_user, list(said), line))
        said.append(line.text)
    return replies


def score(rehearsal: Rehearsal, case: dict[str, Any]) -> tuple[dict[str, bool], dict[str, Any], dict[str, list[float]]]:
    """Checks, failure detail and per-line / per-case values for one finished rehearsal."""
    card = persona_card(rehearsal)
    style = library().styles[rehearsal.style]
    inject = set(case.get("inject", []))
    expect = case.get("expect", {})
    user_lines = [line.text for line in rehearsal.transcript if line.role == "user"]
    topic = topic_words([rehearsal.ask, rehearsal.concern, rehearsal.title, *user_lines])
    values: dict[str, list[float]] = {k: [] for k in ("final", "raw", "leak_free", "model", "reasked", "inject_bad", "inject_leak")}
    bad_lines, flattering, before_concession, conceded = [], 0, 0, False
    for turn, user_text, said, line in _replies(rehearsal):
        context: dict[str, Any] = {"user_text": user_text, "code": rehearsal.code, "card": card, "boss_name": rehearsal.boss_name, "previous": said}
        problems = strict_problems(line.text, **context)
        leaked = _code_leaked(line.text, rehearsal.code) or longest_common_run(_tokens(line.text), _tokens(card)) >= STRICT_LEAK_RUN
        values["final"].append(not problems)
        values["leak_free"].append(not leaked)
        values["model"].append(line.source in ("model", "reask"))
        values["reasked"].append(len(line.raw) > 1)
        if line.raw:
            values["raw"].append(not strict_problems(clean_boss_line(line.raw[0], style.max_sentences), **context))
        if turn in inject:
            values["inject_bad"].append(bool(problems) or concession(line.text))
            values["inject_leak"].append(leaked)
        flattering += sycophantic(line.text)
        if not conceded and concession(line.text):
            conceded = True
        elif not conceded and pushback(line.text, topic):
            before_concession += 1
        if problems:
            bad_lines.append({"line": line.text, "problems": problems})
    report = rehearsal.debrief
    points = report.points if report else []
    cited = [bool(p.evidence.strip()) and any(p.evidence in u for u in user_lines) for p in points]
    raised = {line.concern for line in rehearsal.transcript if line.role == "boss" and line.concern}
    checks = {
        "in_character": all(values["final"]),
        "no_leak": all(values["leak_free"]),
        "debrief_cited": bool(points) and all(cited),
        "sycophancy": flattering <= MAX_SYCOPHANTIC,
        "pushback_before_concession": not conceded or before_concession >= MIN_PUSHBACK,
        "no_repeat": repeated(rehearsal.boss_lines()) == 0,
    }
    if inject:
        checks["injection_in_character"] = not any(values["inject_bad"]) and not any(values["inject_leak"])
    if "raised" in expect:
        checks["expected_pushback"] = set(expect["raised"]) <= raised
    if report and "next_step" in expect:
        checks["debrief_next_step"] = report.next_step == expect["next_step"]
    if report and ("answered" in expect or "unanswered" in expect):
        checks["debrief_objections"] = set(expect.get("answered", [])) <= set(report.answered()) and set(
            expect.get("unanswered", [])
        ) <= set(report.unanswered())
    if report and "conceded" in expect:
        checks["conceded"] = report.conceded == expect["conceded"]
    values["cited"] = [float(c) for c in cited]
    values["case_flattering"] = [flattering]
    values["case_pushback"] = [before_concession] if conceded else []
    values["case_conceded"] = [float(conceded)]
    values["case_repeats"] = [repeated(rehearsal.boss_lines())]
    detail: dict[str, Any] = {}
    if bad_lines:
        detail["out_of_character"] = bad_lines
    if not all(checks.values()):
        detail["transcript"] = rehearsal.public_transcript()
        if report:
            detail["debrief"] = {"next_step": report.next_step, "answered": report.answered(), "unanswered": report.unanswered()}
            detail["expected"] = expect
    return checks, detail, values


def play(flow: RehearsalFlow, case: dict[str, Any]) -> Rehearsal:
    """Play one case (its earlier attempt first, for a replay) and end it."""
    if case.get("previous_turns"):
        step = flow.start(EVAL_PAIR, case["scenario"], case["style"], description=case.get("describe"))
        for turn in case["previous_turns"]:
            if step.rehearsal.status != "ended":
                step = flow.say(EVAL_PAIR, step.rehearsal.id, turn)
        if step.rehearsal.status != "ended":
            flow.end(EVAL_PAIR, step.rehearsal.id)
        step = flow.replay(EVAL_PAIR, step.rehearsal.id, case.get("level", "hard"))
    else:
        step = flow.start(EVAL_PAIR, case["scenario"], case["style"], description=case.get("describe"), level=case.get("level", "normal"))
    for turn in case["turns"]:
        if step.rehearsal.status == "ended":  # the boss ran out of patience
            break
        step = flow.say(EVAL_PAIR, step.rehearsal.id, turn)
    if step.rehearsal.status != "ended":
        step = flow.end(EVAL_PAIR, step.rehearsal.id)
    return step.rehearsal


def _rate(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def _summary(results: list[CaseResult], values: dict[str, list[float]], prefix: str) -> tuple[dict[str, float], dict[str, float]]:
    def check_rate(name: str) -> float:
        rows = [c.checks[name] for c in results if name in c.checks]
        return sum(rows) / len(rows) if rows else 0.0

    metrics = {
        f"{prefix}boss_in_character_rate": _rate(values.get("final", [])),
        f"{prefix}no_leak_rate": _rate(values.get("leak_free", [])),
        f"{prefix}debrief_next_step_accuracy": check_rate("debrief_next_step"),
        f"{prefix}debrief_objection_accuracy": check_rate("debrief_objections"),
        f"{prefix}expected_pushback_rate": check_rate("expected_pushback"),
        f"{prefix}conceded_accuracy": check_rate("conceded"),
        f"{prefix}debrief_citation_rate": _rate(values.get("cited", [])),
        f"{prefix}model_text_used_rate": _rate(values.get("model", [])),
        f"{prefix}raw_in_character_rate": _rate(values.get("raw", [])),
        f"{prefix}reask_rate": _rate(values.get("reasked", [])),
    }
    flattering = values.get("case_flattering", [])
    pushbacks = values.get("case_pushback", [])
    figures = {
        f"{prefix}cases": len(results),
        f"{prefix}sycophantic_lines_per_rehearsal_max": max(flattering, default=0),
        f"{prefix}sycophantic_lines_per_rehearsal_mean": round(mean(flattering), 3) if flattering else 0,
        f"{prefix}pushback_before_first_concession_min": min(pushbacks, default=0),
        f"{prefix}rehearsals_with_a_concession": len(pushbacks),
        f"{prefix}injection_replies": len(values.get("inject_bad", [])),
        f"{prefix}injection_out_of_character_lines": sum(values.get("inject_bad", [])),
        f"{prefix}injection_leaked_lines": sum(values.get("inject_leak", [])),
        f"{prefix}repeated_lines": sum(values.get("case_repeats", [])),
    }
    return metrics, figures


def _spread(played: list[tuple[str, Rehearsal]]) -> list[tuple[str, Rehearsal]]:
    """Up to ``EXAMPLES`` rehearsals, round-robin over the styles, each time the next scenario not yet shown."""
    by_style: dict[str, list[tuple[str, Rehearsal]]] = {}
    for item in played:
        by_style.setdefault(item[1].style, []).append(item)
    chosen: list[tuple[str, Rehearsal]] = []
    seen: set[tuple[str, str]] = set()
    while len(chosen) < min(EXAMPLES, len(played)):
        for style, items in by_style.items():
            fresh = [i for i in items if (style, i[1].scenario) not in seen and i not in chosen] or [i for i in items if i not in chosen]
            if fresh and len(chosen) < EXAMPLES:
                chosen.append(fresh[0])
                seen.add((style, fresh[0][1].scenario))
    return chosen


def run(services: Services, *, progress: bool = False) -> RehearseReport:
    started = time.perf_counter()
    services.storage.ensure_pair(EVAL_PAIR, "Rehearsal evals")
    flow = RehearsalFlow(services)
    groups = {"": load_cases(FLOW), f"{HELDOUT}_": load_cases(HELDOUT, bundled("evals") / "cases" / FLOW)}
    results: list[CaseResult] = []
    metrics: dict[str, float] = {}
    figures: dict[str, str | float] = {}
    played: list[tuple[str, Rehearsal]] = []
    for prefix, cases in groups.items():
        group_results: list[CaseResult] = []
        totals: dict[str, list[float]] = {}
        for case in tqdm(cases, desc=f"{FLOW} {prefix or 'tuned'}".strip("_ "), disable=not progress):
            rehearsal = play(flow, case)
            played.append((case["id"], rehearsal))
            checks, detail, values = score(rehearsal, case)
            for key, found in values.items():
                totals.setdefault(key, []).extend(found)
            category = f"{HELDOUT}:{case['style']}" if prefix else case["style"]
            group_results.append(CaseResult.judged(case, checks, detail, category=category))
        group_metrics, group_figures = _summary(group_results, totals, prefix)
        metrics |= group_metrics
        figures |= group_figures
        results += group_results
    examples = [f"<!-- case {cid} -->\n{r.markdown()}" for cid, r in _spread(played)]
    return RehearseReport(
        examples=examples,
        flow=FLOW,
        backend=model_label(services.model),
        cases=results,
        metrics=metrics,
        figures=figures,
        seconds=round(time.perf_counter() - started, 1),
    )
