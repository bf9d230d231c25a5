"""Regex building blocks the request detector and the offer-answer detector share: what counts as ideas,
an opinion, a determiner before them, and a change of subject."""

from __future__ import annotations

import re


def one_of(*alternatives: str) -> str:
    """A non-capturing regex group matching any of ``alternatives`` (regex fragments)."""
    return "(?:" + "|".join(alternatives) + ")"


NOUNS = one_of(r"advice", r"tips?", r"suggestions?", r"ideas?", r"pointers?", r"recommendations?", r"strategies",
                 r"tricks", r"options", r"guidance", r"input", r"frameworks?")
OPINION = one_of("thoughts", "take", "opinion", "view", "two cents", "feedback", "perspective")
DETERMINER = r"(?:" + one_of("some", "any", "a few", "a couple of", "your", "a bit of", "more", "good", "practical",
                               "concrete") + r"\s+)*"


def compile_all(*patterns: str) -> list[re.Pattern[str]]:
    return [re.compile(p, re.IGNORECASE) for p in patterns]


SHIFT = re.compile(
    r"^(?:(?:ok|okay|so|but|oh|also|and|well|better|right)\W+)*"
    + one_of("anyway", "anyhow", "on (?:another|a different|an unrelated|a separate|a lighter) note",
              "(?:totally |completely |a |on a )?(?:different|new|unrelated|separate) (?:topic|subject|thing|question)",
              "(?:changing|to change) the subject", "change of (?:subject|topic)", "something (?:else|different)",
              "switching gears", "moving on", "in other news", "unrelated(?: question)?[,:]",
              "speaking of something else", "by the way", "btw")
    + r"\b",
    re.IGNORECASE,
)
