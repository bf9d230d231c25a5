"""The saved rehearsal and what one step shows: one storage record of kind ``rehearsal`` per attempt."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from kickcoach.core.banks import bank_beside
from kickcoach.flows.rehearsal.debrief import Debrief
from kickcoach.flows.rehearsal.library import Level, library

BOSS_NAME = "Sam"
Status = Literal["playing", "paused", "ended"]


def now() -> datetime:
    return datetime.now(UTC)


class GoalSeed(BaseModel):
    """A goal from the pair's contract that the rehearsal is about."""

    partner: str
    goal_id: str
    what: str
    target: str
    deadline: date | None = None

    def sentence(self) -> str:
        bank = bank_beside(__file__)
        due = bank.line("goal", "due", deadline=self.deadline.isoformat()) if self.deadline else ""
        return bank.line("goal", "sentence", what=self.what, target=self.target, due=due)


class Line(BaseModel):
    """One line of the scene. For the boss: its move and concern, where the words came from, every raw model
    reply and the problems found in it."""

    role: Literal["boss", "user"]
    text: str
    source: Literal["opening", "model", "reask", "bank"] | None = None
    move: str | None = None
    concern: str | None = None
    raw: list[str] = Field(default_factory=list)
    problems: list[list[str]] = Field(default_factory=list)
    error: str | None = None
    at: datetime = Field(default_factory=now)


class Note(BaseModel):
    """A line outside the scene: a question to the coach while paused, or a follow-up after the debrief."""

    role: Literal["user", "coach"]
    text: str
    guard_note: str | None = None
    error: str | None = None
    safety: dict[str, object] | None = None  # the safety check's record when this note is the help reply
    at: datetime = Field(default_factory=now)


class Rehearsal(BaseModel):
    id: str = ""  # the storage record's id (not stored inside the record)
    scenario: str
    title: str
    ask: str
    concern: str
    details: str = ""
    boss: str = ""  # the person's own description of their boss (picks the style, adds the concerns it names)
    style: str
    level: Level = "normal"
    attempt: int = 1
    previous_id: str | None = None  # the attempt this one replays
    agenda: list[str] = Field(default_factory=list)  # the boss's concerns, in order, fixed at the start
    bank_version: int = 0
    goal: GoalSeed | None = None
    boss_name: str = BOSS_NAME
    code: str
    status: Status = "playing"
    transcript: list[Line] = Field(default_factory=list)
    asides: list[Note] = Field(default_factory=list)
    aside_conversation: str | None = None
    followups: list[Note] = Field(default_factory=list)
    debrief: Debrief | None = None
    model: str = ""
    prompt: str = ""
    started_at: datetime = Field(default_factory=now)
    updated_at: datetime = Field(default_factory=now)

    @property
    def style_title(self) -> str:
        return library().styles[self.style].title

    def boss_lines(self) -> list[str]:
        return [line.text for line in self.transcript if line.role == "boss"]

    def last_boss_line(self) -> str:
        return next((line.text for line in reversed(self.transcript) if line.role == "boss"), "")

    def public_transcript(self) -> list[dict[str, str]]:
        return [{"role": line.role, "text": line.text} for line in self.transcript]

    def label(self) -> str:
        level = f" · {self.level} #{self.attempt}" if self.level != "normal" or self.attempt > 1 else ""
        return f"{self.started_at:%Y-%m-%d %H:%M} · {self.title} · {self.style_title.lower()}{level} · {self.status}"

    def markdown(self) -> str:
        """The rehearsal as a Markdown document: set-up, transcript, coach asides, debrief, follow-ups."""
        out = [f"# Boss rehearsal: {self.title}", ""]
        out.append(f"- Boss style: {self.style_title} · level: {self.level} · attempt {self.attempt}")
        out.append(f"- What you wanted: {self.ask}")
        if self.details:
            out.append(f"- Details: {self.details}")
        if self.goal:
            out.append(f"- Contract goal: {self.goal.what} (target: {self.goal.target})")
        out += [f"- Started: {self.started_at:%Y-%m-%d %H:%M} UTC · status: {self.status}", "", "## Transcript", ""]
        for line in self.transcript:
            who = f"{self.boss_name} (boss)" if line.role == "boss" else "You"
            out += [f"**{who}:** {line.text}", ""]
        if self.asides:
            out += ["## Paused: questions to the coach", ""]
            out += [f"**{'You' if n.role == 'user' else 'Coach'}:** {n.text}\n" for n in self.asides]
        if self.debrief:
            out += ["## Debrief", "", self.debrief.markdown(), ""]
        if self.followups:
            out += ["## After the debrief", ""]
            out += [f"**{'You' if n.role == 'user' else 'Coach'}:** {n.text}\n" for n in self.followups]
        return "\n".join(out).rstrip() + "\n"


class Shown(BaseModel):
    """Something to show after a step: the boss's line, the coach's words, or a note about the session."""

    role: Literal["boss", "coach", "note"]
    text: str


class Step(BaseModel):
    rehearsal: Rehearsal
    shown: list[Shown] = Field(default_factory=list)
