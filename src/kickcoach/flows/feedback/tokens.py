"""Tokens of a criticism: words, quoted phrases and punctuation, contractions opened; the word classes the
clause reader uses; time references."""

from __future__ import annotations

import re
from collections.abc import Sequence

from kickcoach.flows.feedback.lexicon import BASE_OF, PARTICIPLES, PAST_FORMS, STOPWORDS, words_of

_APOS = "['\u2019]"
__all__ = ["STOPWORDS", "has_time_ref"]

_SUBJECTS_PLURAL = frozenset({"i", "you", "we", "they"})
_SUBJECTS_SINGULAR = frozenset(
    {"he", "she", "it", "nobody", "everyone", "everybody", "someone", "somebody", "anyone", "mine", "that", "this"}
)
_SUBJECTS = _SUBJECTS_PLURAL | _SUBJECTS_SINGULAR
_AUX = frozenset(words_of("am is are was were do does did have has had can could will would shall should"))
_COPULA = frozenset(words_of("am is are was were be been being"))
_ADVERBS = frozenset(
    words_of(
        """
        also still only then actually really quickly quietly repeatedly openly publicly suddenly simply
        usually often sometimes rarely hardly barely already once twice apparently basically <ABS>
        """
    )
)
_FILLERS = frozenset(words_of("just even literally honestly seriously basically again totally clearly obviously"))
_INTENSIFIERS = frozenset(
    words_of("so such really very quite pretty too totally completely utterly incredibly extremely a an")
)
_CONTRACTIONS = {
    "can't": ["can", "not"],
    "cannot": ["can", "not"],
    "won't": ["will", "not"],
    "shan't": ["shall", "not"],
    "i'm": ["I", "am"],
    "let's": ["let", "us"],
}
_SUFFIX_CONTRACTIONS = {"'re": "are", "'ve": "have", "'ll": "will", "'d": "would"}
_S_CONTRACTABLE = frozenset(words_of("it that what there here he she who everything nothing everyone nobody this"))
_TOKEN = re.compile(
    r"<[A-Z]+>|'[^'\s][^'\n]{0,60}?'(?![a-z])|\"[^\"\n]{1,60}\"|[A-Za-z0-9][A-Za-z0-9':/_-]*|[^\sA-Za-z0-9]"
)
_WHEN_STARTS = frozenset(words_of("when whenever while after before <when>"))
_SITUATION_STARTS = frozenset(words_of("in during at on yesterday today tonight earlier last this over throughout"))


def _phrases(block: str) -> list[list[str]]:
    """ "so now|which means" -> [["so", "now"], ["which", "means"]] (longer phrases listed first)."""
    return [p.split() for p in block.split("|")]


_IMPACT_CONNECTORS = _phrases(
    "so now|which means|which meant|meaning|that means|this means|as a result|and now|because of that"
    "|because of this|leaving|which makes|which made|which leaves|which left|so|now"
)
_OTHER_CONNECTORS = _phrases(
    "that is why|which is why|this is why|and then|i mean|and|but|or|yet|plus|also|then|honestly|seriously"
    "|look|well|ok|okay|oh|because|cause|since|like|why|how come"
)
_IMPACT_SUBJECTS = _phrases("nobody|no one|everyone|everybody|people|the team|the rest of us")
_IMPACT_AFTER_I = frozenset(
    words_of(
        "<never> to up not feel felt look looked waste wasted lose lost spend spent left still miss missed blamed stuck"
    )
)
_SPLIT_BEFORE = re.compile(
    r"\s+(?=(?:and|but|or|yet)\s+(?:i|you|it|its|we|they|he|she|nobody|everyone|everybody|no\s+one)\b)"
    r"|\s+(?=(?:because|since|so|cause)\s+"
    r"(?:i|you|it|we|they|he|she|nobody|everyone|everybody|no\s+one|the|half|my|our|now)\b)"
    r"|\s+(?=(?:so\s+now|which\s+means|which\s+meant|meaning|that\s+means|this\s+means|as\s+a\s+result"
    r"|leaving\s+me|which\s+(?:makes|made|leaves|left))\b)",
    re.I,
)
_CLAUSE_BREAK = re.compile(r"\s*(?:[|,;()\u2014\u2013]|:(?=\s)|\s-\s)\s*")
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+|\n+")

