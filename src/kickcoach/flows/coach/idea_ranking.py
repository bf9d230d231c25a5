"""Which of our guidance's ideas answer *this* request: every idea ranked against the request and its thread.

Every "What can help with …" bullet (:func:`ideas.all_ideas`) is embedded once with the app's own encoder
(the bundled MiniLM, or the hashing vectors of the unit tests); each guidance file is embedded too, by what it is
about: its title, first question and first paragraph (``Idea.lead``).
The vectors are cached under the data home, keyed by the encoder and the ideas' text, so a warm turn costs one
query embedding (shared with retrieval and the turn classifier) and one small matrix product.

A request is embedded together with the thread before it: the earlier message weighs more when the request
itself says little ("Where do I even start?"). Each file's fit is

    mean similarity(request, its TOP_IDEAS best ideas) + FILE_WEIGHT × similarity(request, what the file is about)
        + LEXICAL_WEIGHT × TF-IDF match of the request's and thread's words with the file's text (idea_words.py)
        + TOPIC_BONUS if the file serves the classified topic

so the classifier's topic is one signal, never a gate. The ideas of the best-fitting file are quoted, best first
(the next file fills in when it has run out). When the best fit is under the encoder's no-fit threshold, nothing is
quoted: the coach says it has no guidance on exactly this and asks one focusing question, from the versioned
``banks/ideas.yaml``. Ideas that answer another question fail the person; an honest "no guidance on exactly this"
does not, so the weights and threshold were chosen (``scripts/tune_idea_ranking.py`` on both tuning sets,
``evals/tuning/idea_requests.yaml`` and the in-conversation ``idea_requests_2.yaml``) to make wrong ideas rare, at
the cost of saying "no guidance" to some requests a file does answer; pinned in tests/integration/test_idea_ranking.py.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, Field

from kickcoach.core.cache_files import save_array
from kickcoach.flows.coach import bank_files as banks
from kickcoach.flows.coach.idea_words import FileWords
from kickcoach.flows.coach.ideas import Idea, all_ideas, file_texts
from kickcoach.guard.requests import content_words
from kickcoach.text.words import CHAT_WORDS, content_tokens

if TYPE_CHECKING:
    from langchain_core.embeddings import Embeddings

# Under this fit, nothing in our guidance answers the request. Chosen on evals/tuning/idea_requests.yaml
# (scripts/tune_idea_ranking.py --sweep-only prints the sweep; pinned in tests/integration/test_idea_ranking.py).
# The hashing vectors (bags of words, for unit tests and the model-free mode) cannot tell the two apart: their
# best score is at 0.15 and below, so they nearly always quote the nearest ideas; they take no lexical term
# (they are lexical already).
NO_FIT = {"minilm": 0.75, "hashing": 0.15}
# Under NO_FIT but at least this, the nearest file is offered by name, not quoted ("The nearest I have is on
# delegating: would you like some ideas from it?"), and a yes quotes it. On the three tuning sets (354 requests) 70
# fall in [0.65, 0.75): the nearest file answers 38 (54%), 5 have no answer in our guidance; from 0.6 it is 54 of
# 105, from 0.55 68 of 139 (49%); a margin over the second file does not sort them better. A wrong offer costs a
# "no"; the stock focusing question it replaces helps nobody. Pinned in tests/integration/test_idea_ranking.py.
NEAR: dict[str, float | None] = {"minilm": 0.65, "hashing": None}  # bags of words: no band (see NO_FIT)
TOP_IDEAS = 3  # a file fits by its best few ideas, not one lucky sentence
# How much what the file is about counts beside its ideas, and the thread beside a request of fewer than VAGUE_WORDS
# content words ("go on then"), per encoder: the MiniLM values were chosen with the threshold; the hashing vectors
# (unit tests, model-free mode) keep the values their own eval was tuned with.
FILE_WEIGHT = {"minilm": 0.5, "hashing": 1.0}
LEXICAL_WEIGHT = 1.0  # the TF-IDF match of the request's and thread's words with the file's text (not for hashing)
TOPIC_BONUS = 0.05  # the classified topic agrees with the file's <!-- topics --> line
CONTEXT_WEIGHT = 0.35  # the thread, beside a request that says what it is about
CONTEXT_WEIGHT_VAGUE = {"minilm": 2.0, "hashing": 1.0}
VAGUE_WORDS = 4
LIMIT = 3


class IdeaBank(BaseModel):
    """``banks/ideas.yaml``: what the coach says when no idea fits."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    version: int
    no_fit: list[str] = Field(min_length=1)
    again: list[str] = Field(min_length=1)
    again_focus: list[str] = Field(min_length=1)
    exhausted: list[str] = Field(min_length=1)
    focus: list[str] = Field(min_length=1)


