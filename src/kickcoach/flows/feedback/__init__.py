"""Feedback rephrasing: a criticism of a person becomes feedback about a behaviour.

Every rule is deterministic; the model only proposes wording, and code decides what the user sees.

- :mod:`.detect` flags attacks on the person (labels, judgements, absolutes, mind-reading) as spans.
- :mod:`.read` takes the attacks out and sorts the rest into situation, behaviour and impact clauses,
  with the behaviour made observable and past (:mod:`.tokens`, :mod:`.tense`; verb forms from
  lemminflect through :mod:`kickcoach.text.morphology`; word lists in ``lexicon.yaml``).
- :mod:`.compose` writes the text from its parts and verifies it: nothing attacking or judging left, the
  behaviour's key terms kept (compared by the one Snowball stemmer), and grammatical (every verb has a
  subject, no dangling conjunction). Problems are written so a model can fix them.
- :mod:`.flow` is the template (the user's own words without the attacks) and the model's rewrite through
  :func:`kickcoach.llm.generate.generate`: the model fills ``{situation, behaviour, impact, request}``,
  code composes and checks, one re-ask with the problems, then the template. When the template fails the
  checks too, the user gets a neutral opener and questions, never an ungrammatical or judging text.
- :mod:`.store` saves the user's words before the model runs and the result after.
"""

from kickcoach.flows.feedback.compose import (
    FeedbackParts,
    behaviour_terms,
    compose,
    grammar_problems,
    key_terms,
    missing_terms,
    questions_for,
    suggested_request,
    verify,
)
from kickcoach.flows.feedback.detect import Flag, FlagKind, detect
from kickcoach.flows.feedback.flow import MAX_CHARS, FeedbackDraft, FeedbackResult, check_input, rephrase, template
from kickcoach.flows.feedback.lexicon import base_form, past, stem
from kickcoach.flows.feedback.read import Clause, Reading, behaviour_of, read
from kickcoach.flows.feedback.store import RECORD_KIND, SavedFeedback, recent, rephrase_and_save
from kickcoach.flows.feedback.tokens import has_time_ref

__all__ = [
    "MAX_CHARS",
    "RECORD_KIND",
    "Clause",
    "FeedbackDraft",
    "FeedbackParts",
    "FeedbackResult",
    "Flag",
    "FlagKind",
    "Reading",
    "SavedFeedback",
    "base_form",
    "behaviour_of",
    "behaviour_terms",
    "check_input",
    "compose",
    "detect",
    "grammar_problems",
    "has_time_ref",
    "key_terms",
    "missing_terms",
    "past",
    "questions_for",
    "read",
    "recent",
    "rephrase",
    "rephrase_and_save",
    "stem",
    "suggested_request",
    "template",
    "verify",
]
