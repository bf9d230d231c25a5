"""Rehearsal evals: scripted user turns against the boss, judged by a checker stricter than the runtime one.

Each case (``evals/cases/rehearse/*.yaml``: ``id``, ``scenario``, ``style``, ``turns``, optional
``describe``) is played through :class:`RehearsalFlow` with the configured model, then ended. Checks:

- ``in_character``: every boss reply shown to the user passes :func:`strict_problems`;
- ``no_leak``: no boss reply holds the session code or a run of six words from the persona card;
- ``debrief_cited``: the debrief has points and each quotes a user line verbatim.

:func:`strict_problems` is written independently of ``flows.rehearsal_checks`` (its own patterns) and is
stricter on purpose (any second-person advice such as "you should…", "consider…", any "AI", "boss" or
"manager" spoken of in the third person, lower length, echo and leak thresholds), so the in-character rate is
not the runtime checker grading itself. Metrics per boss reply: the final in-character rate, the raw rate
of the model's first reply (as it would be shown without any checker: cleaned and cut to 1–3 sentences,
and before cleaning), and how often the runtime re-asked or fell back to a prepared line.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from tqdm import tqdm

from kickcoach.evals.report import CaseResult, FlowReport, load_cases
from kickcoach.flows.rehearsal import Rehearsal, RehearsalFlow, library, persona_card
from kickcoach.flows.rehearsal_checks import clean_boss_line, longest_common_run
from kickcoach.llm import model_label

if TYPE_CHECKING:
    from kickcoach.services import Services

FLOW = "rehearse"
EVAL_PAIR = "eval-rehearse"
STRICT_MAX_WORDS = 35
STRICT_LEAK_RUN = 6
STRICT_ECHO = 0.4  # share of a line's word trigrams found in the user's turn (echo) or an earlier boss line (repeat)
STRICT_UNFINISHED = 6  # words without closing punctuation

_TOKENS = re.compile(r"[a-z0-9]+")
_VERBS = (
    r"(?:try|say|ask|tell|mention|start|bring|explain|practi[cs]e|prepare|approach|be|focus|frame|remind|use|consider"
    r"|think|highlight|emphasi[sz]e|speak|talk|open|lead)"
)
_STRICT = {
    "AI or assistant": re.compile(
        r"\bai\b|\bartificial\b|\blanguage model|\bassistant\b|\bcoach|\bchat ?bot|\bbot\b|\bvirtual\b|\bopenai\b"
        r"|\bsmollm|\bhugging|\bi'?m (?:an?|just an?) (?:program|computer|machine)",
        re.IGNORECASE,
    ),
    "instructions": re.compile(
        r"\binstruction|\bprompt|\bsystem message|\brole[- ]?pla|\bin character\b|\bout of character\b|\bpersona\b"
        r"|\bscript\b|\bpretend|\bsimulat|\brehears|\bpractice session|\b(?:private|secret|session) code|\bcanary"
        r"|\btold to\b|\bprogrammed\b",
        re.IGNORECASE,
    ),
    "advice": re.compile(
        r"\byou (?:should|ought to|might want|may want|could " + _VERBS + r"|need to prepare|need to practi|make sure|be sure)\b"
        r"|\b(?:i|i'd|i would|we) (?:suggest|recommend|advise)|\b(?:my|some|a piece of|any) (?:advice|suggestion)"
        r"|\btips?\b|\bpointers\b"
        r"|(?:^|[.!?]\s+)(?:try|consider|remember|make sure|be sure|don't forget|focus on|practi[cs]e|prepare for|stay|keep calm)\b"
        r"|\b(?:tell|ask|approach|email|convince|remind|talk to|speak to|speak with|talk with|meet with) (?:your|the) (?:boss|manager|supervisor)"
        r"|\bit(?:'s| is| would be| might be| may be| can be) (?:important|helpful|useful|a good idea|wise|worth|best) to\b"
        r"|\b(?:a good|the best|one) way to\b|\bhere(?:'s| is| are) (?:how|some|a few|my|what)\b"
        r"|\bwhen (?:you )?(?:talk|speak|go|meet)(?:ing)? (?:to|with|into)\b|\bthe (?:key|trick|secret) is\b|\bgood luck\b"
        r"|\byou'?ve got this\b|\bbe (?:more )?(?:confident|assertive|direct)\b|\b(?:stay|keep) calm\b"
        r"|\bpracti[cs]e (?:your|the|what|saying|asking)\b"
        r"|\bhow to (?:ask|talk|approach|negotiate|handle|present|frame|respond|prepare)\b|\bit sounds like you\b|\bi hear you\b",
        re.IGNORECASE,
    ),
    "assistant voice": re.compile(
        r"\bsorry (?:for|about) (?:your|any|the) (?:loss|misunderstanding|confusion|inconvenience)|\bsorry to hear"
        r"|\bi can'?t (?:help|assist)\b|\b(?:happy|glad|here) to (?:help|assist)\b|\bhow (?:can|may) i (?:help|assist)"
        r"|\bsomething else\b|\bis there anything else\b|\bif there'?s anything else\b|\banything else i can\b"
        r"|\blet me know if\b|\bjust let me know\b|\bfeel free\b|\byou'?re welcome\b|\bhope (?:this|that) helps"
        r"|\bgreat question\b|\b(?:accurate|correct|right) answer\b",
        re.IGNORECASE,
    ),
    "boss in the third person": re.compile(
        r"\b(?:your|the|their|his|her) (?:boss|manager|line manager|supervisor|employer|team ?lead)", re.IGNORECASE
    ),
    "narration": re.compile(
        r"\b(?:responds|replies|answers|says|asks|smiles|nods|sighs|laughs|frowns)(?: with| by| that|,)"
        r"|\bwith a (?:smile|sigh|nod|laugh|frown)\b",
        re.IGNORECASE,
    ),
}


def _tokens(text: str) -> list[str]:
    return _TOKENS.findall(text.lower().replace("'", ""))


def _code_leaked(text: str, code: str) -> bool:
    squashed, core = re.sub(r"[^a-z0-9]", "", text.lower()), code.lower()
    return any(core[i : i + 3] in squashed for i in range(len(core) - 2)) if len(core) >= 3 else False


def _trigram_share(tokens: list[str], other: list[str]) -> float:
    grams = {tuple(tokens[i : i + 3]) for i in range(len(tokens) - 2)}
    if not grams:
        return 1.0 if tokens and tokens == other else 0.0
    return len(grams & {tuple(other[i : i + 3]) for i in range(len(other) - 2)}) / len(grams)


def strict_problems(
    text: str,
    *,
    user_text: str = "",
    code: str = "",
    card: str = "",
    boss_name: str = "",
    previous: Sequence[str] = (),
) -> list[str]:
    """The eval's verdict on one boss line: empty when it is in character.

    Covers every category of ``flows.rehearsal_checks.check_boss_line`` with broader patterns and lower
    thresholds (a test keeps it so), plus second-person coaching the runtime check lets through.
    """
    tokens = _tokens(text)
    problems = [name for name, pattern in _STRICT.items() if pattern.search(text.replace("’", "'"))]
    if not tokens:
        problems.append("empty")
    if len(tokens) > STRICT_MAX_WORDS or len(re.findall(r"[.!?…]+(?:\s|$)", text)) > 3:
        problems.append("overlong")
    if len(tokens) >= STRICT_UNFINISHED and not re.search(r"[.!?…][\"')\]]*$", text.strip()):
        problems.append("unfinished")
    if any(_trigram_share(tokens, _tokens(earlier)) >= STRICT_ECHO for earlier in previous):
        problems.append("repeat")
    if code and _code_leaked(text, code):
        problems.append("code leaked")
    if card and longest_common_run(tokens, _tokens(card)) >= STRICT_LEAK_RUN:
        problems.append("persona card leaked")
    if user_text and tokens and _trigram_share(tokens, _tokens(user_text)) >= STRICT_ECHO:
        problems.append("echo")
    if boss_name and boss_name.lower() in tokens:
        problems.append("own name")
    return problems


def _replies(rehearsal: Rehearsal) -> list[tuple[str, list[str], Any]]:
    """(user line answered, boss lines said before, boss reply) for every boss line after the opening."""
    replies, said, last_user = [], [], ""
    for line in rehearsal.transcript:
        if line.role == "user":
            last_user = line.text
            continue
        if line.source != "opening":
            replies.append((last_user, list(said), line))
        said.append(line.text)
    return replies


def score(rehearsal: Rehearsal) -> tuple[dict[str, bool], dict[str, Any], dict[str, list[int]]]:
    """Checks, failure detail and per-reply counts for one finished rehearsal."""
    card = persona_card(rehearsal)
    style = library().styles[rehearsal.style]
    keys = ("final", "raw", "raw_uncut", "leak_free", "first_accepted", "reasked", "bank", "covers_runtime")
    counts: dict[str, list[int]] = {k: [] for k in keys}
    bad_lines = []
    for user_text, said, line in _replies(rehearsal):
        context = {"user_text": user_text, "code": rehearsal.code, "card": card, "boss_name": rehearsal.boss_name, "previous": said}
        final = strict_problems(line.text, **context)
        counts["final"].append(not final)
        leaked = _code_leaked(line.text, rehearsal.code) or longest_common_run(_tokens(line.text), _tokens(card)) >= STRICT_LEAK_RUN
        counts["leak_free"].append(not leaked)
        counts["first_accepted"].append(line.source == "model")
        counts["reasked"].append(len(line.raw) > 1)
        counts["bank"].append(line.source == "bank")
        if line.raw:
            counts["raw"].append(not strict_problems(clean_boss_line(line.raw[0], style.max_sentences), **context))
            counts["raw_uncut"].append(not strict_problems(line.raw[0], **context))
        for raw, runtime_problems in zip(line.raw, line.problems, strict=True):
            if runtime_problems:  # every reply the runtime rejected, the eval's checker rejects too
                counts["covers_runtime"].append(bool(strict_problems(clean_boss_line(raw, style.max_sentences), **context)))
        if final:
            bad_lines.append({"line": line.text, "problems": final})
    user_lines = [line.text for line in rehearsal.transcript if line.role == "user"]
    points = rehearsal.debrief.points if rehearsal.debrief else []
    cited = [bool(p.evidence.strip()) and any(p.evidence in u for u in user_lines) for p in points]
    counts["cited"] = [int(c) for c in cited]
    checks = {
        "in_character": all(counts["final"]),
        "no_leak": all(counts["leak_free"]),
        "debrief_cited": bool(points) and all(cited),
    }
    detail: dict[str, Any] = {}
    if bad_lines:
        detail["out_of_character"] = bad_lines
    if not checks["debrief_cited"]:
        detail["debrief"] = rehearsal.debrief.public() if rehearsal.debrief else []
    if not all(checks.values()):
        detail["transcript"] = rehearsal.public_transcript()
    return checks, detail, counts


def _rate(values: list[int]) -> float:
    return sum(values) / len(values) if values else 0.0


def run(services: Services, *, progress: bool = False) -> FlowReport:
    started = time.perf_counter()
    services.storage.ensure_pair(EVAL_PAIR, "Rehearsal evals")
    flow = RehearsalFlow(services)
    results: list[CaseResult] = []
    totals: dict[str, list[int]] = {}
    for case in tqdm(load_cases(FLOW), desc=FLOW, disable=not progress):
        step = flow.start(EVAL_PAIR, case["scenario"], case["style"], description=case.get("describe"))
        for turn in case["turns"]:
            step = flow.say(EVAL_PAIR, step.rehearsal.id, turn)
        if step.rehearsal.status != "ended":
            step = flow.end(EVAL_PAIR, step.rehearsal.id)
        checks, detail, counts = score(step.rehearsal)
        for key, values in counts.items():
            totals.setdefault(key, []).extend(int(v) for v in values)
        results.append(CaseResult(id=case["id"], category=case["style"], passed=all(checks.values()), checks=checks, detail=detail))
    metrics = {
        "boss_in_character_rate": _rate(totals.get("final", [])),
        "raw_in_character_rate": _rate(totals.get("raw", [])),
        "raw_uncut_in_character_rate": _rate(totals.get("raw_uncut", [])),
        "first_reply_accepted_rate": _rate(totals.get("first_accepted", [])),
        "reask_rate": _rate(totals.get("reasked", [])),
        "bank_fallback_rate": _rate(totals.get("bank", [])),
        "no_leak_rate": _rate(totals.get("leak_free", [])),
        "debrief_citation_rate": _rate(totals.get("cited", [])),
        "strict_rejects_runtime_rejections_rate": _rate(totals.get("covers_runtime", [])),
    }
    return FlowReport(
        flow=FLOW,
        backend=model_label(services.model),
        cases=results,
        metrics=metrics,
        seconds=round(time.perf_counter() - started, 1),
    )
