"""Deciding the coaching moves for a turn (motivational interviewing's OARS), from the understanding of the
turn, the permission verdict and what the conversation has done so far. No text here: :mod:`compose`
renders the plan from the banks.

The policy, in short:
- reflect more than ask: most turns carry two reflections (at least one complex) and at most one question;
- affirm only what the person did (good news, progress against their goal), never bad news;
- suggest only with permission (a request, an accepted offer); otherwise offer at most once per topic,
  once the person has stayed with a difficulty for a second turn or says they are stuck;
- answer questions from the contract or the guidance, reflecting the question first;
- a question asking the coach to judge them ("Was that the wrong thing to say?") is in scope: reflect that
  they are weighing it up, say what the coach can and cannot judge, and ask what they think;
- summarise every few substantive turns and at the close.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from kickcoach.flows.coach.understand import Understanding
from kickcoach.guard import refuses

MoveKind = Literal[
    "greet", "reflect_simple", "reflect_complex", "affirm", "summary", "question", "offer", "answer_contract",
    "answer_guidance", "suggest", "acknowledge_decline", "close", "boundary", "weigh", "limits", "stay",
    "invite", "normalise",
]
AFTER_HELP_TURNS = 3  # the turns after a help reply that stay quiet: a reflection and "I'm here", nothing more
_PERSON_LEADS = frozenset({"setback", "progress", "goal", "decline", "off_topic"})  # not a question or request
_STUCK = re.compile(r"\b(?:don'?t know what to do|no idea what to do|stuck|out of ideas|at a loss|don'?t know how)\b", re.IGNORECASE)
BARE_YES = re.compile(r"^\W*(?:yes|yeah|yep|yup|sure|ok|okay|right|true|exactly|definitely)(?:\W+(?:please|thanks|it is|i do|that's it))?\W*$",
                       re.IGNORECASE)
# A follow-up that asks for more; a statement after the ideas ("Right, back to the spreadsheet.", "I did manage
# to hand one report over") tells us something and gets listened to, not another list.
_ASKS = re.compile(r"\?|^\W*(?:and |so |ok(?:ay)?,? |but )?(?:what|how|which|where|any|anything|more|other|another|"
                   r"give|tell|show|suggest|ideas?|tips?)\b", re.IGNORECASE)
SUBSTANTIVE = frozenset({"setback", "progress", "goal", "request", "guidance_question"})
# They are leaving ("gotta go", "talk next week", "bye"): no offer of ideas on the way out, whatever the act.
_LEAVING = re.compile(r"\b(?:bye|goodbye|see you|see ya|talk (?:soon|later|next week|tomorrow)|catch you later|"
                      r"got(?:ta| to) go|have to go|need to go|must go|signing off|that's all for (?:now|today)|"
                      r"good ?night|until next time)\b", re.IGNORECASE)


@dataclass
class ConversationState:
    """What the coach has done so far, read back from the stored turns' move records."""

    last_topic: str | None = None
    last_act: str | None = None
    last_valence: str | None = None
    offered_topics: set[str] = field(default_factory=set)
    declined_topics: set[str] = field(default_factory=set)
    last_had_question: bool = False
    last_user: str = ""  # the person's previous message, for "what did we agree about it?"
    since_summary: int = 0
    used_templates: set[str] = field(default_factory=set)
    used_sentences: set[str] = field(default_factory=set)
    used_ideas: set[str] = field(default_factory=set)
    last_opening: str = ""
    openings: set[str] = field(default_factory=set)  # the first three words of every earlier sentence
    clauses: list[str] = field(default_factory=list)  # earlier key clauses, second person, for summaries
    offered_file: str = ""  # the file the last reply's offer of ideas was made for
    help_given: bool = False  # the safety check answered a turn of this conversation with the help reply
    since_help: int = 0  # the person's turns since the last help reply (when help_given)
    help_certain: bool = True  # False: the last help reply was the gentle check-in ("if I've misread you, say so")
    help_category: str = ""  # what the last help reply was for ("medical_emergency": no "there's no rush")
    refused: bool = False  # the person declined advice in this conversation: the coach offers none again


