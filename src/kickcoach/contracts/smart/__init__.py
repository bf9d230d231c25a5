"""The SMART checker: deterministic, explainable rules, no model.

Each criterion gets ``ok`` and a one-line reason a person understands. The rules:

specific
    The goal names a concrete action ("publish", "present", "meet" … as the verb of a clause) or a
    counted object ("500 LinkedIn connections"), and has at least two content words besides dates.
    Vague verbs alone ("improve", "get better at", "be more", "grow") are not an action.
measurable
    A target value, a number or quantity in the goal or target ("10 articles", "4/5", "30%"), a
    frequency ("twice a week"), an observable one-off result (a completion verb with an object:
    "pass the AWS exam", "publish my first article"), or an indicator with a number. Numbers that
    are part of a date ("by 31 March 2027") do not count.
achievable
    Flagged only when the goal itself gives the basis: an amount of something with a known usual
    pace (articles, followers, kg, talks, …) over a known time, or a from→to jump. "50 articles in
    2 weeks" is 25 a week against a usual pace of at most 5. Without a basis: ok, "no basis to doubt it".
relevant
    ``relevant_to`` is set, or the goal (what, target, how) shares a topic word with one of the
    partner's needs or aims. Topic words are stemmed and grouped ("presenting", "talk", "speech" are
    one topic) so a person's wording does not have to match exactly. When no needs or aims are known
    the goal is ok with "no stated needs to check against": relevance is the person's call, and
    failing every goal of a partner who has not written needs yet would only add noise.
time_bound
    A deadline date, else a timeframe that parses (see :mod:`kickcoach.contracts.dates`), else a
    deadline phrase inside the goal text; the date must be after ``today``.

Placeholders never make a goal specific: "Complete 3 concrete actions towards …" acts on nothing named
(``generic_objects`` in ``words.yaml``), and quoting the person's vague words names nothing new.

Modules: :mod:`.words` (vague verbs, actions, topics), :mod:`.quantities` (numbers and paces),
:mod:`.checks` (the criteria and the questions).
"""

from kickcoach.contracts.smart.checks import CRITERIA, Criterion, SmartVerdict, check_goal, questions_for
from kickcoach.contracts.smart.quantities import Quantity, goal_quantities, quantities
from kickcoach.contracts.smart.words import leading_action, matching_need, topic_words, vague_words

__all__ = [
    "CRITERIA",
    "Criterion",
    "Quantity",
    "SmartVerdict",
    "check_goal",
    "goal_quantities",
    "leading_action",
    "matching_need",
    "quantities",
    "questions_for",
    "topic_words",
    "vague_words",
]
