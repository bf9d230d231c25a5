"""The rehearsal's data: scenarios (``scenarios.yaml``), the boss's concerns (``concerns.yaml``) and one versioned
line bank per boss style (``banks/<style>.yaml``). Everything the boss says comes from here or passes the checks.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, Field, field_validator, model_validator

HERE = Path(__file__).parent
SCENARIOS_FILE = HERE / "scenarios.yaml"
CONCERNS_FILE = HERE / "concerns.yaml"
BANKS_DIR = HERE / "banks"
CUSTOM = "custom"
Level = Literal["normal", "hard"]
# A capitalised word inside a sentence that is a person's name ("Marco could take it"); sentence starters and
# calendar words are not names.
NOT_NAMES = (
    "I|I'd|I'll|I'm|I've|We|It|It's|That|This|The|There|They|He|She|You|Your|My|Our|And|But|So|If|Or|No|Yes|Okay|Ok|Fine"
    "|Nobody|Someone|Everyone|Anyone|Just|Quick|Last|Next|Can|Could|Would|Shall|Should|Will|Let's|Thanks|Honestly|What|Why"
    "|How|When|Who|Sorry|Sure|Over|After|Before|Since|Because|Then|First|Monday|Tuesday|Wednesday|Thursday|Friday"
    "|January|February|March|April|May|June|July|August|September|October|November|December|HR|OK|Q1|Q2|Q3|Q4"
)
NAME = rf"(?-i:(?!(?:{NOT_NAMES})\b)[A-Z][a-z]+)"
# The bank kinds every style must fill (boss.py picks from them by the move it decided).
BANK_KINDS = (
    "opening", "ask_probe", "press", "acknowledge", "too_early", "probe", "concede", "agree", "next_step_probe",
    "wrap", "deflect", "end",
)


class Answer(BaseModel):
    kind: str
    how: str
    pattern: re.Pattern[str]
    strong: bool  # counts even before the boss raised the concern


class Concern(BaseModel):
    key: str
    topic: str
    question: str
    raised: re.Pattern[str]
    answers: list[Answer]

    def addressed(self, sentence: str, *, raised: bool) -> Answer | None:
        """The first kind of content in ``sentence`` that answers this concern (weak kinds only once raised)."""
        for answer in self.answers:
            if (answer.strong or raised) and answer.pattern.search(sentence):
                return answer
        return None


class Scenario(BaseModel):
    id: str
    title: str
    ask: str
    concern: str
    concerns: list[str]
    skip: list[str] = Field(default_factory=list)  # style concerns that make no sense here (how a raise "works")
    objection: dict[str, list[str]] = Field(default_factory=dict)


class Patience(BaseModel):
    normal: int = Field(ge=1)
    hard: int = Field(ge=1)


class Style(BaseModel):
    """A boss style: its persona card, what it cares about first, its patience, and its bank of lines."""

    id: str
    version: int
    title: str
    card: str
    max_sentences: int = Field(3, ge=1, le=3)
    concerns: list[str]
    patience: Patience
    objection: dict[str, list[str]]
    bank: dict[str, list[str]]

    @field_validator("bank")
    @classmethod
    def _every_kind(cls, bank: dict[str, list[str]]) -> dict[str, list[str]]:
        missing = [k for k in BANK_KINDS if not bank.get(k)]
        if missing:
            raise ValueError(f"a style's bank needs lines for {missing}")
        return bank


class Library(BaseModel):
    scenarios: dict[str, Scenario]
    styles: dict[str, Style]
    concerns: dict[str, Concern]
    custom_concerns: list[str]
    custom_objection: dict[str, list[str]] = Field(default_factory=dict)
    custom_by_words: list[tuple[re.Pattern[str], list[str], list[str]]] = Field(default_factory=list)
    style_aliases: dict[str, str] = Field(default_factory=dict)
    style_cues: dict[str, re.Pattern[str]] = Field(default_factory=dict)
    concern_cues: dict[str, re.Pattern[str]] = Field(default_factory=dict)  # a boss description's words → a concern

    def style_id(self, name: str) -> str:
        """The style for ``name``, its aliases included ("protective" → "defensive"); unknown names unchanged."""
        key = name.strip().lower()
        return self.style_aliases.get(key, key)

    def style_for(self, description: str, default: str) -> str:
        """The style a person's own description of their boss reads as (most cue words), else ``default``."""
        scores = [(len(cue.findall(description)), -i, key) for i, (key, cue) in enumerate(self.style_cues.items())]
        best = max(scores, default=(0, 0, default))
        return best[2] if best[0] else default

    @model_validator(mode="after")
    def _known_concerns(self) -> Library:
        used = set(self.custom_concerns) | {c for _, concerns, _ in self.custom_by_words for c in concerns}
        used |= set(self.concern_cues)
        for s in self.scenarios.values():
            used |= set(s.concerns) | set(s.objection)
        for st in self.styles.values():
            used |= set(st.concerns)
            if set(self.concerns) - set(st.objection):
                raise ValueError(f"style {st.id} needs objection lines for {sorted(set(self.concerns) - set(st.objection))}")
        if used - set(self.concerns):
            raise ValueError(f"unknown concerns {sorted(used - set(self.concerns))}")
        return self

    def agenda(self, scenario: str, style: str, ask: str = "", boss: str = "") -> list[str]:
        """The concerns this boss raises, in order: the style's own first, then those the person's description of
        the boss names ("always asks what it costs" → cost), then the scenario's (for a custom ask, the concerns
        its own words call for: a raise → the cost)."""
        ready = self.scenarios.get(scenario)
        own, skip = next(
            ((c, set(s)) for pattern, c, s in self.custom_by_words if pattern.search(ask)), (self.custom_concerns, set())
        )
        if ready:
            own, skip = ready.concerns, set(ready.skip)
        described = [c for c, cue in self.concern_cues.items() if boss and cue.search(boss)]
        return [c for c in dict.fromkeys([*self.styles[style].concerns, *described, *own]) if c not in skip or c in described]

    def scenario_lines(self, scenario: str, concern: str) -> list[str]:
        found = self.scenarios[scenario].objection if scenario in self.scenarios else self.custom_objection
        return found.get(concern, [])


