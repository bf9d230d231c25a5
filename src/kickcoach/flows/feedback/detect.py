"""Detecting attacks on the person: labels, judgements, absolutes and mind-reading, as character spans.

``trait_label`` a word that labels the person ("lazy", "sloppy", "control freak", -ly/-ness forms) or
grades their work ("boring", "pointless");
``you_are_judgement`` "you are / you're / you seem … + a judgement" ("you're so difficult"), the same
about their work ("your docs are a disaster"), "that's so typical of you", and a judgement of what was
just said ("It's ridiculous.", "which is petty", "Typical.");
``absolute`` "always", "never", "constantly", "all the time", "every single time", "every meeting",
"not once", "ever" after a negation, and "everything" / "anything" / "nothing";
``mind_reading`` a claim about what the person thinks, wants or feels ("you clearly don't care…", "you just
want to…", "it's like you…", "as if …", "on purpose"); its span runs to the end of the clause.
A flag inside a longer flag is not reported again. A label the person said, quoted after a reporting verb
('you called my question "stupid"'), is a fact, not a label.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel

from kickcoach.flows.feedback.lexicon import EVALUATIONS, FEELINGS, JUDGEMENTS, PERSON_NOUNS, TRAIT_LABELS
from kickcoach.text.words import normalise

FlagKind = Literal["trait_label", "you_are_judgement", "absolute", "mind_reading"]


class Flag(BaseModel):
    kind: FlagKind
    text: str
    start: int
    end: int


_APOS = "['\u2019]"


def _alt(items: Iterable[str]) -> str:
    """A regex alternation, longest first, with spaces and hyphens matching either."""
    escaped = [re.escape(w).replace(r"\ ", r"[\s-]+").replace(r"\-", r"[\s-]?") for w in items]
    return "(?:" + "|".join(sorted(escaped, key=len, reverse=True)) + ")"


def _icase(*patterns: str) -> list[re.Pattern[str]]:
    """Compile each pattern, ignoring case (every detector here does)."""
    return [re.compile(p, re.I) for p in patterns]


_NOT_ABOUT_PEOPLE = r"(?![\s-]+(?:timeline|deadline|schedule|target|estimate|programming|coding|caching|copy)s?\b)"
_LABEL_RE = re.compile(r"(?<![\w-])" + _alt(TRAIT_LABELS) + _NOT_ABOUT_PEOPLE + r"(?![\w-])", re.I)

_YOU_BE = (
    rf"\byou(?:\s+are|{_APOS}re|\s+were|{_APOS}ve\s+been|\s+have\s+been|\s+seem|\s+sound|\s+act|\s+look"
    r"|\s+come\s+across\s+as|\s+can\s+be|\s+could\s+be)"
)
_FILL = (
    r"(?:\s+(?:being|so|such|really|very|totally|completely|utterly|incredibly|extremely|just|honestly|seriously"
    r"|always|constantly|quite|pretty|too|absolutely|truly|literally|clearly|obviously|simply|genuinely|a\s+bit"
    r"|kind\s+of|kinda|sort\s+of|the\s+most|not|like|a|an|the|such))*"
)
# What "it's / that's / which is …" may say without judging: a feeling is an impact ("it's embarrassing").
# (a label word there stays a label: "it's so rude" labels the person).
_VERDICTS = [w for w in JUDGEMENTS + EVALUATIONS if w not in FEELINGS and w != "problem"]
_JUDGEMENT_RES = _icase(
    _YOU_BE + _FILL + r"\s+" + _alt(TRAIT_LABELS + JUDGEMENTS) + rf"(?:\s+{_alt(PERSON_NOUNS)})?(?![\w-])",
    (
        r"\byour\s+(?:[\w-]+\s+){0,2}?(?:is|are|was|were)"
        + _FILL
        + r"\s+"
        + _alt(TRAIT_LABELS + JUDGEMENTS)
        + r"(?![\w-])"
    ),
    (
        rf"\b(?:that{_APOS}s|that\s+is|which\s+is|it{_APOS}s|it\s+is)\s+"
        r"(?:so\s+|just\s+|really\s+)?typical(?:\s+of\s+you)?\b"
    ),
    r"\b(?:so\s+)?typical\s+of\s+you\b|\bclassic\s+you\b",
    (
        rf"\b(?:it{_APOS}s|it\s+is|it\s+was|that{_APOS}s|that\s+is|that\s+was|this\s+is|which\s+is|which\s+was)"
        + _FILL
        + r"\s+"
        + _alt(_VERDICTS)
        + r"(?![\w-])"
    ),
    r"(?:^|(?<=[.!?]\s))(?:so\s+|how\s+)?(?:typical|classic)\s*(?=[.!]|$)",
    rf"\bwhat(?:{_APOS}s|\s+is)\s+wrong\s+with\s+you\b|\bgrow\s+up\b",
    r"\bcould\s+you\s+(?:be|get)\s+any\s+(?:more\s+[\w-]+|[\w-]+er)\b",
)

_MR_ADV = r"(?:clearly|obviously|evidently|apparently|probably|must|secretly|just|only|simply|really|honestly)"
_CLAUSE_END = (
    r"[^.;,!?:\u2014\u2013()\n|]*?(?=[.;,!?:\u2014\u2013()\n|]|\s+(?:and|but|so)\s+(?:you|i|it|that|then)\b|$)"
)
_MIND_CLAUSE_RES = _icase(
    (
        rf"\byou(?:\s+{_MR_ADV})*\s+(?:don{_APOS}t|do\s+not|didn{_APOS}t|did\s+not|never)\s+(?:even\s+)?"
        r"(?:care|respect|value|appreciate|trust|give\s+a|think\s+about|consider|see\s+the\s+point)\b"
    ),
    (
        rf"\byou(?:\s+{_MR_ADV})*\s+(?:think|thought|want|wanted|believe|assume|assumed|feel|felt|enjoy|love|prefer"
        r"|wish|intend|intended|like\s+to|like\s+making|like\s+being|see\s+yourself|consider\s+yourself)\b"
    ),
    r"\ball\s+you\s+(?:care|think|want|talk)\s+about\b",
    rf"\b(?:it{_APOS}s|it\s+is|its|it\s+feels)\s+(?:almost\s+)?(?:like|as\s+if|as\s+though)\s+you\b",
    r"\bas\s+(?:if|though)\s+(?:you|i|we|they|he|she|nobody|no\s+one)\b",
    (
        rf"\byou(?:{_APOS}re|\s+are|\s+were)\s+(?:just\s+|only\s+|clearly\s+|obviously\s+)?"
        r"(?:trying|out|looking)\s+to\s+"
        r"(?:make|look|show|undermine|sabotage|get|prove|score|impress|avoid|dodge|punish|embarrass|humiliate|take)\b"
    ),
    rf"\byou\s+(?:have|{_APOS}ve\s+got|got)\s+no\s+(?:respect|interest|regard|consideration|intention)\b",
    rf"\byou(?:{_APOS}re|\s+are)\s+(?:not\s+(?:even\s+)?(?:interested|bothered)|above)\b",
    rf"\byou\s+couldn{_APOS}t\s+care\s+less\b",
)
_MIND_SHORT_RE = re.compile(r"\b(?:on\s+purpose|deliberately|intentionally)\b", re.I)
_REPORTING = re.compile(r"\b(?:told|said|called|calling|wrote|replied|commented|saying|telling|implied)\b", re.I)
_REPORTED_CLAUSE = re.compile(
    _REPORTING.pattern + r"(?!\s+(?:was|were|is|are|had|has)\b)", re.I
)  # "the plan you wrote was …" is a relative clause, not a report


def reports(before: str) -> bool:
    """Does the clause that ends ``before`` report what someone said ("you called my question …")?"""
    return bool(_REPORTED_CLAUSE.search(re.split(r"[.!?|,;]|\band\b|\bbut\b", before)[-1]))


_REPORTED = re.compile(r"\b(?:said|told\s+me|mentioned|asked|wrote|explained)(?:\s+that)?\s*$", re.I)

_ABSOLUTE_RES = _icase(
    (
        r"\b(?:always|never(?:[\s,]+(?:once|ever))?|constantly|continually|continuously|forever|non-?stop"
        r"|invariably|perpetually)\b"
    ),
    r"\ball\s+the\s+time\b|\bnot\s+(?:even\s+)?once\b|\bwithout\s+(?:fail|exception)\b|\b24/7\b",
    r"\b(?:everything|anything|nothing)\b|\bnone\s+of\s+(?:them|it|this|that|these|those)\b",
    r"\b(?:each\s+and\s+)?every\s+(?:single\s+)?(?:one\s+of\b|[a-z0-9][\w:'\u2019-]*)",
)
_EVER_RE = re.compile(rf"(?:n{_APOS}t|\bnot|\bnever|\bno)\s+(?:you\s+|I\s+|we\s+)?(ever)\b", re.I)


def detect(text: str) -> list[Flag]:
    """Every attack on the person in ``text``, in order, as non-nested spans (see the module docstring)."""
    norm = normalise(text)
    found: list[tuple[int, int, FlagKind]] = []
    for regex in _MIND_CLAUSE_RES:
        for m in regex.finditer(norm):
            if _REPORTED.search(norm[: m.start()]):
                continue  # "you said you wanted it by Friday" reports, it does not guess
            tail = re.match(_CLAUSE_END, norm[m.end() :], flags=re.I)
            lead = re.search(r"\b(?:because|since|cause|as|so)\s+$", norm[: m.start()], flags=re.I)
            found.append((lead.start() if lead else m.start(), m.end() + (tail.end() if tail else 0), "mind_reading"))
    found += [(m.start(), m.end(), "mind_reading") for m in _MIND_SHORT_RE.finditer(norm)]
    for regex in _JUDGEMENT_RES:
        found += [(m.start(), m.end(), "you_are_judgement") for m in regex.finditer(norm)]
    for m in _LABEL_RE.finditer(norm):
        quoted = norm[m.start() - 1 : m.start()] in {'"', "'"} and norm[m.end() : m.end() + 1] in {'"', "'"}
        if quoted and reports(norm[: m.start()]):
            continue  # a word the person said, quoted: "you told her the question was 'stupid'"
        found.append((m.start(), m.end(), "trait_label"))
    for regex in _ABSOLUTE_RES:
        found += [(m.start(), m.end(), "absolute") for m in regex.finditer(norm)]
    found += [(m.start(1), m.end(1), "absolute") for m in _EVER_RE.finditer(norm)]
    kept: list[tuple[int, int, FlagKind]] = []
    for start, end, kind in sorted(found, key=lambda f: (f[0], -(f[1] - f[0]))):
        end = len(norm[:end].rstrip())
        if any(s <= start and end <= e for s, e, _ in kept):
            continue
        kept.append((start, end, kind))
    kept.sort()
    return [Flag(kind=kind, text=text[s:e], start=s, end=e) for s, e, kind in kept]