@cache
def idea_bank() -> IdeaBank:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return IdeaBank.model_validate(yaml.load((banks.BANK_DIR / "ideas.yaml").read_text(encoding="utf-8"), Loader=loader))


def subject(idea: Idea) -> str:
    """What an idea's section is about: "What can help with public speaking" → "public speaking"."""
    heading = idea.source.heading.split(" › ")[-1]
    lead = "what can help with "
    return heading[len(lead):].strip() if heading.lower().startswith(lead) else heading


def file_subject(file: str, pool: Sequence[Idea]) -> str:
    """What a guidance file's ideas are about ("delegating"), from its "What can help with …" heading."""
    return next((subject(i) for i in pool if i.source.source == file), "")


def title(idea: Idea) -> str:
    return idea.source.heading.split(" › ")[0]


@dataclass
class Ranking:
    """The ranking of one request: the ideas to quote (best first), or none when nothing fits."""

    ideas: list[Idea]
    fit: float  # the best file's fit
    threshold: float
    best: str  # the best-fitting file
    files: list[tuple[str, float]] = field(default_factory=list)  # every file, best first, with its fit
    near_threshold: float = 1.0

    @property
    def fits(self) -> bool:
        return self.fit >= self.threshold

    @property
    def near(self) -> bool:
        """Nothing fits well enough to quote, but the best file is near enough to offer by name."""
        return not self.fits and self.fit >= self.near_threshold and bool(self.best)

    @property
    def exhausted(self) -> bool:
        """Guidance fits, but every fitting idea was given earlier in the conversation."""
        return self.fits and not self.ideas

    @property
    def subject(self) -> str:
        return subject(self.ideas[0]) if self.ideas else ""


_VECTORS: dict[tuple[str, str], np.ndarray] = {}
_VECTORS_LOCK = threading.Lock()