def _pattern(text: str) -> re.Pattern[str]:
    return re.compile(text.replace("{name}", NAME), re.IGNORECASE)


def _concern(key: str, data: dict) -> Concern:
    answers = [
        Answer(kind=kind, how=a["how"], pattern=_pattern(a["pattern"]), strong=strong)
        for group, strong in (("answer", True), ("reply", False))
        for kind, a in (data.get(group) or {}).items()
    ]
    return Concern(key=key, topic=data["topic"], question=data["question"], raised=_pattern(data["raised"]), answers=answers)


@lru_cache(maxsize=1)
def library() -> Library:
    """The ready scenarios, the concerns and the boss styles shipped with the package."""
    scen = yaml.safe_load(SCENARIOS_FILE.read_text(encoding="utf-8"))
    conc = yaml.safe_load(CONCERNS_FILE.read_text(encoding="utf-8"))
    styles = {}
    for path in sorted(BANKS_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        styles[path.stem] = Style(id=path.stem, **data)
    order = scen.get("style_order", list(styles))
    return Library(
        scenarios={key: Scenario(id=key, **value) for key, value in scen["scenarios"].items()},
        styles={key: styles[key] for key in order},
        concerns={key: _concern(key, value) for key, value in conc["concerns"].items()},
        custom_concerns=scen["custom"]["concerns"],
        custom_objection=scen["custom"].get("objection", {}),
        style_aliases=scen.get("style_aliases", {}),
        custom_by_words=[
            (_pattern(x["pattern"]), x["concerns"], x.get("skip", [])) for x in scen["custom"].get("by_words", [])
        ],
        style_cues={key: _pattern(value) for key, value in scen.get("style_cues", {}).items()},
        concern_cues={key: _pattern(value) for key, value in scen.get("concern_cues", {}).items()},
    )
