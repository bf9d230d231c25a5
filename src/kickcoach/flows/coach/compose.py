"""Rendering a move plan into the coach's reply, from the banks, with slots filled from the person's words,
their contract and our guidance. Every sentence carries its MITI code (SR, CR, Q, AF, GI, SU, OF, OT),
so the eval counts what was said, and no template or sentence repeats within a conversation.
"""

from __future__ import annotations

import re

from kickcoach import guard
from kickcoach.contracts.models import Contract
from kickcoach.flows.coach import bank_files as banks
from kickcoach.flows.coach import contract_facts, ideas, pair_history
from kickcoach.flows.coach.composed import Composed, Sentence, render_template
from kickcoach.flows.coach.idea_ranking import IdeaRanker
from kickcoach.flows.coach.moves import ConversationState, Plan
from kickcoach.flows.coach.pair_history import ReviewFacts
from kickcoach.flows.coach.passages import best_passage
from kickcoach.flows.coach.said import accomplishment, claimed_win, stated_value, tidy_clause, two_sides, weighed
from kickcoach.flows.coach.suggest import SuggestMoves
from kickcoach.flows.coach.understand import Understanding, feeling_and_valence, is_cheerful, is_question, topic_scores
from kickcoach.flows.coach.voice import MAX_RUN, gist, longest_run, reflect_clause, to_second_person
from kickcoach.guard import PERMISSION_OFFER
from kickcoach.guard.requests import content_words
from kickcoach.knowledge.retrieve import Source
from kickcoach.text.sentences import split_sentences

_GOAL_CLAUSE = re.compile(r"\b(?:want|would like|'d like|aim|plan|hope|intend|need|going|decided)\s+(to\s+.+)$", re.IGNORECASE)
_GOAL_IS = re.compile(r"\bgoal is\s+(to\s+.+)$", re.IGNORECASE)
# A gist that cannot follow "It sounds like" ("to bring bad news", "no idea if…", "maybe later, not now").
_NOT_A_CLAUSE = re.compile(r"^(?:no|not|nothing|to|for|with|about|if|when|because|and|but|or|like|maybe later|later|"
                           r"please|thanks|thank|let's|anything)\b", re.IGNORECASE)
_NEGATED_WANT = re.compile(r"\b(?:not|never|don't|dont|doesn't|didn't|won't|wouldn't|no longer)\b", re.IGNORECASE)
_NORMATIVE = re.compile(r"\b(?:should|ought|how often|how long|how many|how much|best way|recommended|supposed to)\b",
                        re.IGNORECASE)
# Slots said at most once per reply, so two reflections never repeat the same words.
ONCE_PER_REPLY = frozenset({"content", "content_goal", "feeling", "value", "value_thing", "side_a", "side_b", "did", "question", "points"})
_STEM = re.compile(r"^(?:It sounds like|I'm hearing|What I'm hearing|You're telling me|If I've got it right|I hear)\b")
_NEUTRAL = {"content": "this happened", "side_a": "this happened", "side_b": "that happened", "value": "this is so"}
_REFLECTING = frozenset({"SR", "CR", "AF", "Q"})  # sentences that may hand their words back (not quotes, not ideas)
SAME_WORDS = {"did", "content_goal", "side_a", "side_b", "value", "value_thing"}  # their words again under another name: "content" is spent too


_ORDER = re.compile(r"^\W*(?:please\s+)?(?:be|don't|do not|tell|give|stop|just|keep)\b", re.IGNORECASE)  # "Be honest."


