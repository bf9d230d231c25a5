"""The state of the talk, read deterministically from the transcript: the boss's moves and the debrief both use it.

Per user turn (:func:`read_turn`): an injection attempt? the ask ("I'd like…", "could I…")? evidence (a number,
an example, a result delivered)? which of the boss's concerns the turn addresses (``concerns.yaml``: strong
content counts any time, weak content only once the boss raised the concern)? a next step proposed ("could we
meet on Thursday?", "shall I present it at the June review?", "I'll send you the plan by Friday")?

Over the whole talk (:func:`read_talk`): when the ask came, which concerns the boss raised (from each boss line's
recorded move, or read from its words), which were answered, when and how, how many objections and probes came
before the boss conceded, whether a next step was proposed and agreed, and how long the person has gone without
progress (the boss's patience).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

from pydantic import BaseModel, Field

from kickcoach.flows.rehearsal.checks import concedes, injection, sentences
from kickcoach.flows.rehearsal.library import Concern, library

ASK = re.compile(
    r"\bi'?d (?:really |just |also |so )?(?:like|love)\b|\bi would (?:really )?like\b|\bi wanted to ask\b"
    r"|\bi was wondering (?:if|whether)\b|\bi want to ask\b|\bi'?m asking (?:for|you|to)\b|\bi am asking\b|\bcould i\b"
    r"|\bcan i\b|\bmay i\b|(?<!where )(?<!what )(?<!how )(?<!when )(?<!why )(?<!if )\bi (?:want|need)\b"
    r"|\bi'?m requesting\b|\bi am requesting\b|\bi'?m hoping (?:for|to)\b"
    r"|\bi was hoping\b|\bi'?d love to\b|\bmy ask\b|\bi'?m looking for\b|\bi'?m after\b|\bwould (?:it|that) be possible\b"
    r"|\bis it possible\b|\bwould you (?:consider|agree|support|be open|let me)\b"
    r"|\bis there any (?:chance|way)\b|\bwould you be (?:ok|okay|open|happy|willing)\b|\bhow would you feel about\b"
    r"|\bwhat would you (?:think|say) (?:of|about|to)\b|\bdo you think i could\b|\bi'?m (?:keen|hoping|thinking of|planning) to\b"
    r"|\bi'?d be keen to\b|\bi'?d (?:prefer|rather)\b|\b(?:i|i'?d like to) propose\b|\bmy proposal\b"
    r"|\bi'?d welcome\b|\bi'?d love the chance\b|\bi'?m putting myself forward\b|\bi'?d like the chance\b"
    # indirect voice: "what I'm asking is to…", "would it be okay if I…", "my hope is that I could…"
    r"|\bwhat i'?m (?:asking|after|hoping)(?: for)? is\b|\bwould (?:it|that) be (?:ok|okay|alright|all right|fine)\b"
    r"|\bwould you mind if i\b|\bmy hope is\b|\bi'?m hoping (?=you|that)|\bit would mean a lot(?: to me)?"
    r"|\b(?:could|can) we\b|\bi'?m asking\b|\bi(?: wonder|'?m wondering) (?:if|whether)\b|\bi'?d appreciate\b"
    r"|\bcan you let me\b|\bi think i should\b|\bi(?:'d| would) be interested\b|\bi(?:'m| am) interested\b"
    r"|\blet me (?=take|lead|run|own|handle|present|try)|\bi think it'?s time i\b|\bany chance\b|\bhow about i\b"
    r"|\bi(?:'m| am) volunteering\b|\bi wanted to (?:talk|discuss)\b|\bi would (?:really )?love\b"
    r"|\bi want you to\b",
    re.IGNORECASE,
)
TIME = (
    r"\b(?:next|this) (?:week|month|quarter|monday|tuesday|wednesday|thursday|friday)\b"
    r"|\b(?:on|by|until|before) (?:monday|tuesday|wednesday|thursday|friday|the \d{1,2}(?:st|nd|rd|th)?|tomorrow)\b"
    r"|\b(?:tomorrow|today|tonight|this afternoon|end of (?:the )?day)\b"
    r"|\b(?:monday|tuesday|wednesday|thursday|friday)(?:'s)?\b"
    r"|\bin (?:two|three|a couple of|a few|\d+) (?:days|weeks)\b"
    r"|\bafter a (?:week|month|fortnight)\b|\b(?:end|start) of (?:the )?(?:week|month|quarter)\b"
    r"|\b(?:january|february|march|april|june|july|august|september|october|november|december)\b"
    r"|\bat (?:\d{1,2}(?::\d\d)?\s?(?:am|pm)|noon)\b"
)
FOLLOW_UP = re.compile(
    r"\bfollow[- ]?up\b|\bfollow (?:it|this|that) up\b|\bmeet again\b|\bcatch up\b|\bcheck in\b|\brevisit\b"
    r"|\bcome back to (?:you|this|it)\b|\bbook (?:a|some) time\b|\bin (?:your|the|my) (?:calendar|diary)\b|\bsend you\b"
    r"|\bbring you\b|\bshow you\b|\bget back to you\b|\bnext steps?\b|\breview (?:it|this|how it)\b"
    r"|\blook at (?:it|this) (?:again|together)\b|\bschedule\b|\bdecide\b|\bset up a\b|\btalk again\b|\bpick (?:this|it) up again\b"
    r"|\bagree (?:on|to) (?:a|the) (?:date|time|plan)\b",
    re.IGNORECASE,
)
MEETING = re.compile(r"\b(?:meeting|review|one-to-one|1:1|stand-?up|call|session|sync|catch-?up|round|offsite|all-hands)\b", re.IGNORECASE)
# A proposal in the first person or as a suggestion ("could we…", "shall I…", "I'll…", "let's…"), not "they can".
PROPOSE = re.compile(
    r"\b(?:could|can|shall|should|would|will|may) (?:i|we)\b|\b(?:i|we)(?:'ll| will| can| could| would| shall)\b"
    r"|\blet'?s\b|\bhow about\b|\bwhat (?:if|about)\b|\bhappy to\b",
    re.IGNORECASE,
)
WHEN = re.compile(TIME, re.IGNORECASE)
# Something to do at that time: a date in a proposal about the ask itself ("phase it, half in April") is not a next step.
ACTION = re.compile(
    r"\b(?:meet|talk|present|send|review|decide|confirm|check|start|tell|agree|look|book|revisit|bring|show|share|set"
    r"|put|ping|email|catch|discuss|go through|finish|deliver|update|brief|come back|follow|write|draft|sit down"
    r"|pick|try|trial|run|sign)\w*",
    re.IGNORECASE,
)
NEXT_MEETING = re.compile(r"\bnext (?:[\w-]+ )?" + MEETING.pattern, re.IGNORECASE)
# A meeting to go to ("at the June review", "in our next one-to-one"), not one mentioned as a thing ("open the session").
AT_MEETING = re.compile(
    r"\b(?:at|in|for|during) (?:the |our |my |next |this |a )?(?:[\w'-]+ ){0,2}?" + MEETING.pattern.removeprefix(r"\b"), re.IGNORECASE
)
NEGATION = re.compile(r"\b(?:can'?t|cannot|won'?t|couldn'?t|wouldn'?t|not|never|no way)\b", re.IGNORECASE)
# Where the ask's reason starts ("I'd like a raise because I cut costs by 12%"): the tail can hold evidence.
REASON_SPLIT = re.compile(r"\b(?:because|since|as|after|given)\b|[:;—–]", re.IGNORECASE)

MAX_PRESSES = 1  # the boss presses an unanswered concern once, then moves on to the next (it stays open)
BOSS_MOVES = ("opening", "ask_probe", "object", "press", "probe", "concede", "agree", "next_step_probe", "wrap", "deflect", "end")
PUSHBACK_MOVES = ("ask_probe", "object", "press", "probe")


class LineLike(Protocol):
    """A line of the scene: the flow's saved ``Line`` or the debrief's ``Exchange``."""

    @property
    def role(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def move(self) -> str | None: ...
    @property
    def concern(self) -> str | None: ...


def is_next_step(sentence: str) -> bool:
    """Does the sentence propose a next step (a follow-up, a date, something to send, a meeting to present at)?"""
    s = sentence.replace("’", "'")
    if FOLLOW_UP.search(s):
        return True
    if NEGATION.search(s):
        return False
    if not ACTION.search(s):
        return False
    proposing, meeting = PROPOSE.search(s), AT_MEETING.search(s)
    return bool((WHEN.search(s) or NEXT_MEETING.search(s)) and (proposing or meeting) or (proposing and meeting))


class Reading(BaseModel):
    """What one user turn did."""

    turn: int  # 1-based
    text: str
    injection: bool = False
    ask: str | None = None  # the sentence holding the ask
    evidence: tuple[str, str] | None = None  # (sentence, how)
    answers: dict[str, tuple[str, str]] = Field(default_factory=dict)  # concern → (sentence, how)
    next_step: str | None = None


def read_turn(turn: int, text: str, *, ask_made: bool, raised: set[str], concerns: dict[str, Concern]) -> Reading:
    """Read one user turn; ``raised`` are the concerns the boss has raised and the person has not yet answered."""
    reading = Reading(turn=turn, text=text, injection=injection(text))
    if reading.injection:
        return reading
    for sentence in sentences(text):
        content = sentence
        # a next step asked for ("could we agree I present it on Thursday?") counts only with strong content
        proposal = False
        if not ask_made and reading.ask is None and ASK.search(sentence):
            reading.ask = sentence
            parts = REASON_SPLIT.split(sentence, maxsplit=1)
            content = parts[1] if len(parts) > 1 else ""
        if is_next_step(sentence) and (content is sentence or FOLLOW_UP.search(sentence)):
            reading.next_step = reading.next_step or sentence
            content = WHEN.sub(" ", content)  # a date for the next step is not a figure backing the case
            proposal = sentence.rstrip().endswith("?")
        if not content.strip():
            continue
        for key, concern in concerns.items():
            found = concern.addressed(content, raised=key in raised and not proposal)
            if found and key not in reading.answers:
                reading.answers[key] = (sentence, found.how)
        if reading.evidence is None and "evidence" in concerns:
            found = concerns["evidence"].addressed(content, raised=False)
            if found:
                reading.evidence = (sentence, found.how)
    return reading


class ConcernStatus(BaseModel):
    key: str
    topic: str
    raised_turn: int | None = None  # the user turn the boss was replying to when it raised it (0: before any)
    raised_line: str = ""
    presses: int = 0
    answered_turn: int | None = None
    answer: str = ""
    how: str = ""
    before_raised: bool = False
    next_reply: str = ""  # the person's first line after the boss raised it

    @property
    def answered(self) -> bool:
        return self.answered_turn is not None


class TalkState(BaseModel):
    agenda: list[str]
    required: int  # concerns answered before the boss concedes
    min_pushback: int  # objections and probes before the boss concedes
    patience: int  # turns in a row without progress before the boss ends the talk
    readings: list[Reading] = Field(default_factory=list)
    concerns: dict[str, ConcernStatus] = Field(default_factory=dict)
    ask_turn: int | None = None
    ask_line: str = ""
    evidence_turn: int | None = None
    evidence_line: str = ""
    evidence_how: str = ""
    pushback: int = 0
    conceded_turn: int | None = None
    next_step_turn: int | None = None
    next_step_line: str = ""
    agreed_turn: int | None = None
    stalled: int = 0
    ended_by_boss: bool = False
    open: str | None = None  # the concern the boss raised last, while unanswered
    boss_lines: list[str] = Field(default_factory=list)

    @property
    def last(self) -> Reading | None:
        return self.readings[-1] if self.readings else None

    @property
    def answered(self) -> list[str]:
        return [k for k in self.agenda if self.concerns[k].answered]

    @property
    def raised(self) -> list[str]:
        return [k for k in self.agenda if self.concerns[k].raised_turn is not None]

    @property
    def satisfied(self) -> bool:
        """The boss's conditions to concede: the concern on the table answered, and enough concerns answered
        after enough pushback."""
        return self.open is None and len(self.answered) >= self.required and self.pushback >= self.min_pushback

    def next_step_status(self) -> str:
        if self.agreed_turn is not None:
            return "agreed"
        return "proposed" if self.next_step_turn is not None else "none"


def raising_part(text: str, concern: Concern) -> str:
    """The boss line from the sentence that raises the concern on (no leading "Okay, that covers…" or "Not yet")."""
    parts = sentences(text)
    for index, sentence in enumerate(parts):
        if concern.raised.search(sentence) or "?" in sentence:
            return " ".join(parts[index:])
    return text


def infer_move(text: str, state: TalkState) -> tuple[str, str | None]:
    """The move of a boss line without a recorded one (an imported scene): read from its words."""
    if not state.boss_lines:
        return "opening", None
    if concedes(text):
        return ("agree" if state.next_step_turn is not None else "concede"), None
    concerns = library().concerns
    for key in state.agenda:
        if concerns[key].raised.search(text) and "?" in text:
            return ("press" if state.concerns[key].raised_turn is not None else "object"), key
    return ("probe" if "?" in text else "other"), None


def read_talk(
    lines: Sequence[LineLike], agenda: Sequence[str], *, required: int, min_pushback: int, patience: int
) -> TalkState:
    """Replay the transcript into the state of the talk (deterministic: same lines, same state)."""
    concerns = library().concerns
    state = TalkState(
        agenda=list(agenda),
        required=min(required, len(agenda)),
        min_pushback=min_pushback,
        patience=patience,
        concerns={k: ConcernStatus(key=k, topic=concerns[k].topic) for k in agenda},
    )
    active = {k: concerns[k] for k in agenda} | ({"evidence": concerns["evidence"]} if "evidence" in concerns else {})
    turn = 0
    for line in lines:
        if line.role == "user":
            turn += 1
            _user_turn(state, turn, line.text, active)
        else:
            move, concern = (line.move, line.concern) if line.move else infer_move(line.text, state)
            _boss_move(state, turn, line.text, move, concern)
    return state


def _user_turn(state: TalkState, turn: int, text: str, active: dict[str, Concern]) -> None:
    open_concerns = {k for k in state.raised if not state.concerns[k].answered}
    # weak content ("because…", "hours") answers only the question just asked, not every concern still open
    asked = {state.open} if state.open else set()
    reading = read_turn(turn, text, ask_made=state.ask_turn is not None, raised=asked, concerns=active)
    state.readings.append(reading)
    for key in open_concerns:
        status = state.concerns[key]
        status.next_reply = status.next_reply or text
    progress = False
    if reading.ask and state.ask_turn is None:
        state.ask_turn, state.ask_line, progress = turn, reading.ask, True
    if reading.evidence and state.evidence_turn is None:
        state.evidence_turn, (state.evidence_line, state.evidence_how) = turn, reading.evidence
    for key, (sentence, how) in reading.answers.items():
        found = state.concerns.get(key)
        if found is not None and not found.answered:
            found.answered_turn, found.answer, found.how = turn, sentence, how
            found.before_raised = found.raised_turn is None
            progress = True
    if reading.next_step and state.next_step_turn is None:
        state.next_step_turn, state.next_step_line, progress = turn, reading.next_step, True
    if state.open and state.concerns[state.open].answered:
        state.open = None
    state.stalled = 0 if progress else state.stalled + 1


def _boss_move(state: TalkState, turn: int, text: str, move: str, concern: str | None) -> None:
    state.boss_lines.append(text)
    if move in PUSHBACK_MOVES and state.conceded_turn is None:
        state.pushback += 1
    if move in ("object", "press") and concern in state.concerns:
        status = state.concerns[concern]
        if status.raised_turn is None:
            status.raised_turn, status.raised_line = turn, raising_part(text, library().concerns[concern])
            if status.answered and status.before_raised:  # the boss checks what was offered: it needs an answer now
                status.answered_turn, status.answer, status.how, status.before_raised = None, "", "", False
        elif move == "press":
            status.presses += 1
        state.open = None if status.answered else concern
    if move in ("concede", "agree") and state.conceded_turn is None:
        state.conceded_turn = turn
    if move == "agree" and state.next_step_turn is not None and state.agreed_turn is None:
        state.agreed_turn = turn
    if move == "end":
        state.ended_by_boss = True
