"""The sentence of a guidance passage that answers a question (our sections put the answer first)."""

from __future__ import annotations

from kickcoach import guard
from kickcoach.flows.coach.ideas import HELP_HEADING
from kickcoach.guard.requests import content_words
from kickcoach.knowledge.retrieve import Source

QUOTE_WORDS = 60
ANSWER_WORDS = 45  # the quoted answer sentence, cut here
HEADING_WORDS = 2  # a passage whose heading shares this many of the question's words answers it, whatever its wording


def key_passages(question: str, sources: list[Source], asked: bool) -> tuple[list[str], Source | None]:
    """Sentences of the passage that best fits the question, best first, for a quoted answer.

    Suggestion sentences are skipped unless the person asked, so a quote never breaks the house rule.
    """
    if not sources:
        return [], None
    wanted = content_words(question)
    # The passage whose heading best matches the question (our headings are the questions they answer);
    # retrieval rank breaks ties.
    top = max(sources, key=lambda s: (len(wanted & content_words(s.heading)), -sources.index(s)))
    scored = []
    for index, sentence in enumerate(guard.split_sentences(top.text)):
        clean = sentence.strip().lstrip("-*• ").strip()
        if len(clean.split()) < 5 or clean.endswith(":") or (not asked and guard.is_suggestion(clean, strict=True)):
            continue
        words = clean.split()
        clean = " ".join(words[:QUOTE_WORDS]) + ("…" if len(words) > QUOTE_WORDS else "")
        # Our guidance puts each section's answer first, so the opening sentence gets a head start.
        scored.append((len(wanted & content_words(clean)) + (index == 0), -index, clean))
    return [text for *_, text in sorted(scored, reverse=True)], top


def best_passage(question: str, sources: list[Source], *, asked: bool) -> tuple[Source, str] | None:
    """The guidance passage that answers ``question`` and its answer sentence (our sections answer first)."""
    guidance = [s for s in sources if s.kind == "guidance"
                and (asked or not HELP_HEADING.match(s.heading.split(" › ")[-1]))]  # idea lists answer requests
    while guidance:  # the best-fitting passage first; the next one when it has no sentence to quote
        candidates, top = key_passages(question, guidance, asked)
        if top is None:
            return None
        if candidates:
            break
        guidance.remove(top)
    else:
        return None
    sentence = candidates[0]
    wanted = content_words(question)
    if not wanted & content_words(sentence) and len(wanted & content_words(top.heading)) < HEADING_WORDS:
        return None  # a sentence about something else is no answer: better the honest "not in our guidance"
    words = sentence.split()
    if len(words) > ANSWER_WORDS:
        sentence = " ".join(words[:ANSWER_WORDS]) + "…"
    return top, sentence.replace("**", "")
