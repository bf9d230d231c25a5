"""Scoring boss rehearsals (issue #20) over scripted talks: aggregate figures only, so blind sets can be scored.

Cases: ``id``, ``style`` (sceptical | busy | protective | detail), ``ask`` (the person's opening line), ``facts``
(key words of the ask). Each case is played twice (``scripts`` in ``scripted_replies.yaml``): the person opens
with the ask, then answers or dodges each concern the boss raises as the script says, proposes a next step when
asked, ends the talk and asks for tips. Figures:

- ``talks with ≥ 2 concerns naming the facts``: distinct concerns raised or pressed in lines that contain one of
  the case's fact words (case-insensitive, a word starting with the fact counts);
- ``concessions to non-answers``: a dodge the flow credited as answering a concern, or after which the boss
  conceded or agreed;
- ``dodges pressed again``: after a dodge to an open concern, the boss pressed that concern with a new line;
- ``ill-formed lines``: boss lines and tips that :func:`kickcoach.text.wellformed.line_problems` rejects;
- ``debriefs naming every open concern``: every concern raised and not answered has its own "not seen" point,
  and every answered one quotes a line the person said that was not a dodge.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from kickcoach.flows.rehearsal import RehearsalFlow, library, talk_state
from kickcoach.flows.rehearsal.models import Rehearsal
from kickcoach.text.wellformed import line_problems

REPLIES_FILE = Path(__file__).with_name("scripted_replies.yaml")
MAX_TURNS = 9
PAIR = "eval-drafts"


@cache
def replies() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(REPLIES_FILE.read_text(encoding="utf-8"))
    return data


class TalkFigures(BaseModel):
    talks: int = 0
    styles: dict[str, int] = {}
    fact_concerns: list[int] = []
    talks_two_facts: int = 0
    dodges: int = 0
    dodge_credited: int = 0
    dodge_conceded: int = 0
    dodges_pressed: int = 0
    boss_lines: int = 0
    tips: int = 0
    ill_formed: int = 0
    open_concerns: int = 0
    debriefs_naming_all: int = 0
    answers_quoted: int = 0
    answers: int = 0

    def lines(self, name: str) -> list[str]:
        mean = sum(self.fact_concerns) / max(1, len(self.fact_concerns))
        return [
            f"{name}: {self.talks} scripted talks ({', '.join(f'{k} {v}' for k, v in sorted(self.styles.items()))})",
            f"  talks with >= 2 concerns naming the ask's facts: {self.talks_two_facts} / {self.talks}"
            f" (mean {mean:.1f} per talk, min {min(self.fact_concerns, default=0)})",
            f"  concessions to non-answers: {self.dodge_credited + self.dodge_conceded} of {self.dodges} dodges"
            f" (credited as an answer {self.dodge_credited}, boss conceded {self.dodge_conceded})",
            f"  dodges pressed again with a new line: {self.dodges_pressed} / {self.dodges}",
            f"  cut-off or ill-formed lines: {self.ill_formed} of {self.boss_lines} boss lines and {self.tips} tips",
            f"  debriefs naming every open concern: {self.debriefs_naming_all} / {self.talks}"
            f" ({self.open_concerns} open concerns); answers quoted: {self.answers_quoted} / {self.answers}",
        ]


def _names(line: str, facts: Sequence[str]) -> bool:
    words = re.findall(r"[\w£$€%'-]+", line.lower())
    return any(any(w.startswith(str(f).lower()) for w in words) or str(f).lower() in line.lower() for f in facts)


def _reply(kind: str, concern: str | None, dodge_index: int) -> str:
    data = replies()
    if kind == "answer" and concern in data["answers"]:
        return str(data["answers"][concern])
    return str(data["dodges"][dodge_index % len(data["dodges"])])


def play(flow: RehearsalFlow, case: dict[str, Any], script: Sequence[str], figures: TalkFigures) -> Rehearsal:
    """One scripted talk; adds its figures to ``figures``."""
    lib = library()
    style = lib.style_id(case["style"])
    step = flow.start(PAIR, "custom", style=style, description=case["ask"][:300])
    rid = step.rehearsal.id
    plan = list(script)
    dodge_turns: dict[int, str | None] = {}
    answer_lines: set[str] = set()
    said_dodges = 0
    rehearsal = step.rehearsal
    for turn in range(1, MAX_TURNS + 1):
        last = rehearsal.transcript[-1]
        if last.role != "boss" or last.move in ("wrap", "end") or rehearsal.status != "playing":
            break
        if last.move in ("opening", "ask_probe", "deflect"):
            text = case["ask"]
        elif last.move in ("concede", "next_step_probe", "agree"):
            text = str(replies()["next_step"])
        elif last.move in ("object", "press"):
            kind = plan.pop(0) if plan else "answer"
            text = _reply(kind, last.concern, said_dodges)
            if kind == "dodge" or last.concern not in replies()["answers"]:
                dodge_turns[turn], said_dodges = last.concern, said_dodges + 1
            else:
                answer_lines.add(text)
        else:  # a probe: how it would work
            text = str(replies()["answers"]["plan"])
            answer_lines.add(text)
        rehearsal = flow.say(PAIR, rid, text).rehearsal
    if rehearsal.status != "ended":
        rehearsal = flow.end(PAIR, rid).rehearsal
    tips = flow.say(PAIR, rid, str(replies()["tips"])).rehearsal.followups[-1].text
    _judge(rehearsal, case, dodge_turns, answer_lines, tips, figures)
    return rehearsal


def _judge(
    rehearsal: Rehearsal,
    case: dict[str, Any],
    dodge_turns: dict[int, str | None],
    answer_lines: set[str],
    tips: str,
    figures: TalkFigures,
) -> None:
    figures.talks += 1
    figures.styles[case["style"]] = figures.styles.get(case["style"], 0) + 1
    boss = [line for line in rehearsal.transcript if line.role == "boss"]
    named = {line.concern for line in boss if line.move in ("object", "press") and _names(line.text, case["facts"])}
    figures.fact_concerns.append(len(named))
    figures.talks_two_facts += len(named) >= 2
    figures.boss_lines += len(boss)
    tip_lines = [t[2:] for t in tips.splitlines() if t.startswith("- ")]
    figures.tips += len(tip_lines)
    figures.ill_formed += sum(bool(line_problems(line.text)) for line in boss)
    figures.ill_formed += sum(bool(line_problems(t)) for t in tip_lines)
    state = talk_state(rehearsal)
    turn, after = 0, {}
    for index, line in enumerate(rehearsal.transcript):
        if line.role == "user":
            turn += 1
            nxt = rehearsal.transcript[index + 1] if index + 1 < len(rehearsal.transcript) else None
            after[turn] = nxt
    for dodge_turn, concern in dodge_turns.items():
        figures.dodges += 1
        figures.dodge_credited += any(c.answered_turn == dodge_turn for c in state.concerns.values())
        reply = after.get(dodge_turn)
        figures.dodge_conceded += bool(reply and reply.move in ("concede", "agree"))
        earlier = [line.text for line in boss if reply is not None and line.at < reply.at]
        figures.dodges_pressed += bool(
            reply and reply.move == "press" and reply.concern == concern and reply.text not in earlier
        )
    report = rehearsal.debrief
    assert report is not None
    open_keys = [k for k, c in state.concerns.items() if c.raised_turn is not None and not c.answered]
    figures.open_concerns += len(open_keys)
    named_open = {p.concern for p in report.not_seen if p.behaviour == "objections"}
    figures.debriefs_naming_all += set(open_keys) <= named_open
    for point in report.went_well:
        if point.behaviour == "objections":
            figures.answers += 1  # the quote is a line the person said that was not a dodge
            said = [x.text for x in rehearsal.transcript if x.role == "user"]
            dodged = {said[t - 1] for t in dodge_turns if t <= len(said)}
            quoted = [x for x in said if point.evidence in x]
            figures.answers_quoted += bool(quoted) and not any(x in dodged for x in quoted)


def score(flow: RehearsalFlow, cases: Sequence[dict[str, Any]]) -> TalkFigures:
    figures = TalkFigures()
    flow.services.storage.ensure_pair(PAIR, "Rehearsal drafts eval")
    for case in cases:
        for script in replies()["scripts"].values():
            play(flow, case, script, figures)
    return figures
