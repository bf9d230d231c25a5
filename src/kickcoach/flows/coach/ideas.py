"""Suggestions for a person who asked: the bullets of our guidance's "What can help with …" sections.

Each guidance file names the coach topics it serves in a ``<!-- topics: a, b -->`` line; its "What can
help" section lists concrete suggestions, one per bullet, written to be quoted alone. The coach quotes two
or three of them, best fit to the person's words first, adapted to the pair (partner's name, agreed
meeting) and cited with the section. When no section serves the topic, suggestion sentences of the
retrieved passages are used instead (never invented ones).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from kickcoach import guard
from kickcoach.core.paths import bundled
from kickcoach.flows.coach import bank_files as banks
from kickcoach.guard.requests import content_words
from kickcoach.knowledge.ingest import guidance_chunks
from kickcoach.knowledge.retrieve import Source

_TOPICS = re.compile(r"<!--\s*topics:\s*([^>]*?)\s*-->", re.IGNORECASE)
_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+(.+?)\s*$", re.MULTILINE)
HELP_HEADING = re.compile(r"^what can help\b", re.IGNORECASE)


@dataclass(frozen=True)
class Idea:
    text: str
    topics: tuple[str, ...]
    source: Source
    lead: str = ""  # what its file is about: the title, first question and first paragraph (for ranking)

    @property
    def citation(self) -> str:
        return self.source.citation()


def _file_topics(path: Path) -> tuple[str, ...]:
    match = _TOPICS.search(path.read_text(encoding="utf-8"))
    if not match:
        return ()
    return tuple(t.strip() for t in match.group(1).split(",") if t.strip() in banks.TOPICS)


@cache
def all_ideas(directory: Path | None = None) -> tuple[Idea, ...]:
    directory = directory or bundled("knowledge")
    topics = {path.name: _file_topics(path) for path in sorted(directory.glob("*.md"))}
    ideas: list[Idea] = []
    leads: dict[str, str] = {}
    for chunk in guidance_chunks(directory):
        if " › " in chunk.heading and chunk.source not in leads:  # the file's first section: what it is about
            leads[chunk.source] = f"{chunk.heading.replace(' › ', '. ')} {chunk.text.split(chr(10) * 2)[0]}"
        if not HELP_HEADING.match(chunk.heading.split(" › ")[-1]):
            continue
        source = Source(id=chunk.id, kind="guidance", source=chunk.source, heading=chunk.heading,
                        text=chunk.text, score=1.0)
        for bullet in _BULLET.findall(chunk.text):
            text = bullet.replace("**", "").strip()
            if 5 <= len(text.split()) <= 40:
                ideas.append(Idea(text=text if text.endswith((".", "!")) else text + ".",
                                  topics=topics.get(chunk.source, ()), source=source,
                                  lead=leads.get(chunk.source, chunk.heading.split(" › ")[0])))
    return tuple(ideas)


@cache
def file_texts(directory: Path | None = None) -> dict[str, str]:
    """Each guidance file's whole text (its headings and sections), by file name: what the lexical ranking reads."""
    texts: dict[str, list[str]] = {}
    for chunk in guidance_chunks(directory or bundled("knowledge")):
        texts.setdefault(chunk.source, []).append(f"{chunk.heading.replace(' › ', '. ')}\n{chunk.text}")
    return {source: "\n\n".join(parts) for source, parts in texts.items()}


def adapt(text: str, partner: str, meeting: str) -> str:
    """Make a guidance bullet speak about this pair: "your partner" → "Tom", "your meeting" → "your Thursday meeting"."""
    for pattern, replacement in banks.moves().adapt:
        if "{partner}" in replacement and not partner:
            continue
        text = re.sub(pattern, replacement.format(partner=partner, meeting=meeting), text, flags=re.IGNORECASE)
    return text[:1].upper() + text[1:]


def choose(topics: list[str], message: str, *, used: set[str], sources: list[Source], limit: int = 3) -> list[Idea]:
    """Up to ``limit`` ideas for the first of ``topics`` that has any (then the others), best match to
    ``message`` first, none already given in this conversation."""
    wanted = content_words(message)
    retrieved = {s.id for s in sources}
    order = {topic: rank for rank, topic in reversed(list(enumerate(topics)))}
    pool = [i for i in all_ideas() if set(i.topics) & set(topics) and i.text not in used]
    if len(pool) < 2:  # no section serves these topics: try the sections retrieval found
        pool += [i for i in all_ideas() if i.source.id in retrieved and i.text not in used and i not in pool]

    def rank(idea: Idea) -> tuple[int, int, int, int]:
        topic_rank = min((order[t] for t in idea.topics if t in order), default=len(topics))
        return topic_rank, -len(wanted & content_words(idea.text)), -(idea.source.id in retrieved), all_ideas().index(idea)

    return sorted(pool, key=rank)[:limit]


def from_passages(sources: list[Source], *, used: set[str], limit: int = 3, about: str = "") -> list[Idea]:
    """Suggestion sentences of the retrieved guidance passages: the fallback when no section fits.

    Only sentences that share a content word with ``about`` (the person's words) are taken: a passage
    retrieval ranked first can still be beside the point, and an unrelated idea is worse than none."""
    wanted = content_words(about)
    ideas: list[Idea] = []
    for source in sources:
        if source.kind != "guidance":
            continue
        for sentence in guard.split_sentences(source.text):
            clean = sentence.strip().lstrip("-*• ").replace("**", "").strip()
            balanced = clean.count('"') % 2 == 0 and clean.count("“") == clean.count("”")
            if 6 <= len(clean.split()) <= 40 and not clean.endswith(":") and clean not in used and balanced \
                    and guard.is_suggestion(clean) and (not wanted or wanted & content_words(clean)):
                ideas.append(Idea(text=clean, topics=(), source=source))
            if len(ideas) >= limit:
                return ideas
    return ideas
