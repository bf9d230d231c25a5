"""The rehearsal debrief: computed from the whole transcript (the state of the talk), never from a model.

It reads when the ask came, the evidence given, each concern the boss raised and whether and how the person
answered it (or covered it before it came up), whether a next step was proposed (a question that proposes one
counts) and agreed, how the talk ended, and — for a replay — how this attempt compares with the previous one
("this time you made the ask in turn 1, last time in turn 3"). Every point quotes the person's own words
verbatim; what went well comes first. Suggestions are not part of the debrief: they come only when asked
(``flows.rehearsal.flow``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel, Field

from kickcoach.core.banks import bank_beside
from kickcoach.flows.rehearsal.state import LineLike, TalkState, read_talk

# "specifics" is how debriefs saved before the state reader called "evidence"; kept so old records still load.
Behaviour = Literal["ask", "evidence", "objections", "next_step", "outcome", "progress", "specifics"]
NextStep = Literal["none", "proposed", "agreed"]
EARLY_TURNS = 2  # an ask in the first two turns counts as made early


def _line(key: str, **slots: object) -> str:
    """A debrief line from the rehearsal's bank (``lines.yaml``, group ``debrief``)."""
    return bank_beside(__file__).line("debrief", key, **slots)


class DebriefPoint(BaseModel):
    """One observation: ``point`` says what was (or was not) seen, ``evidence`` quotes the person verbatim."""

    behaviour: Behaviour
    went_well: bool
    point: str
    evidence: str
    concern: str | None = None


class ConcernOutcome(BaseModel):
    key: str
    topic: str
    raised: bool
    answered: bool
    before_raised: bool = False
    how: str = ""
    answered_turn: int | None = None


class Debrief(BaseModel):
    rehearsal_id: str | None = None
    scenario: str = ""
    style: str = ""
    level: str = "normal"
    attempt: int = 1
    points: list[DebriefPoint] = Field(default_factory=list)
    turns: int = 0
    ask_turn: int | None = None
    evidence_turn: int | None = None
    concerns: list[ConcernOutcome] = Field(default_factory=list)
    next_step: NextStep = "none"
    conceded: bool = False
    ended_by_boss: bool = False
    created_at: datetime = Field(default_factory=lambda: datetime.now(UTC))

    @property
    def went_well(self) -> list[DebriefPoint]:
        return [p for p in self.points if p.went_well]

    @property
    def not_seen(self) -> list[DebriefPoint]:
        return [p for p in self.points if not p.went_well]

    def answered(self) -> list[str]:
        return [c.key for c in self.concerns if c.answered]

    def unanswered(self) -> list[str]:
        return [c.key for c in self.concerns if c.raised and not c.answered]

    def public(self) -> list[dict[str, str]]:
        """The points as ``{"point", "evidence"}`` (the CLI's JSON and the eval read this)."""
        return [{"point": p.point, "evidence": p.evidence} for p in self.points]

    def markdown(self) -> str:
        if not self.points:
            return _line("nothing_yet")
        lines: list[str] = []
        if self.level != "normal" or self.attempt > 1:
            lines += [_line("level", level=self.level, attempt=self.attempt), ""]
        for title, group in ((_line("went_well_title"), self.went_well), (_line("not_seen_title"), self.not_seen)):
            if group:
                lines += [f"**{title}**", ""]
                lines += [f"- {p.point}\n  > “{p.evidence}”" for p in group]
                lines.append("")
        return "\n".join(lines).strip()


class Exchange(BaseModel):
    """One line of the scene, as the debrief sees it (``move``/``concern``: the boss's recorded move, if any)."""

    role: Literal["boss", "user"]
    text: str
    move: str | None = None
    concern: str | None = None


def _ordinal(turn: int) -> str:
    return _line("turn", turn=turn)


def _ask_point(state: TalkState, user_lines: Sequence[str]) -> DebriefPoint:
    if state.ask_turn is None:
        return DebriefPoint(
            behaviour="ask", went_well=False, evidence=user_lines[0],
            point=_line("no_ask"),
        )
    if state.ask_turn <= EARLY_TURNS:
        return DebriefPoint(behaviour="ask", went_well=True, evidence=state.ask_line, point=_line("ask_early", turn=_ordinal(state.ask_turn)))
    return DebriefPoint(
        behaviour="ask", went_well=False, evidence=state.ask_line,
        point=_line("ask_late", turn=_ordinal(state.ask_turn)),
    )


def _evidence_point(state: TalkState, user_lines: Sequence[str]) -> DebriefPoint:
    if state.evidence_turn is not None:
        return DebriefPoint(
            behaviour="evidence", went_well=True, evidence=state.evidence_line,
            point=_line("evidence", how=state.evidence_how, turn=_ordinal(state.evidence_turn)),
        )
    return DebriefPoint(
        behaviour="evidence", went_well=False, evidence=max(user_lines, key=len),
        point=_line("no_evidence"),
    )