_WEEKDAYS = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_MONTHS = r"(?:january|february|march|april|may|june|july|august|september|october|november|december)"
_TIME_REF = re.compile(
    rf"\b(?:yesterday|today|tonight|this\s+(?:morning|afternoon|evening|week|month|sprint|quarter)"
    rf"|last\s+(?:night|week|month|sprint|quarter|time|{_WEEKDAYS})|earlier\s+today|just\s+now"
    rf"|the\s+last\s+\w+|(?:yesterday|today|tonight){_APOS}s|{_WEEKDAYS}{_APOS}s"
    rf"|{_WEEKDAYS}(?!s\b|\s+(?:mornings|afternoons|evenings|nights)\b)"
    rf"|{_MONTHS}\s+\d{{1,2}}|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTHS}"
    rf"|\d{{1,2}}(?::\d\d)?\s?(?:am|pm))\b",
    re.I,
)


def has_time_ref(text: str | None) -> bool:
    """Does ``text`` name one specific time ("yesterday", "on Friday", "in the last meeting")?"""
    return bool(text and _TIME_REF.search(text))


def _tokens(text: str) -> list[str]:
    """Words, quoted phrases and punctuation, with contractions opened ("you're" -> "you are")."""
    out: list[str] = []
    for tok in _TOKEN.findall(text):
        lo = tok.lower()
        if lo in _CONTRACTIONS:
            out += _CONTRACTIONS[lo]
        elif lo.endswith("n't") and len(lo) > 3:
            out += [tok[:-3], "not"]
        elif any(lo.endswith(s) for s in _SUFFIX_CONTRACTIONS) and "'" in lo[1:]:
            head, _, tail = tok.rpartition("'")
            out += [head, _SUFFIX_CONTRACTIONS["'" + tail.lower()]]
        elif lo.endswith("'s") and lo[:-2] in _S_CONTRACTABLE:
            out += [tok[:-2], "is"]
        else:
            out.append(tok)
    for i in range(len(out) - 1):  # "its really annoying" is "it is", "its title" is not
        if out[i].lower() == "its" and (out[i + 1].lower() in _INTENSIFIERS | {"not", "just"} or out[i + 1] == "<LBL>"):
            out[i : i + 1] = [out[i][:2], "is"]
        elif (
            out[i] == "would"
            and out[i + 1].lower() in PARTICIPLES
            and out[i + 1].lower() not in BASE_OF.keys() - PAST_FORMS
        ):
            out[i] = "had"  # "you'd already left" -> "you had already left"
    return out


_CONTRACT = {
    ("did", "not"): "didn't",
    ("do", "not"): "don't",
    ("does", "not"): "doesn't",
    ("was", "not"): "wasn't",
    ("were", "not"): "weren't",
    ("have", "not"): "haven't",
    ("has", "not"): "hasn't",
    ("had", "not"): "hadn't",
    ("could", "not"): "couldn't",
    ("would", "not"): "wouldn't",
    ("will", "not"): "won't",
    ("is", "not"): "isn't",
    ("are", "not"): "aren't",
    ("can", "not"): "can't",
    ("should", "not"): "shouldn't",
}


def _detokenize(tokens: Sequence[str]) -> str:
    words: list[str] = []
    for tok in tokens:
        if tok.startswith("<") and tok.endswith(">"):
            continue
        if words and (words[-1].lower(), tok.lower()) in _CONTRACT:
            words[-1] = _CONTRACT[(words[-1].lower(), tok.lower())]
            continue
        words.append(tok)
    text = " ".join(words)
    text = re.sub(r"\s+([,.;:!?)])", r"\1", text)
    return re.sub(r"\(\s+", "(", text).strip()


def _subject_at_start(tokens: Sequence[str]) -> bool:
    return bool(tokens) and tokens[0].lower() in _SUBJECTS