class IdeaRanker:
    """Every idea of ``pool`` (default: all of our guidance's) against a request, under ``embeddings``."""

    def __init__(self, embeddings: Embeddings, cache_dir: Path | None = None,
                 pool: Sequence[Idea] | None = None, threshold: float | None = None) -> None:
        self.embeddings = embeddings
        self.cache_dir = cache_dir
        self.pool: tuple[Idea, ...] = tuple(pool) if pool is not None else all_ideas()
        self.kind = str(getattr(embeddings, "name", type(embeddings).__name__))
        self.threshold = threshold if threshold is not None else NO_FIT.get(self.kind, NO_FIT["minilm"])
        near = NEAR.get(self.kind, NEAR["minilm"])
        self.near = min(self.threshold, near) if near is not None else self.threshold
        self.files: list[str] = list(dict.fromkeys(i.source.source for i in self.pool))
        self._file_of = np.array([self.files.index(i.source.source) for i in self.pool], dtype=np.int64)
        first = {f: next(i for i in self.pool if i.source.source == f) for f in self.files}
        self._idea_texts = [self._text(i.text) for i in self.pool]
        self._file_texts = [self._text(first[f].lead or title(first[f])) for f in self.files]
        self._file_topics = [set(first[f].topics) - {"other"} for f in self.files]
        known = file_texts()
        texts = {f: known.get(f) or " ".join([first[f].lead, *(i.text for i in self.pool if i.source.source == f)])
                 for f in self.files}
        self._words = FileWords(self.files, texts) if self.kind != "hashing" else None

    # -- vectors ----------------------------------------------------------------------------------
    def _text(self, text: str) -> str:
        """What is embedded: the text itself for a sentence encoder; for the hashing vectors (bags of words),
        its topic words only, so "for" and "any ideas" match nothing."""
        if self.kind != "hashing":
            return text
        return " ".join(w for w in content_tokens(text) if w.lower() not in CHAT_WORDS)

    def _digest(self) -> str:
        return hashlib.sha256("\n".join([*self._idea_texts, "--", *self._file_texts]).encode()).hexdigest()[:16]

    @property
    def matrix(self) -> np.ndarray:
        """Unit vectors: one row per idea, then one per file (embedded once; cached in memory and on disk)."""
        key = (self.kind, self._digest())
        with _VECTORS_LOCK:
            if key in _VECTORS:
                return _VECTORS[key]
        path = self.cache_dir / f"ideas-{self.kind}-{key[1]}.npy" if self.cache_dir is not None else None
        if path is not None and path.is_file():
            matrix = np.load(path)
        else:
            texts = self._idea_texts + self._file_texts
            matrix = _unit(np.asarray(self.embeddings.embed_documents(texts), dtype=np.float32).reshape(len(texts), -1))
            if path is not None:
                save_array(path, matrix)  # atomic: a half-written file is never loaded
        with _VECTORS_LOCK:
            _VECTORS[key] = matrix
        return matrix

    def query(self, message: str, context: str = "") -> np.ndarray:
        """The request's vector, with the thread before it mixed in (more when the request says little)."""
        vector = _unit(np.asarray(self.embeddings.embed_query(self._text(message)), dtype=np.float32))
        if context.strip():
            vague = CONTEXT_WEIGHT_VAGUE.get(self.kind, CONTEXT_WEIGHT_VAGUE["minilm"])
            weight = vague if len(content_words(message)) < VAGUE_WORDS else CONTEXT_WEIGHT
            thread = self.embeddings.embed_query(self._text(context))
            vector = _unit(vector + weight * _unit(np.asarray(thread, dtype=np.float32)))
        return vector

    # -- ranking ----------------------------------------------------------------------------------
    def scores(self, message: str, context: str = "", topics: Iterable[str] = ()) -> tuple[np.ndarray, np.ndarray]:
        """(per-idea scores, per-file fits) for a request."""
        if not self.pool:
            return np.zeros(0, dtype=np.float32), np.zeros(0, dtype=np.float32)
        sims = self.matrix @ self.query(message, context)
        idea_sims, file_sims = sims[: len(self.pool)], sims[len(self.pool) :]
        wanted = set(topics) - {"other"}
        bonus = np.array([TOPIC_BONUS if wanted & t else 0.0 for t in self._file_topics], dtype=np.float32)
        per_file = FILE_WEIGHT.get(self.kind, FILE_WEIGHT["minilm"]) * file_sims + bonus
        if self._words is not None:
            per_file = per_file + LEXICAL_WEIGHT * self._words.match(f"{message} {context}")
        fits = np.array([np.sort(idea_sims[self._file_of == f])[::-1][:TOP_IDEAS].mean()
                         for f in range(len(self.files))], dtype=np.float32) + per_file
        scores = idea_sims + per_file[self._file_of]
        return scores, fits.astype(np.float32)

    def rank(self, message: str, *, context: str = "", topics: Iterable[str] = (), used: Iterable[str] = (),
             limit: int = LIMIT, prefer: str = "") -> Ranking:
        """Up to ``limit`` ideas that answer ``message`` (none already given), best file first; none when the
        best fit is under the threshold, unless ``prefer`` names the file an accepted offer was made for (its
        ideas, best first: the offer was checked against the threshold when it was made)."""
        scores, fits = self.scores(message, context, topics)
        if not len(fits):
            return Ranking([], 0.0, self.threshold, "")
        order = [int(f) for f in np.argsort(-fits, kind="stable")]
        files = [(self.files[f], float(fits[f])) for f in order]
        ranking = Ranking([], float(fits[order[0]]), self.threshold, self.files[order[0]], files=files, near_threshold=self.near)
        done = set(used)
        if not ranking.fits and prefer in self.files:
            f = self.files.index(prefer)
            mine = sorted((i for i in range(len(self.pool)) if self._file_of[i] == f and self.pool[i].text not in done),
                          key=lambda i: -scores[i])
            ranking.ideas, ranking.best = [self.pool[i] for i in mine[:limit]], prefer
            return ranking
        if not ranking.fits:
            return ranking
        for f in order:
            if fits[f] < self.threshold or len(ranking.ideas) >= limit:
                break
            mine = sorted((i for i in range(len(self.pool)) if self._file_of[i] == f and self.pool[i].text not in done),
                          key=lambda i: -scores[i])
            ranking.ideas += [self.pool[i] for i in mine[: limit - len(ranking.ideas)]]
        return ranking


def _unit(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return (vectors / np.where(norms == 0, 1.0, norms)).astype(np.float32)


_RANKERS: dict[tuple[int, str], IdeaRanker] = {}


def ranker_for(embeddings: Embeddings, cache_dir: Path | None = None) -> IdeaRanker:
    """One ranker per embeddings object and cache folder in a process (its vectors are computed once)."""
    key = (id(embeddings), str(cache_dir))
    ranker = _RANKERS.get(key)
    if ranker is None or ranker.embeddings is not embeddings or ranker.pool != all_ideas():
        ranker = _RANKERS[key] = IdeaRanker(embeddings, cache_dir)
    return ranker


def no_fit_reply(used_sentences: set[str], *, exhausted: bool = False) -> tuple[str, str]:
    """The honest "I don't have guidance on exactly this" (or, ``exhausted``, "that's all our guidance has") and one
    focusing question, fresh in this conversation."""
    bank = idea_bank()
    if not exhausted and used_sentences & set(bank.no_fit):  # asked again after "no guidance": say it differently
        return bank.again[0], next((q for q in bank.again_focus if q not in used_sentences), bank.again_focus[0])
    said = bank.exhausted if exhausted else bank.no_fit
    say = next((s for s in said if s not in used_sentences), said[0])
    ask = next((q for q in bank.focus if q not in used_sentences), bank.focus[0])
    return say, ask
