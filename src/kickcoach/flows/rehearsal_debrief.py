"""The rehearsal debrief: behaviour-focused points computed from the transcript, never from a model.

Four behaviours are looked for in the user's own turns (the guidance in knowledge/rehearsing-with-your-boss.md):

- **ask**: a clear ask ("I'd like…", "I'm asking for…", "could I…") in the first two turns;
- **specifics**: numbers, dates or concrete examples backing the case;
- **objections**: after each question or objection from the boss, the user's next turn addresses it
  (it shares a content word with it, or answers a why/evidence question with a reason or a figure, or a
  yes/no question with yes or no);
- **next_step**: a next step agreed ("follow up", "next week", "let's meet", "by Friday").

Each point quotes, verbatim, the user's sentence that shows it; a behaviour that was not seen says so and
quotes the user line closest to it. What went well comes first. Suggestions are not part of the debrief:
they are given only when the user asks afterwards (see ``flows.rehearsal``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel, Field

from kickcoach.flows.rehearsal_checks import ASK, NEXT_STEP, NUMBER, sentences, words

Behaviour = Literal["ask", "specifics", "objections", "next_step"]

EARLY_TURNS = 2
SPECIFIC = re.compile(
    r"\d|%|[£$€]|\bper ?cent\b|\b(?:two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|thirty|forty|fifty"
    r"|hundred|thousand|half|double|twice|a third|two-thirds)\b|\b(?:january|february|march|april|may|june|july|august"
    r"|september|october|november|december|monday|tuesday|wednesday|thursday|friday)\b|\bq[1-4]\b"
    r"|\bfor (?:example|instance)\b|\be\.g\.|\bsuch as\b|\b(?:last|this|next) (?:week|month|quarter|year|sprint)\b",
    re.I,
)
OBJECTION = re.compile(
    r"\b(?:but|however|not sure|can't|cannot|won't|don't think|budget|tight|stretched|unfair|not convinced|doubt"
    r"|evidence|depend|difficult|problem|already|complaint|really|firm|slip|why)\b",
    re.I,
)
WHY = re.compile(r"\b(?:why|based on|evidence|come from|how do you know|what makes|down to you|how did you)\b", re.I)
YES_NO_QUESTION = re.compile(r"^(?:is|are|do|does|did|can|could|will|would|have|has|was|were)\b", re.I)
REASON = re.compile(r"\b(?:because|since|as a result|based on|the reason|due to|that's why|which is why|so that)\b", re.I)
ANSWER_OPENING = re.compile(r"^\W*(?:yes|yeah|yep|no|not|sure|absolutely|definitely|i do|i did|i can|i have|i am|i'm|it is|it was)\b", re.I)
STOPWORDS = frozenset(
    "a an the and or but if so to of in on at for with from by about as is are was were be been being do does did "
    "have has had i you we they he she it me my your our their this that these those what which who whom why how "
    "when where there here not no yes can could will would should may might must just really very more most much "
    "some any all than then too also okay ok well right now know think want need like get got make go going "
    "it's i'm you're that's what's don't can't i've i'd i'll we'll we're let's".split()
)


class DebriefPoint(BaseModel):
    """One observation: ``point`` says what was (or was not) seen, ``evidence`` quotes the user verbatim."""

    behaviour: Behaviour
    went_well: bool
    point: str
    evidence: str


class Debrief(BaseModel):
    rehearsal_id: str | None = None
    scenario: str = ""
    style: str = ""
    points: list[DebriefPoint] = Field(default_factory=list)
    created_at: datetime = Field(default_factory=lambda: datetime.now(UTC))

    @property
    def went_well(self) -> list[DebriefPoint]:
        return [p for p in self.points if p.went_well]

    @property
    def not_seen(self) -> list[DebriefPoint]:
        return [p for p in self.points if not p.went_well]

    def public(self) -> list[dict[str, str]]:
        """The points as ``{"point", "evidence"}`` (the CLI's JSON and the eval read this)."""
        return [{"point": p.point, "evidence": p.evidence} for p in self.points]

    def markdown(self) -> str:
        if not self.points:
            return "_Nothing to debrief yet: the rehearsal ended before you said anything._"
        lines: list[str] = []
        for title, group in (("What went well", self.went_well), ("Not seen this time", self.not_seen)):
            if group:
                lines += [f"**{title}**", ""]
                lines += [f"- {p.point}\n  > “{p.evidence}”" for p in group]
                lines.append("")
        return "\n".join(lines).strip()


class Exchange(BaseModel):
    """One line of the scene, as the debrief sees it."""

    role: Literal["boss", "user"]
    text: str


def _content(text: str) -> set[str]:
    """Content words, cut to five letters so "budget"/"budgets" and "deliver"/"delivery" meet."""
    return {w[:5] for w in words(text) if w not in STOPWORDS and len(w) > 2}


def _sentence_with(line: str, pattern: re.Pattern[str]) -> str | None:
    for sentence in sentences(line):
        if pattern.search(sentence):
            return sentence
    return None


def _first_match(user_lines: Sequence[str], pattern: re.Pattern[str]) -> tuple[int, str] | None:
    for index, line in enumerate(user_lines):
        sentence = _sentence_with(line, pattern)
        if sentence:
            return index, sentence
    return None


def _ask_point(user_lines: Sequence[str]) -> DebriefPoint:
    found = _first_match(user_lines, ASK)
    if found is None:
        return DebriefPoint(
            behaviour="ask",
            went_well=False,
            point="A clear ask (such as “I'd like…” or “I'm asking for…”) was not heard; this was the nearest line.",
            evidence=user_lines[0],
        )
    index, sentence = found
    if index < EARLY_TURNS:
        where = "in your first turn" if index == 0 else "in your second turn"
        return DebriefPoint(behaviour="ask", went_well=True, point=f"You stated your ask early, {where}.", evidence=sentence)
    return DebriefPoint(
        behaviour="ask",
        went_well=False,
        point=f"Your first two turns held no clear ask; it came in turn {index + 1}.",
        evidence=sentence,
    )


def _specifics_point(user_lines: Sequence[str]) -> DebriefPoint:
    best: tuple[int, str] | None = None
    for line in user_lines:
        for sentence in sentences(line):
            score = len(SPECIFIC.findall(sentence))
            if score and (best is None or score > best[0]):
                best = (score, sentence)
    if best is not None:
        return DebriefPoint(
            behaviour="specifics",
            went_well=True,
            point="You backed your case with specifics (numbers, dates or examples).",
            evidence=best[1],
        )
    nearest = next((s for line in user_lines for s in sentences(line) if REASON.search(s)), None)
    return DebriefPoint(
        behaviour="specifics",
        went_well=False,
        point="No numbers, dates or concrete examples were heard backing your case; this was the nearest line.",
        evidence=nearest or max(user_lines, key=len),
    )


def answers(boss_line: str, reply: str) -> bool:
    """Does ``reply`` address the boss's question or objection (deterministic, generous to the user)?"""
    if _content(boss_line) & _content(reply):
        return True
    if WHY.search(boss_line) and (REASON.search(reply) or NUMBER.search(reply)):
        return True
    question = next((s for s in sentences(boss_line) if s.endswith("?")), "")
    return bool(question and YES_NO_QUESTION.search(question) and ANSWER_OPENING.search(reply))


def _objection_points(scene: Sequence[Exchange]) -> list[DebriefPoint]:
    """One point for the objections answered, one for the first left unanswered (each when it happened)."""
    answered: list[str] = []
    missed: list[tuple[str, str]] = []
    boss_seen = 0
    for index, line in enumerate(scene):
        if line.role != "boss":
            continue
        boss_seen += 1
        reply = next((x.text for x in scene[index + 1 :] if x.role == "user"), None)
        # The boss's first line only opens the meeting; a line the user never got to answer is not held against them.
        if boss_seen == 1 or reply is None or not ("?" in line.text or OBJECTION.search(line.text)):
            continue
        if answers(line.text, reply):
            answered.append(reply)
        else:
            missed.append((line.text, reply))
    points: list[DebriefPoint] = []
    total = len(answered) + len(missed)
    if answered:
        points.append(
            DebriefPoint(
                behaviour="objections",
                went_well=True,
                point=f"You answered the boss's questions and pushback ({len(answered)} of {total}).",
                evidence=answered[0],
            )
        )
    if missed:
        boss_text, reply = missed[0]
        how_many = "" if len(missed) == 1 else f" ({len(missed)} of {total} went unanswered; this was the first)"
        points.append(
            DebriefPoint(
                behaviour="objections",
                went_well=False,
                point=f"The boss's “{boss_text}” was not answered in your next turn{how_many}.",
                evidence=reply,
            )
        )
    return points


def _next_step_point(user_lines: Sequence[str]) -> DebriefPoint:
    found = _first_match(user_lines, NEXT_STEP)
    if found is not None:
        return DebriefPoint(behaviour="next_step", went_well=True, point="You agreed a next step.", evidence=found[1])
    return DebriefPoint(
        behaviour="next_step",
        went_well=False,
        point="No next step (a follow-up, a date, something to send) was agreed before the end; this was your last line.",
        evidence=user_lines[-1],
    )


def debrief(scene: Sequence[Exchange], *, rehearsal_id: str | None = None, scenario: str = "", style: str = "") -> Debrief:
    """The debrief of a scene: what went well first, then what was not seen. No user lines → no points."""
    user_lines = [x.text for x in scene if x.role == "user" and x.text.strip()]
    points: list[DebriefPoint] = []
    if user_lines:
        points = [_ask_point(user_lines), _specifics_point(user_lines), *_objection_points(scene), _next_step_point(user_lines)]
        points.sort(key=lambda p: not p.went_well)  # stable: within each group the behaviours keep their order
    return Debrief(rehearsal_id=rehearsal_id, scenario=scenario, style=style, points=points)
