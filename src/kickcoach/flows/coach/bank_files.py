"""The coach's content banks: versioned YAML files beside this module, validated once with pydantic.

Files in ``banks/``: ``moves.yaml`` holds the OARS moves, ``lexicon.yaml`` what the coach listens for,
``turn_examples.yaml`` the labelled turns the turn classifier learns from. Every
turn records :func:`banks_version`, so a reply can be traced to the bank that wrote it.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

BANK_DIR = Path(__file__).with_name("banks")

Act = Literal[
    "setback", "progress", "guidance_question", "contract_question", "request", "accept", "decline", "goal",
    "closing", "greeting", "off_topic",
]
Topic = Literal[
    "procrastination", "fear", "confidence", "time", "partner", "fairness", "goal_change", "setback", "boss",
    "feedback", "meetings", "goals", "confidentiality", "other",
]
Valence = Literal["negative", "positive", "neutral", "mixed"]
ACTS: tuple[str, ...] = Act.__args__  # type: ignore[attr-defined]
TOPICS: tuple[str, ...] = Topic.__args__  # type: ignore[attr-defined]
VALENCES: tuple[str, ...] = Valence.__args__  # type: ignore[attr-defined]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TopicWords(_Strict):
    phrase: str
    words: list[str]


class Lexicon(_Strict):
    version: int
    topics: dict[Topic, TopicWords]
    emotions: dict[Literal["negative", "positive"], dict[str, str]]
    negators: list[str]
    bad_news: list[str]
    good_news: list[str]
    injection: list[str]
    off_topic: list[str]
    greeting: list[str]
    closing: list[str]
    general_cues: list[str]
    contract_cues: list[str]
    indirect_ask: list[str] = Field(min_length=1)  # "I can't remember what we agreed": a question all the same
    cheerful: list[str]
    feeling_frame_only: list[str]  # feeling words that name a feeling only after "I feel", "I'm", "so" …
    valence_only: list[str]  # words that tell good or bad news but never name a feeling ("sadly", "finally")
    feeling_frame: str  # the words before a feeling word that make it one
    judgement_questions: list[str]  # "Was that the wrong thing to say?": the person asks the coach to judge them
    normalising_questions: list[str] = Field(min_length=1)  # "Is it normal to feel crushed by feedback I asked for?"
    normal_experiences: list[str] = Field(min_length=1)  # what such a question must name (a feeling, blanking …)
    preface: list[str] = Field(min_length=1)  # "I want to tell you about the practice I did": invited to go on
    plainly_bad: list[str] = Field(min_length=1)  # "rough", "not great": a short "that sounds hard" needs one
    accomplishments: list[str]  # what a person did that moves them forward (an affirmation needs one)
    claimed_win: list[str] = Field(min_length=1)  # "…, which for me is a win": they call it progress themselves
    values: list[str]  # a value the person states themselves: a named group ``value``
    contrast: list[str]  # where a message turns to its other side ("but", "part of me")
    sarcasm: list[str] = Field(default_factory=list)  # praise said over bad news ("oh great,", "love that for me")
    fillers: list[str] = Field(min_length=1)  # openings a reflection drops ("so, um, honestly …"); "mm+" is a pattern
    paraphrases: list[tuple[str, str]] = Field(min_length=1)  # [pattern, replacement]: keep the meaning, break a run


class Questions(_Strict):
    by_topic: dict[Topic, list[str]]
    by_act: dict[str, list[str]]
    topic_acts: dict[Topic, list[Act]] = Field(default_factory=dict)  # a topic's questions fit only these acts


class Moves(_Strict):
    version: int
    reflections: dict[str, list[str]]
    affirmations: dict[str, list[str]]
    summaries: list[str]
    suggestions: dict[str, list[str]]
    offers: list[str] = Field(min_length=1)
    answers: dict[str, list[str]]
    greetings: list[str]
    invite: list[str] = Field(min_length=1)  # "I want to tell you about…": go on, I'm listening
    closings: list[str]
    after_help: list[str] = Field(min_length=1)  # the turns right after a help reply: the person leads
    after_help_urgent: list[str] = Field(min_length=1)  # after an emergency or a threat: help first, no "no rush"
    off_topic: dict[str, list[str]]
    questions: Questions
    judgement: dict[str, list[str]] = Field(default_factory=dict)
    adapt: list[tuple[str, str]] = Field(default_factory=list)


class Example(_Strict):
    text: str
    act: Act
    topic: Topic
    valence: Valence
    asked: bool
    after_offer: bool = False


class Examples(_Strict):
    version: int
    note: str = ""
    examples: list[Example]


# libyaml's parser when PyYAML was built with it (same safe constructor, ~8x faster on the 568 examples:
# the banks are read on every one-shot `kickcoach chat -m`).
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read(name: str) -> dict:
    return yaml.load((BANK_DIR / name).read_text(encoding="utf-8"), Loader=_LOADER) or {}


@cache
def lexicon() -> Lexicon:
    return Lexicon.model_validate(_read("lexicon.yaml"))


@cache
def moves() -> Moves:
    return Moves.model_validate(_read("moves.yaml"))


EXAMPLE_FILES = "turn_examples*.yaml"
"""The classifier learns from every file that matches: ``turn_examples.yaml`` (the first 568, one voice) and the
files written since from briefs for variety (``turn_examples_<voice>.yaml``). The version is the sum of theirs."""


@cache
def examples() -> Examples:
    files = sorted(BANK_DIR.glob(EXAMPLE_FILES))
    if not files:
        return Examples(version=0, examples=[])
    banks = [Examples.model_validate(_read(path.name)) for path in files]
    return Examples(version=sum(b.version for b in banks), examples=[e for b in banks for e in b.examples])


def banks_version() -> str:
    """e.g. "moves.v5+lexicon.v4+examples.v1", stored with every coach turn."""
    return f"moves.v{moves().version}+lexicon.v{lexicon().version}+examples.v{examples().version}"


SLOT = re.compile(r"\{(\w+)\}")


def slots(template: str) -> set[str]:
    return {name.lower() for name in SLOT.findall(template)}
