"""Boss rehearsal: a boss that reacts to what was said, and a debrief that reads the whole talk.

Modules: ``library`` (scenarios, concerns and the per-style line banks, all YAML), ``state`` (the state of the
talk, read from the transcript), ``boss`` (the move and its line), ``checks`` (in character, flattery,
concession, injection), ``debrief``, ``models`` (the saved rehearsal), ``flow`` (:class:`RehearsalFlow`).
"""

from kickcoach.flows.rehearsal.debrief import Debrief, DebriefPoint, Exchange, debrief
from kickcoach.flows.rehearsal.flow import RehearsalFlow, last_debrief
from kickcoach.flows.rehearsal.library import CUSTOM, Library, Scenario, Style, library
from kickcoach.flows.rehearsal.models import GoalSeed, Line, Note, Rehearsal, Shown, Step
from kickcoach.flows.rehearsal.scene import goal_choices, persona_card, persona_variables, talk_state
from kickcoach.flows.rehearsal.tips import template_tips
from kickcoach.flows.rehearsal.wording import MAX_TOKENS

__all__ = [
    "CUSTOM",
    "MAX_TOKENS",
    "Debrief",
    "DebriefPoint",
    "Exchange",
    "GoalSeed",
    "Library",
    "Line",
    "Note",
    "Rehearsal",
    "RehearsalFlow",
    "Scenario",
    "Shown",
    "Step",
    "Style",
    "debrief",
    "goal_choices",
    "last_debrief",
    "library",
    "persona_card",
    "persona_variables",
    "talk_state",
    "template_tips",
]