class Composer(SuggestMoves):
    def __init__(self, u: Understanding, state: ConversationState, *, message: str, contract: Contract | None,
                 speaker: str, sources: list[Source], ranker: IdeaRanker | None = None,
                 reviews: ReviewFacts | None = None) -> None:
        self.u, self.state, self.message, self.contract, self.speaker = u, state, message, contract, speaker
        self.reviews = reviews  # the pair's latest weekly review: commitments and blockers
        self.sources = sources
        self.ranker = ranker  # ranks every idea against the request (idea_ranking.py); None: by topic
        self.context = " ".join(state.clauses[-2:])  # what they said before, for relevance
        self.moves = banks.moves()
        reading = u.reading or message
        who = contract_facts.people(contract, speaker) if contract else None
        # what they did that moves them forward, unless their words tell bad news (read from the words themselves)
        # (mixed news too: "Finished module 3! but joins make no sense" affirms the module; accomplishment() skips any
        # sentence that is negative, negated or a question, so a problem is never affirmed as progress)
        did = accomplishment(reading) if u.act in ("progress", "setback", "goal") \
            or feeling_and_valence(reading)[1] in ("positive", "mixed") else ""
        did = did or (claimed_win(reading) if u.act in ("progress", "setback", "goal") else "")  # "…which is a win"
        goal = contract_facts.matching_goal(contract, speaker, did)  # progress towards a goal: what they did names it
        if goal and len(content_words(did) & content_words(f"{goal.what} {goal.target}")) < 2:
            goal = None
        clause = tidy_clause(u.clause) if u.clause and not _NOT_A_CLAUSE.match(u.clause) else ""
        if u.clause and not clause:  # the best clause says nothing on its own ("you get it"): the next one that does
            clause = tidy_clause(reflect_clause(reading, keep=lambda faced: bool(tidy_clause(faced))))
        clause = clause if len(clause.split()) >= 3 else ""
        if not clause and u.act not in ("contract_question", "guidance_question", "closing", "greeting", "off_topic") \
                and len(message.split()) <= 4 and state.clauses:
            clause = state.clauses[-1]  # "yes", "it is": what they said before is what they are still talking about
        # A feeling only from their words, and not twice: "you're so tired" already says it.
        feeling = u.feeling if u.feeling and u.feeling.split()[0] not in clause.lower().split() else None
        value = stated_value(reading)
        sides = two_sides(reading, state.last_user) if u.act not in ("closing", "greeting", "off_topic") else ("", "")
        sides = (gist(sides[0], reading) or sides[0], gist(sides[1], reading) or sides[1])  # the gist, not their whole clause
        lex_topic = banks.lexicon().topics.get(u.topic)
        self.topic_heard = u.topic in topic_scores(reading) or (len(reading.split()) <= 6 and u.topic == state.last_topic)
        self.values: dict[str, str] = {
            "content": clause,
            "content_goal": gist(_goal_clause(u.clause), reading),
            "feeling": feeling or "",
            "value": value[0],
            "value_thing": value[1],
            "side_a": sides[0],
            "side_b": sides[1],
            "question": gist(u.question, reading, min_words=2) if u.question else "",
            "partner": who.partner_name if who else "",
            "name": who.my_name if who else "",
            "meeting": contract_facts.meeting_phrase(contract),
            "goal": to_second_person(contract_facts.goal_phrase(goal)) if goal else "",
            "goal_gerund": to_second_person(contract_facts.goal_gerund(goal)) if goal else "",
            "topic_phrase": _phrase_for_pair(lex_topic.phrase, who.partner_name if who else "",
                                             contract_facts.meeting_phrase(contract)) if lex_topic else "",
            "did": did,
            "points": _points(state.clauses, state.used_sentences),
            "asked_about": "",
        }
        self.faced = to_second_person(message)
        self.out = Composed()
        self.spent: set[str] = set()
        self.relaxed = False  # the opening rule gave way: nothing else could start the reply
        self.reuse = False  # the banks ran out in a long conversation: a line said before beats an empty reply

    # -- templates ------------------------------------------------------------------------------------
    def _pick(self, templates: list[str], code: str, *, extra: dict[str, str] | None = None,
              their_question: bool = False) -> bool:
        """Add the first usable template: its slots filled, not used before in the conversation, not
        repeating a once-per-reply slot, opening differently from the last reply, never cheerful to bad news,
        and (when the person did not ask) never read as a suggestion by the guard's strict detector."""
        values = {**self.values, **(extra or {})}
        opening = self.state.last_opening
        candidates = [t for t in templates if all(values.get(slot) for slot in banks.slots(t))
                      and (self.reuse or t not in self.state.used_templates) and not (banks.slots(t) & self.spent)]
        fresh = [t for t in candidates if t.split()[0].lower() != opening] or candidates
        # no reply opens like an earlier one, and no two sentences of a reply open alike
        taken = {opening_words(s.text) for s in self.out.sentences}
        if (not self.out.sentences or code == "Q") and not self.relaxed:
            taken |= self.state.openings  # and no question opens like any earlier sentence ("What would you…" again)
        for template in fresh:
            text = render_template(template, values)
            # never the same sentence, nor the same run of words, twice in a reply or a conversation (a two-sided
            # reflection may bring back what they said before: that is its point)
            sides = bool(banks.slots(template) & {"side_a", "side_b"})
            if any(_shares_run(text, s.text) for s in self.out.sentences) or not self.reuse and (
                    text in self.state.used_sentences
                    or (not sides and any(_shares_run(text, said, 6) for said in self.state.used_sentences))):
                continue
            if opening_words(text) in taken:
                continue
            if code in _REFLECTING and longest_run(to_second_person(text), self.faced) > MAX_RUN:
                continue  # their message handed back (a slot the gist did not cut: what they did, both sides)
            if self.u.valence in ("negative", "mixed") and is_cheerful(text):
                continue
            # Their own words under a listening stem are theirs ("It sounds like you might leave it till Monday"):
            # the template is judged; a sentence without a stem is judged whole.
            masked = {**values, "question": "whether it went well"} if their_question else (
                {**values, **_NEUTRAL} if _STEM.match(template) else values)
            judged = render_template(template, masked)
            if not self.u.asked and code not in ("SU", "OF") and guard.is_suggestion(judged, strict=True):
                continue  # (their own question, "whether you should have…", is theirs: the template is judged)
            self.out.sentences.append(Sentence(code, text, template))
            self.state.used_templates.add(template)
            self.spent |= banks.slots(template) & ONCE_PER_REPLY
            if self.spent & SAME_WORDS:
                self.spent |= {"content", "content_goal"}  # the same words under another name
            return True
        return False

    def render(self, plan: Plan) -> Composed:
        for move in plan.moves:
            getattr(self, f"_{move}")()
        if not self.out.sentences:  # every opening was taken: say something rather than nothing
            self.relaxed = True
            for move in plan.moves:
                getattr(self, f"_{move}")()
        if not any(s.code in ("SR", "CR", "Q", "OF", "AF", "GI", "GC", "SU") for s in self.out.sentences) \
                and self.u.act not in ("closing", "greeting", "off_topic") and "stay" not in plan.moves:
            self.relaxed = self.relaxed or not self.out.sentences
            self._question(fallback=True)  # nothing of theirs to reflect: one open question
        if not self.out.sentences:  # never an empty reply (a fifth goodbye found every closing used)
            self.relaxed = self.reuse = True
            for move in plan.moves:
                getattr(self, f"_{move}")()
            if not self.out.sentences:
                self._question(fallback=True)
        return self.out

    # -- moves ------------------------------------------------------------------------------------------
    def _reflect_complex(self) -> None:
        """The richest reflection their words support: both sides they stated, their feeling, their value;
        otherwise the gist alone (MI: an accurate simple reflection beats a wrong complex one)."""
        r = self.moves.reflections
        if self.u.act == "goal" and self._pick(r["goal"], "CR"):
            return
        if self.u.act in ("request", "accept"):
            last = self.state.clauses[-1] if self.state.clauses and not self.u.shifted else ""
            # what they said before leads in only when this request is about it (shares a content word)
            prior = {"prior": last} if last and set(content_words(last)) & set(content_words(self.message)) else {}
            subject = self.request_subject()  # what the ranked ideas are about, not a guessed topic
            if self._pick(r["feeling"], "CR") or self._pick(r["request_context"], "CR", extra=prior) \
                    or (subject != "" and self._pick(r["request"], "SR", extra={"topic_phrase": subject} if subject else None)):
                return
            if self.u.act == "accept" and self.state.clauses:
                self._pick(r["simple"], "SR", extra={"content": self.state.clauses[-1]})
            return
        if any(self._pick(r[kind], "CR") for kind in ("sides", "feeling", "meaning")):
            return
        if not self._pick(r["simple"], "SR") and not self._pick(r["feeling_only"], "SR"):
            self._news_only()

    def _news_only(self) -> None:
        """Short bad news with no clause to hand back ("hi. not a great week."): that it sounds hard, nothing more."""
        plainly = any(re.search(rf"\b{re.escape(w)}\b", self.message, re.IGNORECASE) for w in banks.lexicon().plainly_bad)
        if plainly and self.u.act == "setback" and len(self.message.split()) <= 10 \
                and "SR" not in self.out.codes and "CR" not in self.out.codes:
            self._pick(self.moves.reflections["news_only"], "SR")

    def _reflect_simple(self) -> None:
        r = self.moves.reflections
        if self.u.act == "contract_question":
            self._pick(r["contract"], "SR", extra={"asked_about": self._contract_answer().asked_about})
            return
        if self.u.act == "guidance_question" and (self._pick(r["question"], "SR") or self._pick(r["question_topic"], "SR")):
            return
        if not self._pick(r["simple"], "SR") and not self._pick(r["feeling_only"], "SR") \
                and not self._pick(r["meaning"], "CR"):
            self._news_only()

    def _weigh(self) -> None:
        """A question asking me to judge them: they are weighing it up (both sides are in the asking)."""
        j = self.moves.judgement
        reading = self.u.reading or self.message
        asked = weighed(reading if "?" in reading or not self.u.is_question else f"{reading.rstrip(' .!')}?")
        told = self.values["content"] and any(  # "is it bad that im relieved", "Was it stupid? Be honest." tell nothing
            not s.strip().endswith("?") and not is_question(s) and len(s.split()) >= 4 and not _ORDER.match(s)
            and content_words(s) & content_words(self.values["content"]) for s in split_sentences(self.message))
        if self.u.normalising and not asked and self._pick(j["weighing_normal"], "SR"):
            return
        if asked and told and self._pick(j["weighing_context"], "CR", extra={"question": asked}, their_question=True):
            return
        if asked and self._pick(j["weighing"], "CR", extra={"question": asked}, their_question=True):
            return
        if not (told and self._pick(self.moves.reflections["simple"], "SR")):  # what they told, simply
            self._pick(j["weighing_plain"], "CR")

    def _limits(self) -> None:
        self._pick(self.moves.judgement["limits"], "OT")  # what I can and cannot judge

    def _normalise(self) -> None:
        self._pick(self.moves.judgement["normal"], "AF")  # many people go through this (MI: normalising)

    def _invite(self) -> None:
        self._pick(self.moves.invite, "OT")

    def _affirm(self) -> None:
        # only what they did that moves them forward, in their words, from a sentence that is not bad news ("I did a
        # run-through and blanked completely" is no progress to them; "Sent it! No reply yet" is a step): see above
        if not self.values["did"]:
            return
        a = self.moves.affirmations
        if self._pick(a["progress"], "AF") and self.values["goal_gerund"]:
            self._pick(a["goal_link"], "AF")

    def _summary(self) -> None:
        self._pick(self.moves.summaries, "CR")

    def _question(self, fallback: bool = False) -> None:
        q = self.moves.questions
        if self.u.act in ("greeting", "off_topic"):
            self._pick(q.by_act[self.u.act], "Q")
            return
        if self.u.asked and {"SU", "Q", "OF"} & set(self.out.codes):  # ideas given, or no fit and a focusing question
            if self.out.ideas:
                self._pick(self.moves.suggestions["follow_up"], "Q")
            return
        if self.u.judgement and self._pick(self.moves.judgement["question"], "Q"):
            return
        # a topic's own questions only when their words name the topic (a guessed topic asks the wrong thing)
        by_act = q.by_act.get(self.u.act, []) if self.u.act != "progress" or self.values["did"] else []  # no "what made the difference" to a problem
        fits_act = self.u.act in q.topic_acts.get(self.u.topic, [self.u.act])
        pools = [q.by_topic.get(self.u.topic, []) if self.topic_heard and fits_act else [], by_act, q.by_act["any"]]
        if fallback:
            pools.append(q.by_act["fallback"])
        any(self._pick(pool, "Q") for pool in pools)

    def _offer(self) -> None:
        if not self._pick(self.moves.offers, "OF") and PERMISSION_OFFER not in self.state.used_sentences:
            self.out.sentences.append(Sentence("OF", PERMISSION_OFFER))

    def _acknowledge_decline(self) -> None:
        self._pick(self.moves.reflections["decline"], "SR")  # reflects the decline itself

    def _greet(self) -> None:
        self._pick(self.moves.greetings, "OT")

    def _stay(self) -> None:
        if self.state.help_category not in ("medical_emergency", "harm_to_others"):
            self._pick(self.moves.after_help, "OT")
            return
        # never "there's no rush" to chest pain; help, not a coaching suggestion, so the advice filter does not apply
        lines = self.moves.after_help_urgent
        line = next((t for t in lines if t not in self.state.used_sentences), lines[0])
        self.out.sentences.append(Sentence("OT", line, line))

    def _close(self) -> None:
        self._pick(self.moves.closings, "OT")

    def _boundary(self) -> None:
        kind = "injection" if self.u.rule == "injection" else "other"
        self._pick(self.moves.off_topic[kind], "OT")

    def _contract_answer(self) -> contract_facts.ContractAnswer:
        if self.contract is None:
            return contract_facts.ContractAnswer([self.moves.answers["contract_missing"][0]], [], "your contract")
        partner = contract_facts.people(self.contract, self.speaker).partner_name
        from_review = pair_history.answer(self.reviews, self.message, self.speaker, self.moves.answers, partner)
        if from_review is not None:  # what they committed to, what blocked them: from the last weekly review
            return contract_facts.ContractAnswer(from_review[0], from_review[1], "your last review")
        question = self.message
        if re.search(r"\b(?:it|that|this|them)\b", question, re.IGNORECASE) and len(question.split()) <= 14:
            question = f"{self.state.last_user} {question}"  # "what did we agree about it?": it = the last topic
        return contract_facts.answer(self.contract, question, self.speaker)

    def _answer_contract(self) -> None:
        answer = self._contract_answer()
        listed = len(answer.sentences) > 1 and answer.sentences[0].endswith(":")
        # GC: information quoted from the pair's own contract (their agreed words, not the coach's advice)
        self.out.sentences += [Sentence("GC", s, bullet=listed and i > 0, quoted=True)
                               for i, s in enumerate(answer.sentences)]
        self.out.sources += answer.sources

    def _answer_guidance(self) -> None:
        # "How often should we meet?" asks for the guidance's recommendation: its answer is information
        # the person requested, so a recommendation-shaped sentence may answer it (coded GI, never SU).
        normative = bool(_NORMATIVE.search(self.message))
        passage = best_passage(self.message, self.sources, asked=self.u.asked or normative)
        if passage is None:
            self._pick(self.moves.answers["no_passage"], "OT")
            self._pick(self.moves.answers["no_passage_question"], "Q")
            return
        source, sentence = passage
        intro = self.moves.answers["guidance_intro"]
        template = next((t for t in intro if t not in self.state.used_templates), intro[0])
        self.state.used_templates.add(template)
        self.out.sentences.append(Sentence("GI", f"{template} “{sentence}” ({source.citation()})", template,
                                           quoted=True))
        self.out.sources.append(source)

