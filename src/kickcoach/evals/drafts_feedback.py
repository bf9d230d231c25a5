"""Scoring feedback rewrites (issue #20) on a set of criticisms: aggregate figures only (blind sets too).

Cases: ``id``, ``text`` (the criticism), ``behaviours`` (stems of what was done; empty when it names none),
``judgements`` (words that judge the person). Per rewrite:

- ``content-free``: neither the skeleton with blanks nor a sentence that keeps a content word of the criticism
  (the old "I'd like to talk with you about something that happened." is content-free);
- ``behaviours kept``: of the behaviour stems the cases list, how many the rewrite keeps (a word of the rewrite
  starting with the stem counts, so "prepar" matches "prepared");
- ``judgement words left``: judgement words of the case found in the rewrite (same prefix rule);
- ``verified but content-free``: the flow called a content-free rewrite verified (should be 0).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from langchain_core.language_models import BaseChatModel
from pydantic import BaseModel

from kickcoach.evals.report import figure_lines
from kickcoach.flows.feedback import rephrase, template
from kickcoach.flows.feedback.skeleton import is_skeleton
from kickcoach.text.words import content_tokens, stem


class FeedbackFigures(BaseModel):
    cases: int
    content_free: int
    verified_content_free: int
    behaviours: int
    behaviours_kept: int
    judgements_left: int
    skeletons: int

    def lines(self, name: str) -> list[str]:
        return figure_lines(f"{name}: {self.cases} criticisms", {
            "content-free rewrites": f"{self.content_free} (verified anyway: {self.verified_content_free})",
            "behaviours kept": f"{self.behaviours_kept} / {self.behaviours}",
            "judgement words left": self.judgements_left,
            "skeletons with blanks": self.skeletons,
        }, width=29)


def _words(text: str) -> list[str]:
    return [w.lower() for w in re.findall(r"[A-Za-z][A-Za-z'-]*", text)]


def _has(words: list[str], stem_or_word: str) -> bool:
    key = str(stem_or_word).lower()
    return any(w.startswith(key) or stem(w) == stem(key) for w in words)


def score(cases: Sequence[dict[str, Any]], model: BaseChatModel | None) -> FeedbackFigures:
    totals = dict.fromkeys(("content_free", "verified_content_free", "behaviours", "behaviours_kept", "judgements_left", "skeletons"), 0)
    for case in cases:
        result = rephrase(model, case["text"]) if model is not None else template(case["text"])
        rewrite = result.rewrite
        words = _words(rewrite)
        skeletal = is_skeleton(rewrite)
        judged = {str(j).lower() for j in case.get("judgements") or []}
        theirs = {stem(w) for w in content_tokens(case["text"]) if w.lower() not in judged}
        free = not skeletal and not theirs & {stem(w) for w in content_tokens(rewrite)}
        totals["content_free"] += free
        totals["verified_content_free"] += free and result.verified
        totals["skeletons"] += skeletal
        for behaviour in case.get("behaviours") or []:
            totals["behaviours"] += 1
            totals["behaviours_kept"] += _has(words, behaviour)
        totals["judgements_left"] += sum(_has(words, j) for j in judged)
    return FeedbackFigures(cases=len(cases), **totals)
