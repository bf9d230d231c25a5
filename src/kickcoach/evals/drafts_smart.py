"""Scoring goal drafts (issue #20) on a set of vague goals: aggregate figures only, so blind sets can be scored.

Cases: ``id``, ``text`` (the vague goal), ``aim`` (the words, or a phrase, a draft must keep). Per draft:

- ``unchanged``: the draft is the person's sentence again (case, spaces and end punctuation ignored);
- ``ungrammatical``: :func:`kickcoach.text.wellformed.line_problems` finds a problem, the sentence does not open
  with a verb (a goal says what you will do), a blank is not one the flow defines, or two deadlines are given;
- ``aim dropped``: a stem of the aim is missing from the draft (Snowball stems, as the flows compare words);
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
    smart_or_blanks: int
    with_blanks: int
    questions_on_passing: int

    def lines(self, name: str) -> list[str]:
        return [
            f"{name}: {self.cases} vague goals",
            f"  returned unchanged:            {self.unchanged}",
            f"  ungrammatical drafts:          {self.ungrammatical}",
            f"  aim dropped:                   {self.aim_dropped}",
            f"  SMART or SMART-with-blanks:    {self.smart_or_blanks} / {self.cases}",
            f"  drafts with marked blanks:     {self.with_blanks}",
            f"  passing drafts that still ask: {self.questions_on_passing}",
        ]


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
    if len(_BY.findall(draft)) > 1:
        problems.append("two deadlines")
    return problems


def aim_stems(aim: Any) -> set[str]:
    words = aim if isinstance(aim, list) else str(aim or "").split()
    return {stem(w) for w in content_tokens(" ".join(str(w) for w in words))} or {stem(str(w).lower()) for w in words}


def score(cases: Sequence[dict[str, Any]], model: BaseChatModel | None, *, today: dt.date) -> SmartFigures:
    counts = dict.fromkeys(("unchanged", "ungrammatical", "aim_dropped", "smart_or_blanks", "with_blanks", "passing_asks"), 0)
    for case in cases:
        result = smarten(model, case["text"], today=today)
        draft = result.goal
        counts["unchanged"] += _norm(draft) == _norm(case["text"])
        counts["ungrammatical"] += bool(grammar_problems(draft))
        kept = {stem(w) for w in content_tokens(draft)}
        counts["aim_dropped"] += not aim_stems(case.get("aim")) <= kept
        if result.blanks:
            counts["with_blanks"] += 1
            verdict = check_goal(filled(draft), today=today)
            asked = len(result.questions) == len(result.blanks) + (not verdict.criteria["relevant"].ok)
            counts["smart_or_blanks"] += asked and set(verdict.failed) <= {"relevant"}
        else:
            verdict = check_goal(result.to_goal("g"), today=today)
            counts["smart_or_blanks"] += verdict.passed
            counts["passing_asks"] += verdict.passed and bool(result.questions)
    return SmartFigures(
        cases=len(cases),
        unchanged=counts["unchanged"],
        ungrammatical=counts["ungrammatical"],
        aim_dropped=counts["aim_dropped"],
        smart_or_blanks=counts["smart_or_blanks"],
        with_blanks=counts["with_blanks"],
        questions_on_passing=counts["passing_asks"],
    )
