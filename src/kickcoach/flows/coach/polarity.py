"""How good or bad the news in a turn is, clause by clause: features the turn classifier's heads learn from.

A sentence embedding (MiniLM) hears what a turn is about better than which way it points: "Tom hasn't cancelled
once this month" sits next to the turns where Tom cancelled, and "Oh fantastic, another reorg" next to good news.
So the act and valence heads also see a few numbers read here, and learn their weights from the labelled examples:

- VADER (``vaderSentiment``, a maintained rule-based sentiment reader: a lexicon with negation, intensifiers,
  "but", capitals, emoticons and slang) over the whole turn and over each clause;
- the lexicon's good- and bad-news events (``bad_news``/``good_news``) read with their negation scope: a negator
  up to three words before an event turns it round ("didn't miss a single session" is good news);
- mixed news: a clearly good clause and a clearly bad one in the same turn ("sent it! but no reply");
- sarcasm: the lexicon's ``sarcasm`` cues ("oh great,", "love that for me", "just what I needed") said over
  bad news.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import numpy as np

from kickcoach.flows.coach import bank_files as banks

VERSION = 1  # bump when the features change: the cached heads are keyed by it
CLEAR = 0.25  # a clause this far from 0 (VADER compound plus events) is clearly good or bad news
NEGATION_WINDOW = 3  # words before an event in which a negator turns it round
NAMES = ("compound", "best_clause", "worst_clause", "mixed", "bad_events", "good_events", "negated_bad",
         "sarcasm_cue", "sarcasm_over_bad")
_CLAUSE_SPLIT = re.compile(
    r"[.!?;:]+\s*|\s*[,—–-]?\s+\b(?:but|though|tho|although|however|yet|except|whereas|even though|even if|"
    r"still|mind you|then again)\b\s*,?\s*|,\s+(?=(?:which|and then|only|sadly|unfortunately|luckily)\b)",
    re.IGNORECASE)
_WORD = re.compile(r"[a-z']+")


@cache
def _analyser() -> Any:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


@cache
def _events() -> tuple[list[re.Pattern[str]], list[re.Pattern[str]], list[re.Pattern[str]], frozenset[str]]:
    lex = banks.lexicon()
    compiled = [[re.compile(p, re.IGNORECASE) for p in group] for group in (lex.bad_news, lex.good_news, lex.sarcasm)]
    return compiled[0], compiled[1], compiled[2], frozenset(n.lower() for n in lex.negators)


def _normal(text: str) -> str:
    return text.replace("’", "'").replace("‘", "'")


def clauses(text: str) -> list[str]:
    """``text`` cut where the news may turn: sentence ends and contrast words ("but", "though", "still")."""
    return [c.strip() for c in _CLAUSE_SPLIT.split(_normal(text)) if c and len(c.strip()) > 1]


def _negated(text: str, start: int) -> bool:
    before = _WORD.findall(text[:start].lower())[-NEGATION_WINDOW:]
    negators = _events()[3]
    return any(w in negators or w.endswith("n't") or w in ("didnt", "hasnt", "havent", "wasnt", "dont", "cant")
               for w in before)


def events(text: str) -> tuple[int, int, int]:
    """(bad-news events, good-news events, bad-news events negated) in ``text``: "didn't miss" counts as
    a negated bad event, and as good news."""
    bad_patterns, good_patterns, _, _ = _events()
    text = _normal(text)
    bad = good = negated = 0
    for pattern in bad_patterns:
        for match in pattern.finditer(text):
            if _negated(text, match.start()):
                negated += 1
            else:
                bad += 1
    for pattern in good_patterns:
        good += sum(1 for m in pattern.finditer(text) if not _negated(text, m.start()))
    return bad, good, negated


def clause_score(clause: str) -> float:
    """VADER's compound score for ``clause`` moved by its news events (each worth a quarter), within ±1."""
    bad, good, negated = events(clause)
    score = _analyser().polarity_scores(clause)["compound"] + 0.25 * (good + negated - bad)
    return float(max(-1.0, min(1.0, score)))


def sarcastic(text: str) -> bool:
    """A sarcasm cue in ``text`` ("Oh fantastic, …", "love that for me")."""
    return any(p.search(_normal(text)) for p in _events()[2])


def features(text: str) -> np.ndarray:
    """The numbers the heads see beside the embedding, in :data:`NAMES` order, each within about ±1."""
    scores = [clause_score(c) for c in clauses(text)] or [0.0]
    best, worst = max(scores), min(scores)
    bad, good, negated = events(text)
    cue = sarcastic(text)
    over_bad = cue and (bad > 0 or worst <= -CLEAR or any(s <= -CLEAR for s in scores[1:]))
    return np.asarray([
        _analyser().polarity_scores(_normal(text))["compound"], max(best, 0.0), min(worst, 0.0),
        float(best >= CLEAR and worst <= -CLEAR), min(bad, 2) / 2, min(good, 2) / 2, min(negated, 2) / 2,
        float(cue), float(over_bad),
    ], dtype=np.float32)


def reading(text: str) -> banks.Valence:
    """The valence these features alone suggest: mixed when a clearly good and a clearly bad clause meet."""
    f = features(text)
    if f[3]:
        return "mixed"
    if f[8]:
        return "negative"
    if f[0] >= CLEAR or f[1] >= CLEAR and f[2] > -0.05:
        return "positive"
    if f[0] <= -CLEAR or f[2] <= -CLEAR:
        return "negative"
    return "neutral"