@dataclass
class Plan:
    moves: list[MoveKind]
    topic: str
    offered: str = ""  # the guidance file an offer of ideas was made for (a yes quotes it)


def decide(u: Understanding, state: ConversationState, message: str, *, has_ideas: bool) -> Plan:
    topic = u.topic
    act = u.act
    if act == "off_topic":
        return Plan(["boundary", "question"], topic)
    if act == "greeting":
        return Plan(["invite"] if u.rule == "preface" else ["greet", "question"], topic)
    if act == "closing":
        return Plan(["summary", "close"] if len(state.clauses) >= 3 else ["close"], topic)
    # After the gentle check-in (only the learned head heard risk, not surely) a message with no risk in it carries on
    # as usual: the readers saw a misread tiredness or apology keep the conversation in crisis mode for three turns.
    after_help = AFTER_HELP_TURNS if state.help_certain else 0
    if state.help_given and state.since_help < after_help and act in _PERSON_LEADS and not u.asked:
        # Right after the help reply: no question, idea, affirmation or offer; an accurate short reflection and
        # "I'm here" (the help stays named at the top of the reply). The blind reader called the questions here
        # coaching moves at the worst moment.
        return Plan(["reflect_simple", "stay"], topic)
    if act == "contract_question":
        return Plan(["reflect_simple", "answer_contract"], topic)
    if u.judgement and not u.asked:
        return Plan(["weigh", "normalise" if u.normalising else "limits", "question"], topic)
    if u.asked and act in ("request", "accept"):
        return Plan(["reflect_complex", "suggest", "question"], topic)
    if u.asked and _ASKS.search(message):  # permission given earlier carries on: "And if that doesn't work?"
        lead: list[MoveKind] = ["affirm"] if act == "progress" else []
        return Plan([*lead, "reflect_complex", "suggest", "question"], topic)
    if act == "guidance_question":
        return Plan(["reflect_simple", "answer_guidance"], topic)
    if act == "decline":  # it answers our offer: reflect, and let them lead
        return Plan(["acknowledge_decline", "reflect_complex", "reflect_simple"], topic)
    # After the help reply the coach listens: no offer of ideas for the rest of the conversation (ideas come only
    # when the person asks for them, above).
    # Nor after they declined advice, in this message or earlier ("I don't want a framework", "no ideas pls").
    offers = has_ideas and not state.help_given and not state.refused and not refuses(message) \
        and not _LEAVING.search(message)
    if BARE_YES.match(message) and state.clauses:  # "yes" to our question, not to an offer: go on with it
        return Plan(["reflect_complex", "offer" if offers and topic not in state.offered_topics else "question"],
                    state.last_topic or topic)
    moves: list[MoveKind] = []
    if act in ("progress", "setback", "goal"):
        moves.append("affirm")  # only when they name something they did that moves them forward (compose decides)
    # No mid-conversation summary: read blind, re-listing earlier clauses read as the coach repeating itself
    # (23% of replies); a summary gathers what they said at the close only.
    moves += ["reflect_complex", "reflect_complex" if act in ("setback", "goal") else "reflect_simple"]
    # the person stays with a difficulty for a second turn (the same topic, or another setback)
    stayed = state.last_topic == topic or (state.last_act == "setback" and act == "setback")
    may_offer = (
        offers and not u.asked and topic not in state.offered_topics and topic not in state.declined_topics
        and act in ("setback", "goal") and (stayed or bool(_STUCK.search(message)))
    )
    # Reflect more than ask: a turn answering our question gets reflections only, which invites the
    # person to go on (MITI's reflection-to-question ratio); the next turn may ask again.
    if may_offer:
        moves.append("offer")
    elif not (state.last_had_question and act in ("setback", "progress", "goal")):
        moves.append("question")
    if len(moves) > 4 and "reflect_simple" in moves:
        moves.remove("reflect_simple")
    return Plan(moves, topic)