def _concern_points(state: TalkState, boss: str, last_line: str) -> list[DebriefPoint]:
    points = []
    for key in state.agenda:
        c = state.concerns[key]
        if c.answered and not c.before_raised:
            points.append(DebriefPoint(
                behaviour="objections", went_well=True, evidence=c.answer, concern=key,
                point=_line("concern_answered", boss=boss, topic=c.topic, raised=c.raised_line,
                            turn=_ordinal(c.answered_turn or 0), how=c.how),
            ))
        elif c.answered:
            points.append(DebriefPoint(
                behaviour="objections", went_well=True, evidence=c.answer, concern=key,
                point=_line("concern_covered", topic=c.topic, boss=boss, how=c.how),
            ))
        elif c.raised_turn is not None:
            where = _line("concern_open_next") if c.next_reply else _line("concern_open_end")
            points.append(DebriefPoint(
                behaviour="objections", went_well=False, evidence=c.next_reply or last_line, concern=key,
                point=_line("concern_open", boss=boss, topic=c.topic, raised=c.raised_line, where=where),
            ))
    return points


def _next_step_point(state: TalkState, boss: str, last_line: str) -> DebriefPoint:
    status = state.next_step_status()
    if status == "agreed":
        return DebriefPoint(
            behaviour="next_step", went_well=True, evidence=state.next_step_line,
            point=_line("next_agreed", turn=_ordinal(state.next_step_turn or 0), boss=boss),
        )
    if status == "proposed":
        open_topics = [state.concerns[k].topic for k in state.raised if not state.concerns[k].answered]
        why = _line("still_open", topics=_line("and").join(open_topics)) if open_topics else ""
        return DebriefPoint(
            behaviour="next_step", went_well=True, evidence=state.next_step_line,
            point=_line("next_proposed", turn=_ordinal(state.next_step_turn or 0), boss=boss, why=why),
        )
    return DebriefPoint(
        behaviour="next_step", went_well=False, evidence=last_line,
        point=_line("no_next"),
    )


def _outcome_point(state: TalkState, boss: str, user_lines: Sequence[str]) -> DebriefPoint:
    if state.conceded_turn is not None:
        turn = min(state.conceded_turn, len(user_lines))
        return DebriefPoint(
            behaviour="outcome", went_well=True, evidence=user_lines[turn - 1],
            point=_line("conceded", boss=boss, turn=_ordinal(turn), pushback=state.pushback),
        )
    if state.ended_by_boss:
        return DebriefPoint(
            behaviour="outcome", went_well=False, evidence=user_lines[-1],
            point=_line("ended", boss=boss, patience=state.patience),
        )
    return DebriefPoint(
        behaviour="outcome", went_well=False, evidence=user_lines[-1],
        point=_line("not_yet", boss=boss, answered=len(state.answered), required=state.required),
    )


def _score(ask_turn: int | None, answered: int, next_step: str) -> tuple[int, int, int]:
    return (0 if ask_turn is None else 100 - ask_turn, answered, ["none", "proposed", "agreed"].index(next_step))


def _progress_point(report: Debrief, previous: Debrief, evidence: str) -> DebriefPoint:
    def ask(turn: int | None) -> str:
        return _line("ask_in", turn=turn) if turn is not None else _line("ask_never")

    parts = [
        _line("progress_ask", now=ask(report.ask_turn), before=ask(previous.ask_turn)),
        _line("progress_answered", now=len(report.answered()), before=len(previous.answered())),
        _line("progress_next", now=report.next_step, before=previous.next_step),
    ]
    now = _score(report.ask_turn, len(report.answered()), report.next_step)
    before = _score(previous.ask_turn, len(previous.answered()), previous.next_step)
    better = sum(a > b for a, b in zip(now, before, strict=True))
    worse = sum(a < b for a, b in zip(now, before, strict=True))
    text = _line("progress", attempt=previous.attempt, level=previous.level, parts="; ".join(parts))
    return DebriefPoint(behaviour="progress", went_well=better >= worse, point=text, evidence=evidence)


def debrief(
    scene: Sequence[LineLike],
    *,
    agenda: Sequence[str],
    required: int,
    min_pushback: int,
    patience: int,
    rehearsal_id: str | None = None,
    scenario: str = "",
    style: str = "",
    level: str = "normal",
    attempt: int = 1,
    previous: Debrief | None = None,
    boss_name: str = "Sam",
) -> Debrief:
    """The debrief of a scene: what went well first, then what was not seen. No user lines → no points."""
    state = read_talk(scene, agenda, required=required, min_pushback=min_pushback, patience=patience)
    user_lines = [r.text for r in state.readings if r.text.strip()]
    report = Debrief(
        rehearsal_id=rehearsal_id, scenario=scenario, style=style, level=level, attempt=attempt,
        turns=len(user_lines), ask_turn=state.ask_turn, evidence_turn=state.evidence_turn,
        next_step=state.next_step_status(), conceded=state.conceded_turn is not None, ended_by_boss=state.ended_by_boss,
        concerns=[
            ConcernOutcome(
                key=k, topic=c.topic, raised=c.raised_turn is not None, answered=c.answered,
                before_raised=c.before_raised, how=c.how, answered_turn=c.answered_turn,
            )
            for k, c in state.concerns.items()
            if c.raised_turn is not None or c.answered
        ],
    )
    if not user_lines:
        return report
    last = user_lines[-1]
    points = [
        _ask_point(state, user_lines),
        _evidence_point(state, user_lines),
        *_concern_points(state, boss_name, last),
        _next_step_point(state, boss_name, last),
        _outcome_point(state, boss_name, user_lines),
    ]
    if previous is not None:
        points.append(_progress_point(report, previous, state.ask_line or user_lines[0]))
    points.sort(key=lambda p: not p.went_well)  # stable: within each group the behaviours keep their order
    report.points = points
    return report