def _goal_clause(clause: str) -> str:
    """ "to present by March" from "you want to present by March"; "" when the want is negated ("you don't want
    to look like a quitter" is no goal to look like one)."""
    for pattern in (_GOAL_IS, _GOAL_CLAUSE):
        if (match := pattern.search(clause)) and not _NEGATED_WANT.search(clause[: match.start(1)]):
            return match.group(1)
    return ""


def _shares_run(text: str, other: str, run: int = 5) -> bool:
    """Whether two sentences share ``run`` consecutive words ("That's real progress: you got the case in. You got
    the case in, and …")."""
    a, b = (re.findall(r"[a-z0-9']+", t.lower()) for t in (text, other))
    grams = {tuple(b[i:i + run]) for i in range(len(b) - run + 1)}
    return text == other or any(tuple(a[i:i + run]) in grams for i in range(len(a) - run + 1))


def opening_words(text: str) -> str:
    """The first three words of a sentence, lower-case, for "no two replies open alike"."""
    return " ".join(re.findall(r"[a-z0-9']+", text.lower().replace("’", "'"))[:3])


def _points(clauses: list[str], said: set[str]) -> str:
    """The last few things they said that no earlier reply already reflected: a summary that re-lists earlier
    reflections reads as the coach repeating itself (the blind reader counted it so)."""
    said_lower = [s.lower() for s in said]
    tidy = [t for t in (tidy_clause(c) for c in clauses) if len(t.split()) >= 3]
    recent = [c for c in tidy if not any(c.lower() in s for s in said_lower)][-3:]
    if len(recent) < 2:
        return ""
    return ", ".join(recent[:-1]) + f", and {recent[-1]}"


def _phrase_for_pair(phrase: str, partner: str, meeting: str) -> str:
    """A topic phrase that names the partner ("how things are with Tom"), still lower-case where it was."""
    adapted = ideas.adapt(phrase, partner, meeting)
    return adapted[:1].lower() + adapted[1:] if phrase[:1].islower() else adapted
