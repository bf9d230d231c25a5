"""Scoring goal drafts (issue #20) on a set of vague goals: aggregate figures only, so blind sets can be scored.

Cases: ``id``, ``text`` (the vague goal), ``aim`` (the words, or a phrase, a draft must keep). Per draft:

- ``unchanged``: the draft is the person's sentence again (case, spaces and end punctuation ignored);
- ``ungrammatical``: :func:`kickcoach.text.wellformed.line_problems` finds a problem, the sentence does not open
  with a verb (a goal says what you will do), a blank is not one the flow defines, or two "by" phrases collide;
- ``aim dropped``: an aim word is missing from the draft (same Snowball stem, or one is a prefix of the other:
  "health" is kept in "healthier"), counted over the cases whose own text holds the aim's words; a case whose aim
  is worded otherwise than the goal is counted apart (a draft in the person's words cannot hold it literally);
- ``SMART or blanks``: the draft passes all five criteria, or it has marked blanks, one question per blank (plus
  the needs question when no need is served), and with the blanks filled by their sample values it passes;
- ``questions on a passing draft``: a draft that passes still asks something (should be 0).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from langchain_core.language_models import BaseChatModel
from lemminflect import getAllLemmas
from pydantic import BaseModel

from kickcoach.contracts.smart import check_goal
from kickcoach.evals.report import figure_lines
from kickcoach.flows.smarten import smarten
from kickcoach.flows.smarten.blanks import BLANK, blanks, filled
from kickcoach.text.wellformed import line_problems
from kickcoach.text.words import content_tokens, stem

_BY = re.compile(r"\bby \d{1,2} [A-Z][a-z]+ \d{4}\b")


class SmartFigures(BaseModel):
    cases: int
    unchanged: int
    ungrammatical: int
    aim_dropped: int
    aim_elsewhere: int = 0  # cases whose aim words are not in the person's own text
    aim_elsewhere_missing: int = 0
    smart_or_blanks: int
    with_blanks: int
    questions_on_passing: int

    def lines(self, name: str) -> list[str]:
        return figure_lines(f"{name}: {self.cases} vague goals", {
            "returned unchanged": self.unchanged,
            "ungrammatical drafts": self.ungrammatical,
            "aim dropped": f"{self.aim_dropped} of {self.cases - self.aim_elsewhere} whose text holds the aim"
                           f" (aim worded otherwise than the goal: {self.aim_elsewhere}, of which the draft lacks it: "
                           f"{self.aim_elsewhere_missing})",
            "SMART or SMART-with-blanks": f"{self.smart_or_blanks} / {self.cases}",
            "drafts with marked blanks": self.with_blanks,
            "passing drafts that still ask": self.questions_on_passing,
        }, width=31)


def _norm(text: str) -> str:
    return " ".join(text.lower().strip(" .!?").split())


def grammar_problems(draft: str) -> list[str]:
    """The deterministic grammar check for a goal draft (see the module doc)."""
    problems = line_problems(draft)
    first = re.match(r"[A-Za-z'-]+", draft)
    if not first or not getAllLemmas(first.group(0).lower(), upos="VERB"):
        problems.append("does not open with a verb")
    known = {b.text for b in blanks().values()}
    problems += [f"unknown blank {m.group(0)}" for m in BLANK.finditer(draft) if m.group(0) not in known]
    if len(_BY.findall(draft)) > 1 or re.search(r"\bby [^,.;]*\bby \d{1,2} [A-Z]", draft):
        problems.append("two deadlines")
    return problems


def aim_stems(aim: Any) -> set[str]:
    words = aim if isinstance(aim, list) else str(aim or "").split()
    return {stem(w) for w in content_tokens(" ".join(str(w) for w in words))} or {stem(str(w).lower()) for w in words}


def keeps(draft: str, aim: Any) -> bool:
    """Every aim word is in the draft: same stem, or one starts with the other ("health" / "healthier")."""
    words = [w.lower() for w in re.findall(r"[A-Za-z0-9][A-Za-z0-9'-]*", draft)]
    stems = {stem(w) for w in words}
    return all(a in stems or any(w.startswith(a) or a.startswith(stem(w)) and len(stem(w)) > 3 for w in words)
               for a in aim_stems(aim))


def score(cases: Sequence[dict[str, Any]], model: BaseChatModel | None, *, today: dt.date) -> SmartFigures:
    keys = ("unchanged", "ungrammatical", "aim_dropped", "aim_elsewhere", "aim_elsewhere_missing", "smart_or_blanks",
            "with_blanks", "questions_on_passing")
    counts = dict.fromkeys(keys, 0)
    for case in cases:
        result = smarten(model, case["text"], today=today)
        draft = result.goal
        counts["unchanged"] += _norm(draft) == _norm(case["text"])
        counts["ungrammatical"] += bool(grammar_problems(draft))
        if keeps(case["text"], case.get("aim")):
            counts["aim_dropped"] += not keeps(draft, case.get("aim"))
        else:  # the aim is in other words than the person's: a draft in their words cannot hold it literally
            counts["aim_elsewhere"] += 1
            counts["aim_elsewhere_missing"] += not keeps(draft, case.get("aim"))
        if result.blanks:
            counts["with_blanks"] += 1
            goal = result.to_goal("g")
            verdict = check_goal(goal.model_copy(update={"what": filled(goal.what), "target": filled(goal.target)}), today=today)
            asked = len(result.questions) == len(result.blanks) + (not verdict.criteria["relevant"].ok)
            counts["smart_or_blanks"] += asked and set(verdict.failed) <= {"relevant"}
        else:
            verdict = check_goal(result.to_goal("g"), today=today)
            counts["smart_or_blanks"] += verdict.passed
            counts["questions_on_passing"] += verdict.passed and bool(result.questions)
    return SmartFigures(cases=len(cases), **counts)
