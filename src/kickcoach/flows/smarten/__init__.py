"""Goal drafting: a vague goal in, a SMART goal (or the questions that get there) out.

1. The model is asked for a :class:`SmartProposal` (``prompts/contracts/smarten.v1.yaml``). Each reply
   is finished deterministically (deadline from the person's own words or a parseable phrase, the goal
   sentence made to carry that date, empty lists filled) and then checked: all five SMART criteria,
   and it must stay on the person's topic (a small model likes to copy the prompt's example). The
   problems go back to the model as fix-it lines, up to ``attempts`` calls.
2. If the model still fails (or there is no model), the *template path* (:mod:`.template`) composes a
   goal from what is known: the person's number, unit and deadline (from the goal and ``answers``)
   where given, else a default from the goal kinds in ``templates.yaml`` (networking, public speaking,
   writing, reading, certification, learning a named skill, health). ``questions`` lists the clarifying
   question for each criterion the person's own words did not meet.
3. When neither the person's words nor a goal kind name the what, the number and the date ("get
   promoted", "be more strategic"), the draft is the person's own sentence and the questions ask for
   what is missing. It never wraps the vague words in "3 concrete actions towards …": the SMART
   checker does not count placeholders ("actions", "steps", "tasks") as specific.

``answers`` carries the person's replies to earlier questions, keyed by criterion (``time_bound``,
case and spaces ignored) or by the friendlier ``what``, ``target``, ``deadline``, ``when``, ``why``,
``need``. Replies under any other key are kept as notes: they still count as the person's words (a
date in "note: before my review in March" is their deadline) but answer no particular question.
"""

from kickcoach.flows.smarten.context import MAX_GOAL_CHARS
from kickcoach.flows.smarten.flow import SmartenResult, SmartProposal, smarten

__all__ = ["MAX_GOAL_CHARS", "SmartProposal", "SmartenResult", "smarten"]
