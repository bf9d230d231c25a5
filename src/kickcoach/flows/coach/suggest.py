"""The suggest move: the ideas a person asked for, ranked against their request (or, without a ranker, chosen
by topic), introduced with what they are about; or, when nothing fits, the honest "no guidance" and one question."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kickcoach.flows.coach import ideas
from kickcoach.flows.coach.composed import Composed, Sentence, render_template
from kickcoach.flows.coach.idea_ranking import IdeaRanker, Ranking, file_subject, no_fit_reply
from kickcoach.flows.coach.understand import topic_scores

if TYPE_CHECKING:
    from kickcoach.flows.coach.bank_files import Moves
    from kickcoach.flows.coach.moves import ConversationState
    from kickcoach.flows.coach.understand import Understanding
    from kickcoach.knowledge.retrieve import Source


def thread(state: ConversationState) -> str:
    """What the person said just before, for ranking ideas against a request (and against an offer's topic)."""
    return " ".join(dict.fromkeys(c for c in [*state.clauses[-2:], state.last_user] if c))


class SuggestMoves:
    """Mixed into the composer: it provides the state below and ``_pick``."""

    u: Understanding
    state: ConversationState
    message: str
    context: str
    sources: list[Source]
    ranker: IdeaRanker | None
    moves: Moves
    values: dict[str, str]
    out: Composed
    _ranked: Ranking | None = None

    def _pick(self, templates: list[str], code: str, *, extra: dict[str, str] | None = None,
              their_question: bool = False) -> bool:
        raise NotImplementedError

    def _suggest(self) -> None:
        partner, meeting = self.values["partner"], self.values["meeting"]
        if self.ranker is not None:
            chosen = self._ranked_ideas()
            if chosen is None:
                return
        else:
            heard = [t for t, _ in sorted(topic_scores(self.message).items(), key=lambda kv: -kv[1])]
            topics = list(dict.fromkeys([self.u.topic, *heard, *([self.state.last_topic] if self.state.last_topic else [])]))
            chosen = ideas.choose(topics, f"{self.message} {self.context}", used=self.state.used_ideas,
                                  sources=self.sources)
            if len(chosen) < 2:
                chosen += ideas.from_passages(self.sources, used=self.state.used_ideas | {i.text for i in chosen},
                                              limit=3 - len(chosen), about=f"{self.message} {self.context}")
        if not chosen:
            self._pick(self.moves.suggestions["none"], "OT")
            return
        subject = {"topic_phrase": self.out.idea_ranking["subject"]} if self.out.idea_ranking.get("subject") else None
        named = subject and any(subject["topic_phrase"] in s.text for s in self.out.sentences)  # said it already
        intro = self.moves.suggestions["intro" if (subject or self.values["topic_phrase"]) and not named
                                       else "intro_general"]
        if not self._pick(intro, "OT", extra=subject):
            self.out.sentences.append(Sentence("OT", render_template(intro[0], {**self.values, **(subject or {})})))
        for idea in chosen[:3]:
            self.out.sentences.append(Sentence("SU", f"{ideas.adapt(idea.text, partner, meeting)} ({idea.citation})",
                                               bullet=True))
            self.out.ideas.append(idea.text)
            if idea.source not in self.out.sources:
                self.out.sources.append(idea.source)

    def _ranked_ideas(self) -> list[ideas.Idea] | None:
        """The ideas that answer this request and its thread; None (after saying so and asking one focusing
        question) when nothing in our guidance fits well enough."""
        ranking = self._ranking()
        assert ranking is not None
        self.out.idea_ranking = {"fit": round(ranking.fit, 3), "threshold": ranking.threshold, "best": ranking.best,
                                 "subject": ranking.subject}
        if ranking.ideas:
            return ranking.ideas
        say, ask = no_fit_reply(self.state.used_sentences, exhausted=ranking.exhausted)
        about = file_subject(ranking.best, self.ranker.pool) if ranking.near and self.ranker is not None else ""
        if about and ranking.best != self.state.offered_file:  # the nearest guidance, offered by name (once)
            self.out.idea_ranking["near"] = ranking.best
            if self._pick(self.moves.suggestions["near"], "OF", extra={"near_subject": about}):
                return None
        self.out.sentences += [Sentence("OT", say), Sentence("Q", ask)]
        return None

    def _ranking(self) -> Ranking | None:
        """Every idea ranked against this request and its thread, once per turn (None without a ranker); a yes to
        our offer quotes the file the offer was made for, so an offer is never followed by "no guidance"."""
        if self.ranker is not None and self._ranked is None:
            prefer = self.state.offered_file if self.u.act == "accept" else ""
            self._ranked = self.ranker.rank(self.message, context=thread(self.state), topics=[self.u.topic],
                                            used=self.state.used_ideas, prefer=prefer)
        return self._ranked

    def request_subject(self) -> str | None:
        """What the request is about, as the ranking found it ("public speaking"): the reflection of a request
        names this, never the classified topic the ideas may not be about. "" when no idea fits (name none);
        None without a ranker (the topic phrase stands)."""
        ranking = self._ranking()
        if ranking is None:
            return None
        return ranking.subject if ranking.fits else ""
