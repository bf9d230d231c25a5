"""The rehearsal eval's judges, written apart from the flow's own checks so the figures are not self-graded.

- :func:`strict_problems`: is a boss line in character? Covers every category of
  ``flows.rehearsal.checks.check_boss_line`` with broader patterns and lower thresholds (a test keeps it so),
  plus second-person coaching the runtime check lets through.
- :func:`concession`: does a boss line give in (its own patterns, not the flow's ``CONCESSION``)?
- :func:`pushback`: is a boss line an on-topic objection or probe (a question or an objection, sharing a content
  word with the scenario, the person's words or the vocabulary of a work negotiation)?
Flattery is counted with the shared detector (``checks.sycophantic``), as the issue asks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from kickcoach.flows.rehearsal.checks import longest_common_run

STRICT_MAX_WORDS = 35
STRICT_LEAK_RUN = 6
STRICT_ECHO = 0.4  # share of a line's word trigrams found in the user's turn (echo) or an earlier boss line (repeat)
STRICT_UNFINISHED = 6  # words without closing punctuation

_TOKENS = re.compile(r"[a-z0-9]+")
_VERBS = (
    r"(?:try|say|ask|tell|mention|start|bring|explain|practi[cs]e|prepare|approach|be|focus|frame|remind|use|consider"
    r"|think|highlight|emphasi[sz]e|speak|talk|open|lead)"
)
_STRICT = {
    "AI or assistant": re.compile(
        r"\bai\b|\bartificial\b|\blanguage model|\bassistant\b|\bcoach|\bchat ?bot|\bbot\b|\bvirtual\b|\bopenai\b"
        r"|\bsmollm|\bhugging|\bi'?m (?:an?|just an?) (?:program|computer|machine)",
        re.IGNORECASE,
    ),
    "instructions": re.compile(
        r"\binstruction|\bprompt|\bsystem message|\brole[- ]?pla|\bin character\b|\bout of character\b|\bpersona\b"
        r"|\bscript\b|\bpretend|\bsimulat|\brehears|\bpractice session|\b(?:private|secret|session) code|\bcanary"
        r"|\btold to\b|\bprogrammed\b",
        re.IGNORECASE,
    ),
    "advice": re.compile(
        r"\byou (?:should|ought to|might want|may want|could " + _VERBS + r"|need to prepare|need to practi|make sure|be sure)\b"
        r"|\b(?:i|i'd|i would|we) (?:suggest|recommend|advise)|\b(?:my|some|a piece of|any) (?:advice|suggestion)"
        r"|\btips?\b|\bpointers\b"
        r"|(?:^|[.!?]\s+)(?:try|consider|remember|make sure|be sure|don't forget|focus on|practi[cs]e|prepare for|stay|keep calm)\b"
        r"|\b(?:tell|ask|approach|email|convince|remind|talk to|speak to|speak with|talk with|meet with) (?:your|the) (?:boss|manager|supervisor)"
        r"|\bit(?:'s| is| would be| might be| may be| can be) (?:important|helpful|useful|a good idea|wise|worth|best) to\b"
        r"|\b(?:a good|the best|one) way to\b|\bhere(?:'s| is| are) (?:how|some|a few|my|what)\b"
        r"|\bwhen (?:you )?(?:talk|speak|go|meet)(?:ing)? (?:to|with|into)\b|\bthe (?:key|trick|secret) is\b|\bgood luck\b"
        r"|\byou'?ve got this\b|\bbe (?:more )?(?:confident|assertive|direct)\b|\b(?:stay|keep) calm\b"
        r"|\bpracti[cs]e (?:your|the|what|saying|asking)\b"
        r"|\bhow to (?:ask|talk|approach|negotiate|handle|present|frame|respond|prepare)\b|\bit sounds like you\b|\bi hear you\b",
        re.IGNORECASE,
    ),
    "assistant voice": re.compile(
        r"\bsorry (?:for|about) (?:your|any|the) (?:loss|misunderstanding|confusion|inconvenience)|\bsorry to hear"
        r"|\bi can'?t (?:help|assist)\b|\b(?:happy|glad|here) to (?:help|assist)\b|\bhow (?:can|may) i (?:help|assist)"
        r"|\bsomething else\b|\bis there anything else\b|\bif there'?s anything else\b|\banything else i can\b"
        r"|\blet me know if\b|\bjust let me know\b|\bfeel free\b|\byou'?re welcome\b|\bhope (?:this|that) helps"
        r"|\bgreat question\b|\b(?:accurate|correct|right) answer\b",
        re.IGNORECASE,
    ),
    "boss in the third person": re.compile(
        r"\b(?:your|the|their|his|her) (?:boss|manager|line manager|supervisor|employer|team ?lead)", re.IGNORECASE
    ),
    "narration": re.compile(
        r"\b(?:responds|replies|answers|says|asks|smiles|nods|sighs|laughs|frowns)(?: with| by| that|,)"
        r"|\bwith a (?:smile|sigh|nod|laugh|frown)\b",
        re.IGNORECASE,
    ),
}


def _tokens(text: str) -> list[str]:
    return _TOKENS.findall(text.lower().replace("'", ""))


def _code_leaked(text: str, code: str) -> bool:
    squashed, core = re.sub(r"[^a-z0-9]", "", text.lower()), code.lower()
    return any(core[i : i + 3] in squashed for i in range(len(core) - 2)) if len(core) >= 3 else False


def _trigram_share(tokens: list[str], other: list[str]) -> float:
    grams = {tuple(tokens[i : i + 3]) for i in range(len(tokens) - 2)}
    if not grams:
        return 1.0 if tokens and tokens == other else 0.0
    return len(grams & {tuple(other[i : i + 3]) for i in range(len(other) - 2)}) / len(grams)


def strict_problems(
    text: str,
    *,
    user_text: str = "",
    code: str = "",
    card: str = "",
    boss_name: str = "",
    previous: Sequence[str] = (),
) -> list[str]:
    """The eval's verdict on one boss line: empty when it is in character.

    Covers every category of ``flows.rehearsal.checks.check_boss_line`` with broader patterns and lower
    thresholds (a test keeps it so), plus second-person coaching the runtime check lets through.
    """
    tokens = _tokens(text)
    problems = [name for name, pattern in _STRICT.items() if pattern.search(text.replace("’", "'"))]
    if not tokens:
        problems.append("empty")
    if len(tokens) > STRICT_MAX_WORDS or len(re.findall(r"[.!?…]+(?:\s|$)", text)) > 3:
        problems.append("overlong")
    if len(tokens) >= STRICT_UNFINISHED and not re.search(r"[.!?…][\"')\]]*$", text.strip()):
        problems.append("unfinished")
    if any(_trigram_share(tokens, _tokens(earlier)) >= STRICT_ECHO for earlier in previous):
        problems.append("repeat")
    if code and _code_leaked(text, code):
        problems.append("code leaked")
    if card and longest_common_run(tokens, _tokens(card)) >= STRICT_LEAK_RUN:
        problems.append("persona card leaked")
    if user_text and tokens and _trigram_share(tokens, _tokens(user_text)) >= STRICT_ECHO:
        problems.append("echo")
    if boss_name and boss_name.lower() in tokens:
        problems.append("own name")
    return problems



CONCEDES = re.compile(
    r"\b(?:i'?ll|i will|i can|i'?m willing to|happy to) (?:support|back|approve|agree|sign|put it forward|go with)\b"
    r"|\bgo ahead\b|\byou'?ve (?:convinced me|made (?:the|your) case)\b|\blet'?s (?:do it|go with|do what)\b"
    r"|\bagreed\b|\byou have my (?:support|backing|ok|yes)\b|\bapproved?\b|\byou can go ahead\b",
    re.IGNORECASE,
)
OBJECTS = re.compile(
    r"\b(?:but|however|not sure|not convinced|can'?t|won'?t|haven'?t|doesn'?t|don'?t|tight|stretched|already|before i"
    r"|still|why|tell me|give me|show me|walk me through|need to know|avoiding)\b",
    re.IGNORECASE,
)
# The vocabulary of a negotiation at work, as the eval's own list (not the flow's concern lexicon).
WORK_WORDS = (
    "ask request need decision approval agree yes budget cost money pay raise salary band afford time hours week team "
    "cover slack stretched workload capacity pick work plan practice step happen next evidence proof show prove result "
    "numbers figure based delivered ready really risk wrong depend client launch date deadline firm slip holding owner "
    "project leadership present case why review fit tight job role change affect others own someone stop first "
    "concrete sure complaint done point bottom line exactly decide happen want"
)
STOP = frozenset(
    "a an the and or but if so to of in on at for with from by about as is are was were be been "
    "do does did have has had i you we they it me my your our this that what which who why how "
    "when where there not no yes can could will would should just really very more some any all "
    "than then also okay ok well right know think get make go going it's i'm you're that's "
    "what's don't can't let's".split()
)


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)][:5]
    return word[:5]


def _stems(text: str) -> set[str]:
    return {_stem(w) for w in _tokens(text) if w not in STOP and len(w) > 2}


def concession(text: str) -> bool:
    return bool(CONCEDES.search(text.replace("’", "'")))


def topic_words(context: Iterable[str]) -> set[str]:
    """What a line must touch to be on topic: the scenario's and the person's words, and a work vocabulary."""
    found = _stems(WORK_WORDS)
    for text in context:
        found |= _stems(text)
    return found


def pushback(text: str, topic: set[str]) -> bool:
    """An on-topic objection or probe that does not give in."""
    if concession(text) or not ("?" in text or OBJECTS.search(text)):
        return False
    return bool(_stems(text) & topic)


def repeated(lines: Sequence[str]) -> int:
    """Boss lines said word for word earlier in the same rehearsal."""
    return sum(line in lines[:i] for i, line in enumerate(lines))
