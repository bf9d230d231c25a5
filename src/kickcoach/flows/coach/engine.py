"""The coach's conversation engine: understand the turn → decide the moves → compose from the banks → verify.

Deterministic and fast (no model call): the reply a person gets from the embedded default. A model may
reword it afterwards (see :mod:`kickcoach.flows.chat.turn`), but only through :mod:`gate` and the guard.
Each reply's record (act, topic, moves, MITI codes, templates, ideas) is stored with the turn, and the
next turn reads it back, so nothing repeats and offers are made once per topic.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel

from kickcoach import guard
from kickcoach.contracts.models import Contract
from kickcoach.flows.coach import bank_files as banks
from kickcoach.flows.coach import ideas
from kickcoach.flows.coach.classifier import TurnClassifier
from kickcoach.flows.coach.compose import Composed, Composer, opening_words
from kickcoach.flows.coach.contract_facts import matching_goal, people
from kickcoach.flows.coach.idea_ranking import idea_bank, ranker_for
from kickcoach.flows.coach.moves import BARE_YES, SUBSTANTIVE, ConversationState, Plan, decide
from kickcoach.flows.coach.pair_history import ReviewFacts
from kickcoach.flows.coach.suggest import thread
from kickcoach.flows.coach.understand import Understanding, understand
from kickcoach.knowledge.retrieve import Source

RECAPPED = frozenset({"setback", "progress", "goal"})  # what a closing summary may gather: what they told us


class EngineReply(BaseModel):
    text: str
    understanding: Understanding
    moves: list[str]
    codes: list[str]
    sources: list[Source]
    facts: list[str]  # information quoted for the person: their contract, or guidance answering their question
    record: dict[str, Any]  # stored with the turn and read back by the next one


def state_from(history: Sequence[Mapping[str, Any]]) -> ConversationState:
    """Replay the stored coach records of a conversation into the engine's state."""
    state = ConversationState()
    for turn in history:
        if turn.get("role") == "user":
            state.last_user = str(turn.get("content", ""))
            state.since_help += 1
            state.refused = state.refused or guard.refuses(state.last_user)  # "I don't want a framework"
            continue
        record = turn.get("coach") or {}
        if isinstance(turn.get("safety"), dict):  # the help reply was given in this conversation
            state.help_given, state.since_help = True, 0  # counted from here: the next message is the first after it
            state.help_certain = bool(turn["safety"].get("certain", True))
            state.help_category = str(turn["safety"].get("category") or "")
        for sentence in guard.split_sentences(str(turn.get("content", ""))):
            if sentence.strip():
                state.used_sentences.add(sentence.strip())
                state.openings.add(opening_words(sentence))  # every sentence's first three words
        if not record:
            continue
        state.offered_file = str(record.get("offered", ""))
        topic, act = record.get("topic"), record.get("act")
        state.last_topic = topic
        state.last_act = act
        state.last_valence = record.get("valence")
        state.used_templates.update(record.get("templates", []))
        state.used_ideas.update(record.get("ideas", []))
        if "offer" in record.get("moves", []):
            state.offered_topics.add(str(topic))
        if act == "decline":
            state.declined_topics.add(str(topic))
        state.since_summary = 0 if "summary" in record.get("moves", []) else state.since_summary + (act in SUBSTANTIVE)
        state.last_had_question = bool({"Q", "OF"} & set(record.get("codes", [])))
        words = str(turn.get("content", "")).split()
        state.last_opening = words[0].lower() if words else ""
        if record.get("clause"):
            state.clauses.append(record["clause"])
    return state


def has_ideas(topic: str) -> bool:
    return any(topic in idea.topics for idea in ideas.all_ideas())


class CoachEngine:
    def __init__(self, classifier: TurnClassifier) -> None:
        self.classifier = classifier
        self.ranker = ranker_for(classifier.embeddings, classifier.cache_dir)  # every idea against the request

    def reply(self, history: Sequence[Mapping[str, Any]], message: str, *, contract: Contract | None,
              speaker: str, sources: list[Source], reviews: ReviewFacts | None = None) -> EngineReply:
        """Understand → decide → compose, in one call (the chat turn calls the three steps itself)."""
        u, state = self.understand(history, message, contract=contract, speaker=speaker)
        plan = self.decide(u, state, message)
        return self.compose(u, state, plan, message=message, contract=contract, speaker=speaker, sources=sources,
                            reviews=reviews)

    def understand(self, history: Sequence[Mapping[str, Any]], message: str, *, contract: Contract | None,
                   speaker: str) -> tuple[Understanding, ConversationState]:
        """What the turn is (act, topic, valence, asked), read against the conversation so far."""
        state = state_from(history)
        partner = people(contract, speaker).partner_name if contract else ""
        u = understand(history, message, self.classifier, partner=partner, previous_topic=state.last_topic)
        if u.after_offer and u.act == "accept" and state.last_topic:
            u = u.model_copy(update={"topic": state.last_topic})
        if BARE_YES.match(message) and not u.asked and state.last_act:  # "yes" to our question: the same story goes on
            u = u.model_copy(update={"act": state.last_act, "valence": state.last_valence or u.valence,
                                     "topic": state.last_topic or u.topic})
        if u.topic == "other" and u.act == "progress" and matching_goal(contract, speaker, message):
            u = u.model_copy(update={"topic": "goals"})  # progress on one of their own goals
        return u, state

    def decide(self, u: Understanding, state: ConversationState, message: str) -> Plan:
        """The moves of the reply (reflect, ask, affirm, answer, summarise, offer; suggest only if asked)."""
        plan = decide(u, state, message, has_ideas=has_ideas(u.topic))
        if "offer" in plan.moves:  # offer only what a yes can keep: ideas that fit this thread
            ranking = self.ranker.rank(message, context=thread(state), topics=[u.topic], used=state.used_ideas)
            if not ranking.fits or not ranking.ideas:
                return decide(u, state, message, has_ideas=False)
            plan.offered = ranking.best
        return plan

    def compose(self, u: Understanding, state: ConversationState, plan: Plan, *, message: str,
                contract: Contract | None, speaker: str, sources: list[Source],
                reviews: ReviewFacts | None = None) -> EngineReply:
        """The reply from the banks, with the record the next turn reads back."""
        composed: Composed = Composer(u, state, message=message, contract=contract, speaker=speaker, reviews=reviews,
                                      sources=sources, ranker=self.ranker).render(plan)
        record = {
            "act": u.act, "topic": u.topic, "valence": u.valence, "asked": u.asked, "rule": u.rule,
            "moves": list(plan.moves), "codes": composed.codes,
            "templates": [s.template for s in composed.sentences if s.template], "ideas": composed.ideas,
            "clause": u.clause if u.act in RECAPPED else "",  # questions and requests are not recapped
            **({"offered": offered} if (offered := plan.offered or composed.idea_ranking.get("near", ""))
               and "OF" in composed.codes else {}),
            "banks": banks.banks_version(),
            **({"idea_ranking": {**composed.idea_ranking, "bank": f"ideas.v{idea_bank().version}"}}
               if composed.idea_ranking else {}),
        }
        return EngineReply(text=composed.text, understanding=u, moves=list(plan.moves), codes=composed.codes,
                           sources=composed.sources, record=record,
                           facts=[s.text for s in composed.sentences if s.quoted])
