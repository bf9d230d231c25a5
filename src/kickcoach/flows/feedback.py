"""Feedback rephrasing: a criticism of a person becomes feedback about a behaviour.

Every rule here is deterministic; the model only proposes wording, and code decides what the user sees.

detect
    Four kinds of attack are flagged with character spans in the original text:
    ``trait_label`` a word that labels the person ("lazy", "sloppy", "control freak", and -ly/-ness forms);
    ``you_are_judgement`` "you are / you're / you seem … + a judgement" ("you're so difficult", "you are a
    mess", "you're a terrible listener"), the same about their work ("your docs are a disaster") and
    "that's so typical of you";
    ``absolute`` "always", "never", "constantly", "all the time", "every single time", "every meeting",
    "not once", and "ever" after a negation;
    ``mind_reading`` a claim about what the person thinks, wants or feels ("you clearly don't care…",
    "you just want to…", "it's like you…", "you don't respect…", "on purpose"); its span runs to the end
    of the clause, because the whole clause is a guess.
    A flag inside a longer flag is not reported again ("you're always so lazy" is one judgement). A label
    the person said, quoted after a reporting verb ('you called my question "stupid"'), is a fact, not a label.
reading the criticism (``read``, ``behaviour_of``)
    The attacks are taken out (a judgement or mind-reading clause whole, a label word alone), the rest is
    split into clauses, and each clause is sorted: *situation* ("when I asked…", "in yesterday's retro"),
    *impact* ("so I have to…", "nobody knows…", "it's embarrassing") or *behaviour* (what was done).
    Behaviour is made observable and past: "never answer" → "didn't answer", "are always interrupting" →
    "interrupted", "keep dumping" → "dumped", "take forever to" → "took a long time to", "in every
    meeting" → "in the last meeting" (true whenever the original was), "every point" → "the points".
keeps the behaviour (``key_terms``)
    The key terms of a criticism are the content words of its behaviour and situation clauses (stopwords,
    pronouns, auxiliaries, fillers, number words and "time(s)" left out), compared by ``stem``: "answered",
    "answers", "answering" are one term, and "answer"/"reply"/"respond" and "email"/"mail" count as the
    same. A rewrite keeps the behaviour when it contains every key term.
verify
    A rewrite passes when ``detect`` finds nothing in it and it keeps the behaviour. Problems are written
    so a model can fix them: "remove the label 'lazy'", "name the behaviour: you didn't answer my emails".
rephrase
    The model fills ``{situation, behaviour, impact, request}`` (JSON schema); code composes the text from
    those fields (so the structure is fixed) and checks it: verify, plus at least half the content words
    of a situation or impact must come from the user's words (else it must be "unknown"). One re-ask
    with the problems, then the template built from the user's words. Missing parts become questions,
    never invented text.
    The request is included only when the user asked for one; otherwise the model's text also goes
    through the suggestion guard.

This module hand-writes a little English morphology (a verb table, a suffix stemmer) instead of pulling
in NLTK or spaCy: the rules need past tenses and stems of a few hundred workplace verbs and nothing
else, and a deterministic table is easier to audit than a tagger's guesses.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field

from kickcoach import guard, prompts
from kickcoach.errors import InputInvalid, KickcoachError
from kickcoach.llm import model_label
from kickcoach.llm.structured import structured_call

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from kickcoach.services import Services

FlagKind = Literal["trait_label", "you_are_judgement", "absolute", "mind_reading"]
MAX_CHARS = 1200  # SmolLM2's 2k context holds the prompt, the criticism and the answer
RECORD_KIND = "feedback"


class Flag(BaseModel):
    kind: FlagKind
    text: str
    start: int
    end: int


# ================================================================================================
# Lexicons
# ================================================================================================


def _words(block: str) -> list[str]:
    return block.split()


TRAIT_LABELS = _words(
    """
    lazy lazily laziness lazybones slacker sloppy sloppily sloppiness slapdash selfish selfishly selfishness
    self-centred self-centered self-absorbed rude rudely rudeness impolite unprofessional unprofessionally
    unprofessionalism incompetent incompetently incompetence inept incapable amateurish careless carelessly
    carelessness negligent thoughtless thoughtlessly arrogant arrogantly arrogance egotistical condescending
    condescendingly patronising patronizing know-it-all useless uselessly uselessness hopeless hopelessly
    disorganised disorganized disorganisation disorganization scatterbrained clueless ignorant stupid
    stupidity dumb idiot idiots idiotic moron moronic brainless inconsiderate disrespectful disrespectfully
    insensitive tactless irresponsible irresponsibly irresponsibility unreliable unreliability flaky
    forgetful absent-minded immature immaturity childish petty bossy pushy passive-aggressive toxic
    obnoxious annoying hostile aggressive dismissive defensive stubborn pig-headed sneaky dishonest
    two-faced manipulative secretive hypocrite hypocritical liar untrustworthy unhelpful uncooperative
    unapproachable pathetic spineless jerk bully
    """
) + ["control freak", "passive aggressive", "drama queen"]

# Words that judge the person only after "you are …" ("the meeting was difficult" is fine).
JUDGEMENTS = _words(
    """
    difficult impossible mess nightmare joke disaster pain worst terrible awful horrible bad ridiculous
    unbearable exhausting problem liability negative embarrassing embarrassment sensitive overreacting
    dramatic weird crazy messy chaotic clumsy child baby unbelievable
    """
) + ["team player", "waste of space", "hard to work with"]

PERSON_NOUNS = _words(
    """
    listener person colleague teammate team-mate coworker co-worker manager lead engineer developer
    communicator writer planner partner mentor boss employee reviewer worker presenter tester human
    """
)

FEELINGS = frozenset(
    _words(
        """
        embarrassing frustrating stressful demoralising demoralizing confusing discouraging exhausting
        upsetting awkward humiliating hurtful disappointing infuriating draining unfair
        """
    )
)

_APOS = "['\u2019]"


def _alt(items: Iterable[str]) -> str:
    """A regex alternation, longest first, with spaces and hyphens matching either."""
    escaped = [re.escape(w).replace(r"\ ", r"[\s-]+").replace(r"\-", r"[\s-]?") for w in items]
    return "(?:" + "|".join(sorted(escaped, key=len, reverse=True)) + ")"


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
_JUDGEMENT_RES = [
    re.compile(
        _YOU_BE + _FILL + r"\s+" + _alt(TRAIT_LABELS + JUDGEMENTS) + rf"(?:\s+{_alt(PERSON_NOUNS)})?(?![\w-])", re.I
    ),
    re.compile(
        r"\byour\s+(?:[\w-]+\s+){0,2}?(?:is|are|was|were)"
        + _FILL
        + r"\s+"
        + _alt(TRAIT_LABELS + JUDGEMENTS)
        + r"(?![\w-])",
        re.I,
    ),
    re.compile(
        rf"\b(?:that{_APOS}s|that\s+is|which\s+is|it{_APOS}s|it\s+is)\s+"
        r"(?:so\s+|just\s+|really\s+)?typical(?:\s+of\s+you)?\b",
        re.I,
    ),
    re.compile(r"\b(?:so\s+)?typical\s+of\s+you\b|\bclassic\s+you\b", re.I),
    re.compile(rf"\bwhat(?:{_APOS}s|\s+is)\s+wrong\s+with\s+you\b|\bgrow\s+up\b", re.I),
    re.compile(r"\bcould\s+you\s+(?:be|get)\s+any\s+(?:more\s+[\w-]+|[\w-]+er)\b", re.I),
]

_MR_ADV = r"(?:clearly|obviously|evidently|apparently|probably|must|secretly|just|only|simply|really|honestly)"
_CLAUSE_END = (
    r"[^.;,!?:\u2014\u2013()\n|]*?(?=[.;,!?:\u2014\u2013()\n|]|\s+(?:and|but|so)\s+(?:you|i|it|that|then)\b|$)"
)
_MIND_CLAUSE_RES = [
    re.compile(
        rf"\byou(?:\s+{_MR_ADV})*\s+(?:don{_APOS}t|do\s+not|didn{_APOS}t|did\s+not|never)\s+(?:even\s+)?"
        r"(?:care|respect|value|appreciate|trust|give\s+a|think\s+about|consider|see\s+the\s+point)\b",
        re.I,
    ),
    re.compile(
        rf"\byou(?:\s+{_MR_ADV})*\s+(?:think|thought|want|wanted|believe|assume|assumed|feel|felt|enjoy|love|prefer"
        r"|wish|intend|intended|like\s+to|like\s+making|like\s+being|see\s+yourself|consider\s+yourself)\b",
        re.I,
    ),
    re.compile(r"\ball\s+you\s+(?:care|think|want|talk)\s+about\b", re.I),
    re.compile(rf"\b(?:it{_APOS}s|it\s+is|its|it\s+feels)\s+(?:almost\s+)?(?:like|as\s+if|as\s+though)\s+you\b", re.I),
    re.compile(r"\bas\s+(?:if|though)\s+you\b", re.I),
    re.compile(
        rf"\byou(?:{_APOS}re|\s+are|\s+were)\s+(?:just\s+|only\s+|clearly\s+|obviously\s+)?"
        r"(?:trying|out|looking)\s+to\s+"
        r"(?:make|look|show|undermine|sabotage|get|prove|score|impress|avoid|dodge|punish|embarrass|humiliate|take)\b",
        re.I,
    ),
    re.compile(
        rf"\byou\s+(?:have|{_APOS}ve\s+got|got)\s+no\s+(?:respect|interest|regard|consideration|intention)\b", re.I
    ),
    re.compile(rf"\byou(?:{_APOS}re|\s+are)\s+(?:not\s+(?:even\s+)?(?:interested|bothered)|above)\b", re.I),
    re.compile(rf"\byou\s+couldn{_APOS}t\s+care\s+less\b", re.I),
]
_MIND_SHORT_RE = re.compile(r"\b(?:on\s+purpose|deliberately|intentionally)\b", re.I)
_REPORTING = re.compile(r"\b(?:told|said|called|calling|wrote|replied|commented|saying|telling|implied)\b", re.I)
_REPORTED = re.compile(r"\b(?:said|told\s+me|mentioned|asked|wrote|explained)(?:\s+that)?\s*$", re.I)

_TIME_UNITS = frozenset(_words("time times morning day week month year sprint night afternoon evening weekend quarter"))
_ABSOLUTE_RES = [
    re.compile(
        r"\b(?:always|never(?:[\s,]+(?:once|ever))?|constantly|continually|continuously|forever|non-?stop"
        r"|invariably|perpetually)\b",
        re.I,
    ),
    re.compile(r"\ball\s+the\s+time\b|\bnot\s+(?:even\s+)?once\b|\bwithout\s+(?:fail|exception)\b|\b24/7\b", re.I),
    re.compile(r"\b(?:each\s+and\s+)?every\s+(?:single\s+)?(?:one\s+of\b|[a-z0-9][\w:'\u2019-]*)", re.I),
]
_EVER_RE = re.compile(rf"(?:n{_APOS}t|\bnot|\bnever|\bno)\s+(?:you\s+|I\s+|we\s+)?(ever)\b", re.I)


def _normalise(text: str) -> str:
    """Same-length normalisation (curly quotes to straight), so spans found here index the original."""
    return text.translate(str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'}))


def detect(text: str) -> list[Flag]:
    """Every attack on the person in ``text``, in order, as non-nested spans (see the module docstring)."""
    norm = _normalise(text)
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
        if quoted and _REPORTING.search(re.split(r"[.!?]", norm[: m.start()])[-1]):
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


# ================================================================================================
# Morphology: verb forms and stems
# ================================================================================================

_IRREGULAR_TABLE = """
arise arose arisen|be was been|beat beat beaten|become became become|begin began begun|bend bent bent
bet bet bet|bite bit bitten|bleed bled bled|blow blew blown|break broke broken|bring brought brought
build built built|buy bought bought|catch caught caught|choose chose chosen|come came come|cost cost cost
cut cut cut|deal dealt dealt|dig dug dug|do did done|draw drew drawn|drink drank drunk|drive drove driven
eat ate eaten|fall fell fallen|feed fed fed|feel felt felt|fight fought fought|find found found|fly flew flown
forbid forbade forbidden|forget forgot forgotten|forgive forgave forgiven|freeze froze frozen|get got got
give gave given|go went gone|grow grew grown|hang hung hung|have had had|hear heard heard|hide hid hidden
hit hit hit|hold held held|hurt hurt hurt|keep kept kept|know knew known|lay laid laid|lead led led
leave left left|lend lent lent|let let let|lose lost lost|make made made|mean meant meant|meet met met
mislead misled misled|mistake mistook mistaken|overhear overheard overheard|override overrode overridden
overwrite overwrote overwritten|oversee oversaw overseen|pay paid paid|put put put|quit quit quit
read read read|rewrite rewrote rewritten|ride rode ridden|ring rang rung|rise rose risen|run ran run
say said said|see saw seen|seek sought sought|sell sold sold|send sent sent|set set set|shake shook shaken
shoot shot shot|show showed shown|shut shut shut|sing sang sung|sink sank sunk|sit sat sat|sleep slept slept
speak spoke spoken|spend spent spent|split split split|spread spread spread|stand stood stood
steal stole stolen|stick stuck stuck|strike struck struck|swear swore sworn|sweep swept swept|take took taken
teach taught taught|tear tore torn|tell told told|think thought thought|throw threw thrown
understand understood understood|undo undid undone|upset upset upset|wake woke woken|wear wore worn
win won won|withdraw withdrew withdrawn|withhold withheld withheld|write wrote written
"""
_IRREGULAR: dict[str, tuple[str, str]] = {}
for _entry in _IRREGULAR_TABLE.replace("\n", "|").split("|"):
    if _entry.strip():
        _b, _p, _pp = _entry.split()
        _IRREGULAR[_b] = (_p, _pp)

_REGULAR_VERBS = frozenset(
    _words(
        """
        answer reply respond ignore interrupt miss share update cancel review approve merge push pull test
        document ask talk present copy post delay schedule reschedule email message call check commit submit
        skip drop change move notify inform invite include exclude mention credit claim blame criticise
        criticize mock laugh roll sigh shout yell snap complain argue dismiss reject refuse hog steamroll dump
        hoard undermine micromanage rush ship deploy release delete remove rename edit paste print use finish
        start arrive turn listen look watch type stare scroll text chat walk join attend prepare plan organise
        organize assign pick handle own fix file log track note record list label tag comment nitpick block
        reopen close open ping chase follow wait need want try help support back cover thank praise
        acknowledge explain describe clarify correct contradict raise agree disagree promise deliver hand
        remember remind overlook tend end happen seem sound act behave play work complete allow stop stay
        book reserve pass fail code demo question challenge overrule veto bulldoze monopolise monopolize
        dominate hijack ghost ditch abandon vanish disappear step escalate reassign pester nag lecture repeat
        jump touch waste misplace lock revert force-push cc loop brief pair prioritise prioritize estimate
        guess volunteer sign expect rely land slip lag trail snooze mute unmute rant vent yawn
        eye glare smirk scoff joke tease redo reword rephrase reformat rebase squash cherry-pick
        accept add apologise apologize appear arrange avoid bail borrow brag care carry cause clean clear click
        collect compare confirm confuse connect consider contact continue count crash cross cry decide deny
        depend design destroy discuss double-book drag earn embarrass enjoy enter escape excuse express fetch
        fill fire force frown gather gossip grab greet hate head hesitate hire hope hover hurry imagine improve
        insist install introduce judge kick knock link load mark measure mumble mutter name nod notice object
        offer order overreact pack pause phone point pretend produce protect provide publish punch reach
        realise realize receive recommend refer relax remain replace report request reset resign return risk
        ruin sabotage save scold scream search select settle shrug sign slam smile sneer sort spoil state store
        struggle suffer suggest switch tidy transfer trick trust tweet unplug upload urge visit vote warn wash
        whisper wonder worry pitch mansplain downplay belittle blank snub badmouth bad-mouth stonewall overbook
        forward bcc derail ramble overshare sulk storm mimic imitate gatekeep leak reply-all
        """
    )
)
_DOUBLING = frozenset(
    _words("commit submit admit omit permit prefer refer regret occur control patrol compel rebut deter")
)
_VOWELS = "aeiou"
_BASE_OF: dict[str, str] = {}  # every inflected form of a known verb -> its base (filled below)


def _syllables(word: str) -> int:
    return len(re.findall(r"[aeiouy]+", word)) or 1


def _doubles(verb: str) -> bool:
    if verb in _DOUBLING:
        return True
    return (
        len(verb) >= 3
        and _syllables(verb) == 1
        and verb[-1] not in _VOWELS + "wxy"
        and verb[-2] in _VOWELS
        and verb[-3] not in _VOWELS
    )


def _suffix(verb: str, fn: Callable[[str], str]) -> str:
    """Inflect the last part of a hyphenated verb ("force-push" -> "force-pushed")."""
    head, sep, last = verb.rpartition("-")
    return head + sep + fn(last)


def past(verb: str) -> str:
    """The simple past of a base-form verb: "answer" -> "answered", "take" -> "took", "hog" -> "hogged"."""

    def one(v: str) -> str:
        if v in _IRREGULAR:
            return _IRREGULAR[v][0]
        if v.endswith("e"):
            return v + "d"
        if v.endswith("y") and len(v) > 1 and v[-2] not in _VOWELS:
            return v[:-1] + "ied"
        if v.endswith("c"):
            return v + "ked"
        if _doubles(v):
            return v + v[-1] + "ed"
        return v + "ed"

    return _suffix(verb.lower(), one)


def _third(v: str) -> str:
    if v in {"be", "have", "do", "go"}:
        return {"be": "is", "have": "has", "do": "does", "go": "goes"}[v]
    if v.endswith("y") and v[-2] not in _VOWELS:
        return v[:-1] + "ies"
    if v.endswith(("s", "sh", "ch", "x", "z", "o")):
        return v + "es"
    return v + "s"


def _ing(v: str) -> str:
    if v.endswith("ie"):
        return v[:-2] + "ying"
    if v.endswith("e") and not v.endswith(("ee", "ye", "oe")) and len(v) > 2:
        return v[:-1] + "ing"
    if _doubles(v):
        return v + v[-1] + "ing"
    return v + "ing"


for _b in sorted(_REGULAR_VERBS | set(_IRREGULAR)):
    _forms = {_b, _third(_b), _ing(_b), past(_b)}
    if _b in _IRREGULAR:
        _forms |= set(_IRREGULAR[_b])
    else:
        _forms.add(past(_b))
    for _f in _forms:
        _BASE_OF.setdefault(_f, _b)
_PAST_FORMS = frozenset(
    {past(b) for b in _REGULAR_VERBS} | {p for p, _ in _IRREGULAR.values()} | {pp for _, pp in _IRREGULAR.values()}
) - {
    "put",
    "let",
    "set",
    "cut",
    "hit",
    "hurt",
    "quit",
    "read",
    "cost",
    "shut",
    "split",
    "spread",
    "upset",
    "bet",
    "beat",
    "come",
    "run",
    "become",
}
_PARTICIPLES = frozenset({pp for _, pp in _IRREGULAR.values()} | {past(b) for b in _REGULAR_VERBS})


def _known_base(word: str) -> str | None:
    """The base of a known verb form, hyphenated verbs by their last part; None for unknown words."""
    lo = word.lower()
    if lo in _BASE_OF:
        return _BASE_OF[lo]
    head, sep, last = lo.rpartition("-")
    if sep and last in _BASE_OF:
        return head + sep + _BASE_OF[last]
    return None


def base_form(word: str) -> str:
    """The base form of a verb form: known verbs from the table, others by regular suffix rules."""
    known = _known_base(word)
    if known:
        return known
    lo = word.lower()
    if lo.endswith("ied"):
        return lo[:-3] + "y"
    if lo.endswith("ing") and len(lo) > 5:
        stem_ = lo[:-3]
        return stem_[:-1] if len(stem_) > 2 and stem_[-1] == stem_[-2] and stem_[-1] not in "lsz" else stem_
    if lo.endswith("ed") and len(lo) > 4:
        stem_ = lo[:-2]
        return stem_[:-1] if stem_[-1] == stem_[-2] and stem_[-1] not in "lsz" else stem_
    if lo.endswith("ies") and len(lo) > 4:
        return lo[:-3] + "y"
    if lo.endswith(("shes", "ches", "xes", "sses", "zes")):
        return lo[:-2]
    if lo.endswith("s") and not lo.endswith("ss"):
        return lo[:-1]
    return lo


_IRREGULAR_TO_BASE = {form: b for b, forms in _IRREGULAR.items() for form in forms}
_SYNONYMS = {"repli": "answer", "respond": "answer", "respons": "answer", "mail": "email", "e-mail": "email"}


def stem(word: str) -> str:
    """A light suffix stemmer: "answered", "answers", "answering" -> "answer"; "took" -> "tak"; "PRs" -> "pr".

    It only has to make a word and its inflections meet, for the keeps-the-behaviour check.
    """
    raw = word.strip("'\".,;:!?()")
    w = raw.lower()
    if len(raw) > 2 and raw.endswith("s") and raw[:-1].isupper():
        w = w[:-1]  # "PRs", "APIs"
    if w.endswith("'s"):
        w = w[:-2]
    w = _IRREGULAR_TO_BASE.get(w, w)
    if len(w) > 4 and w.endswith(("ies", "ied")):
        w = w[:-3] + "y"
    elif w.endswith(("sses", "shes", "ches", "xes", "zes")):
        w = w[:-2]
    elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    if len(w) > 5 and w.endswith("ing"):
        w = w[:-3]
    elif len(w) > 4 and w.endswith("ed"):
        w = w[:-2]
    elif len(w) > 6 and w.endswith("ness"):
        w = w[:-4]
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz":
        w = w[:-1]
    if len(w) > 3 and w.endswith("e"):
        w = w[:-1]
    if len(w) > 3 and w.endswith("y"):
        w = w[:-1] + "i"
    return _SYNONYMS.get(w, w)


def _plural(noun: str) -> str:
    lo = noun.lower()
    if lo.endswith("s"):
        return noun
    if lo.endswith("y") and len(lo) > 1 and lo[-2] not in _VOWELS:
        return noun[:-1] + "ies"
    if lo.endswith(("sh", "ch", "x", "z")):
        return noun + "es"
    return noun + "s"


# ================================================================================================
# Reading a criticism: clauses, situation / behaviour / impact, past tense
# ================================================================================================

STOPWORDS = frozenset(
    _words(
        """
        a an the and or but so to of in on at for with from by about into onto over under up down out off as
        than then that this these those there here it its it's i me my mine myself you your yours yourself we
        us our ours they them their theirs he him his she her hers who whom whose which what when where why how
        is am are was were be been being have has had having do does did done doing will would shall should
        can could may might must not no nor n't didn't don't doesn't isn't aren't wasn't weren't haven't
        hasn't hadn't won't wouldn't can't couldn't shouldn't very really so just even still only also too
        again already ever once twice any some all each every both either neither other another such own same
        while before after until since because if though although whether without within through during
        against between among per via like get got let lot lots thing things stuff way bit time times last
        one two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty hundred
        half several few many much more most less least whole single today yesterday tomorrow tonight ago
        """
    )
)
_SUBJECTS_PLURAL = frozenset({"i", "you", "we", "they"})
_SUBJECTS_SINGULAR = frozenset(
    {"he", "she", "it", "nobody", "everyone", "everybody", "someone", "somebody", "anyone", "mine", "that", "this"}
)
_SUBJECTS = _SUBJECTS_PLURAL | _SUBJECTS_SINGULAR
_AUX = frozenset(_words("am is are was were do does did have has had can could will would shall should"))
_COPULA = frozenset(_words("am is are was were be been being"))
_ADVERBS = frozenset(
    _words(
        """
        also still only then actually really quickly quietly repeatedly openly publicly suddenly simply
        usually often sometimes rarely hardly barely already once twice apparently basically <ABS>
        """
    )
)
_FILLERS = frozenset(_words("just even literally honestly seriously basically again totally clearly obviously"))
_INTENSIFIERS = frozenset(
    _words("so such really very quite pretty too totally completely utterly incredibly extremely a an")
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
_S_CONTRACTABLE = frozenset(_words("it that what there here he she who everything nothing everyone nobody this"))
_TOKEN = re.compile(
    r"<[A-Z]+>|'[^'\s][^'\n]{0,60}?'(?![a-z])|\"[^\"\n]{1,60}\"|[A-Za-z0-9][A-Za-z0-9':/_-]*|[^\sA-Za-z0-9]"
)
_WHEN_STARTS = frozenset(_words("when whenever while after before <when>"))
_SITUATION_STARTS = frozenset(_words("in during at on yesterday today tonight earlier last this over throughout"))


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
    _words(
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
            and out[i + 1].lower() in _PARTICIPLES
            and out[i + 1].lower() not in _BASE_OF.keys() - _PAST_FORMS
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


def _verbish(tok: str, subject: str | None = None) -> bool:
    """Could ``tok`` be the finite verb after ``subject``? (agreement: "you ignore", "nobody knows")."""
    lo = tok.lower()
    if lo in _AUX or tok == "<NEVER>":
        return True
    base = _known_base(lo)
    if base is None:
        return lo.endswith("ed") and len(lo) > 4
    if subject in _SUBJECTS_PLURAL and lo.endswith("s") and lo != base and lo not in _PAST_FORMS:
        return False  # "you notes" is not a verb
    if subject in _SUBJECTS_SINGULAR and lo == base and lo not in _PAST_FORMS:
        return False
    return not lo.endswith("ing")


def _skip(tokens: Sequence[str], i: int, skip: frozenset[str] = _ADVERBS) -> int:
    while i < len(tokens) and (tokens[i].lower() in skip or tokens[i] in skip):
        i += 1
    return i


def _unknown_verb(tok: str) -> bool:
    """A word we do not know, in verb position: lowercase, not a function word, not -ing/-ly."""
    lo = tok.lower()
    return (
        tok.isalpha()
        and tok.islower()
        and lo not in STOPWORDS
        and not lo.endswith(("ing", "ly"))
        and _known_base(lo) is None
    )


def _is_subject(tokens: Sequence[str], i: int) -> bool:
    lo = tokens[i].lower()
    if lo not in _SUBJECTS:
        return False
    j = _skip(tokens, i + 1)
    if j >= len(tokens):
        return False
    return _verbish(tokens[j], lo) or (i == 0 and lo in _SUBJECTS_PLURAL and _unknown_verb(tokens[j]))


def _cased(original: str, new: str) -> str:
    return new[:1].upper() + new[1:] if original[:1].isupper() and original.lower() not in {"you", "i"} else new


def _convert_verb(tokens: list[str], i: int, subject: str | None) -> tuple[int, list[str], bool]:
    """Put the finite verb at ``i`` in the past. Returns (tokens consumed, tokens emitted, still expecting a verb).

    A progressive next to an absolute was a habit ("you're always interrupting") and becomes a simple
    past ("you interrupted"); any other progressive stays one ("when I'm talking" -> "when I was talking").
    """
    tok, lo = tokens[i], tokens[i].lower()
    j = _skip(tokens, i + 1)
    habitual = "<ABS>" in tokens[max(0, i - 1) : j]
    nxt = tokens[j].lower() if j < len(tokens) else ""
    if tok == "<NEVER>":
        k = _skip(tokens, i + 1)
        if k < len(tokens) and _known_base(tokens[k]):
            return k - i + 1, ["did", "not", *tokens[i + 1 : k], base_form(tokens[k])], False
        return 1, ["did", "not"], False
    if lo in {"do", "does"}:
        if nxt == "not":
            return j - i + 1, ["did", "not"], False
        return 1, [], True
    if lo in {"can", "could", "will", "would", "should"}:
        if nxt in {"not", "<never>"}:
            able = lo in {"can", "could"} and subject in {"i", "we"}  # "I can't find" -> "I couldn't find"
            return j - i + 1, ["could" if able else "did", "not"], False
        if lo in {"will", "would"}:
            return 1, [], True
        return 1, ["could" if lo == "can" else tok], False
    if lo in _COPULA - {"be", "been", "being"}:
        was = "was" if lo in {"am", "is", "was"} or subject in _SUBJECTS_SINGULAR else "were"
        if nxt in {"not", "<never>"}:
            return j - i + 1, [was, "not"], False
        if habitual and nxt.endswith("ing") and _known_base(nxt):
            return j - i + 1, [past(_known_base(nxt) or nxt)], False
        return 1, [was], False
    if lo in {"have", "has"}:
        if nxt in {"not", "<never>"}:
            return j - i + 1, [lo, "not"], False
        if nxt == "to" or not (nxt in _PARTICIPLES or nxt == "been" or (nxt.endswith("ed") and len(nxt) > 4)):
            return 1, ["had"], False
        return 1, [tok], False
    if lo in {"keep", "keeps"}:
        k = j + 1 if nxt == "on" else j
        if k < len(tokens) and tokens[k].lower().endswith("ing"):
            return k - i + 1, [past(base_form(tokens[k]))], False
    if lo in {"tend", "tends"} and nxt == "to" and j + 1 < len(tokens):
        return j - i + 2, [past(base_form(tokens[j + 1]))], False
    if lo in {"end", "ends"} and nxt == "up":
        return 1, ["ended"], False
    if lo in {"take", "takes"} and tokens[j : j + 3] == ["a", "long", "time"]:
        return 1, ["took"], False
    if lo in _PAST_FORMS or (lo.endswith("ed") and _known_base(lo) is None and len(lo) > 4):
        return 1, [tok], False
    base = _known_base(lo)
    if base is None and i == 1 and subject in _SUBJECTS_PLURAL and _unknown_verb(tok):
        base = lo  # "you gossip about the team" -> "you gossiped"
    if base is None or lo.endswith("ing"):
        return 0, [], False
    return 1, [_cased(tok, past(base))], False


_DETERMINERS = frozenset(_words("the a an my your our their his her this that these those each"))


def _np_finite_index(tokens: Sequence[str]) -> int | None:
    """In a clause whose subject is a noun phrase, the index of its finite verb.

    An auxiliary wins ("the meeting notes were wrong": "were", not "notes"); else a third-person form
    not right after a determiner ("the release slips"), else a base form after a plural subject
    ("half of them get forgotten", "'fix' and 'stuff' tell nobody anything").
    """
    for i, tok in enumerate(tokens):
        if i and (tok == "<NEVER>" or tok.lower() in _AUX or tok.lower() in {"keep", "keeps"}):
            return i
    for i, tok in enumerate(tokens[1:], 1):
        lo, prev = tok.lower(), tokens[i - 1]
        base = _known_base(lo)
        if base is None or lo in _PAST_FORMS:
            continue
        if lo != base and lo.endswith("s") and prev.lower() not in _DETERMINERS:
            return i
        if lo == base and (
            prev.lower() in {"them", "they", "we", "people"} or prev[:1] in "'\"" or prev.lower().endswith("s")
        ):
            return i
    return None


def _to_past(tokens: list[str]) -> list[str]:
    """Put a clause in the past tense: every finite verb after a subject, and verbs coordinated with it."""
    out: list[str] = []
    i, n = 0, len(tokens)
    subject: str | None = None
    expect = (
        bool(tokens)
        and tokens[0].lower() not in _SUBJECTS
        and (_known_base(tokens[0]) is not None or tokens[0] == "<NEVER>")
    )
    np_index = None if expect or _subject_at_start(tokens) else _np_finite_index(tokens)
    converted = False
    while i < n:
        tok, lo = tokens[i], tokens[i].lower()
        if expect and (lo in _ADVERBS or tok in _ADVERBS):
            out.append(tok)
            i += 1
            continue
        if expect or i == np_index:
            used, emitted, again = _convert_verb(tokens, i, subject)
            if used:
                converted = converted or emitted != [tok]
                out += emitted
                i += used
                expect = again
                continue
            expect = False
        if _is_subject(tokens, i):
            subject, expect = lo, True
            out.append(tok)
            i += 1
            continue
        if lo in {"and", "or", "but"} and converted and i + 1 < n:
            k = _skip(tokens, i + 1)
            nxt = tokens[k] if k < n else ""
            if nxt == "<NEVER>" or (nxt.lower() in _BASE_OF and nxt.lower() == _known_base(nxt)):
                expect = True
        out.append(tok)
        i += 1
    return out


def _starts(tokens: Sequence[str], phrase: Sequence[str]) -> bool:
    return [t.lower() for t in tokens[: len(phrase)]] == list(phrase)


_LINKING = frozenset(_words("get gets got getting become becomes became act acts acted acting go goes went"))
_LOOKING = frozenset(_words("look looks looked looking sound sounds sounded feel feels felt"))


def _strip_fillers(tokens: list[str]) -> list[str]:
    """Drop fillers ("just", "even", "bother to") and what a removed label leaves behind.

    "so <label>" loses its "so"; "you get <label> and change the subject" loses "get … and"; "makes me
    look <label>" becomes "makes me look bad" (the label was about the speaker, the effect stays).
    """
    out: list[str] = []
    drop_and = False
    for i, tok in enumerate(tokens):
        lo = tok.lower()
        if drop_and and lo == "and":
            drop_and = False
            continue
        drop_and = False
        if lo in _FILLERS:
            continue
        if lo in {"bother", "bothers", "bothered"} and i + 1 < len(tokens) and tokens[i + 1].lower() == "to":
            continue
        if lo == "to" and i > 0 and tokens[i - 1].lower() in {"bother", "bothers", "bothered"}:
            continue
        if tok == "<LBL>":
            while out and out[-1].lower() in _INTENSIFIERS:
                out.pop()
            if out and out[-1].lower() in _LINKING:
                out.pop()
                drop_and = True
            elif out and out[-1].lower() in _LOOKING:
                out.append("bad")
            continue
        out.append(tok)
    return out


def _subject_at_start(tokens: Sequence[str]) -> bool:
    return bool(tokens) and tokens[0].lower() in _SUBJECTS


def _has_finite(tokens: Sequence[str]) -> bool:
    if not tokens:
        return False
    if _known_base(tokens[0]) is not None or tokens[0] == "<NEVER>":
        return True
    return (
        any(
            t.lower() in _AUX or t == "<NEVER>" or t.lower() in _PAST_FORMS or _is_subject(tokens, i)
            for i, t in enumerate(tokens)
        )
        or _np_finite_index(tokens) is not None
    )


def _content(tokens: Sequence[str]) -> list[str]:
    return [t for t in tokens if t[:1] not in "<|" and t.lower() not in STOPWORDS and re.search(r"[a-z0-9]", t, re.I)]


def _main_clause_at(tokens: Sequence[str], start: int) -> int | None:
    """Where the main clause begins after a leading "when …" / "in yesterday's retro" part."""
    for k in range(start, len(tokens)):
        if _is_subject(tokens, k) and (k == 0 or tokens[k - 1].lower() not in {"that", "what", "who"}):
            return k
    return None


class Clause(BaseModel):
    role: Literal["situation", "behaviour", "impact"]
    text: str
    subject: bool = True  # does the clause name its subject (else it continues the previous one)
    sentence: int = 0


def _classify(tokens: list[str], connector: str) -> Literal["behaviour", "impact"]:
    lo = [t.lower() for t in tokens]
    if connector == "impact":
        return "impact"
    if any(_starts(tokens, s) for s in _IMPACT_SUBJECTS):
        return "impact"
    if lo[:1] in (["i"], ["we"]) and any(t in _IMPACT_AFTER_I for t in lo[1:4]):
        return "impact"
    if lo[:1] in (["it"], ["that"], ["this"]):
        if len(lo) > 2 and lo[1] in {"makes", "made", "make"} and lo[2] in {"me", "us", "the", "everyone"}:
            return "impact"
        k = _skip(lo, 2, _INTENSIFIERS)
        if len(lo) > 1 and lo[1] in _COPULA and k < len(lo) and lo[k] in FEELINGS:
            return "impact"
    return "behaviour"


def _strip_connectors(tokens: list[str]) -> tuple[list[str], str]:
    """Remove leading connectors; return the rest and "impact" / "cause" / "" for what they signalled."""
    kind = ""
    changed = True
    while changed and tokens:
        changed = False
        for phrase in _IMPACT_CONNECTORS:
            if _starts(tokens, phrase) and not (phrase == ["so"] and len(tokens) > 1 and tokens[1] == "<LBL>"):
                rest = tokens[len(phrase) :]
                if phrase == ["so"] and not (
                    rest and (rest[0].lower() in _SUBJECTS | {"the", "half", "my", "our", "now", "nobody", "no"})
                ):
                    continue
                if phrase[0] == "which" and phrase[1] != "means":
                    rest = ["that", phrase[1], *rest]
                tokens, kind, changed = rest, "impact", True
                break
        else:
            for phrase in _OTHER_CONNECTORS:
                if _starts(tokens, phrase) and len(tokens) > len(phrase):
                    tokens, changed = tokens[len(phrase) :], True
                    break
    return tokens, kind


def _unquestion(tokens: list[str]) -> list[str]:
    """Questions and commands as statements.

    "do you copy…?" -> "you copy…"; "can not you reply" -> "you can not reply"; "stop interrupting" ->
    "you interrupted".
    """
    lo = [t.lower() for t in tokens]
    if len(tokens) > 2 and lo[0] in _AUX and lo[1] == "not" and lo[2] in _SUBJECTS:
        return [tokens[2], lo[0], "not", *tokens[3:]]
    if len(tokens) > 1 and lo[0] in _AUX and lo[1] in _SUBJECTS:
        return [tokens[1], lo[0], *tokens[2:]]
    if len(tokens) > 1 and lo[0] in {"stop", "quit"} and lo[1].endswith("ing") and _known_base(lo[1]):
        return ["you", past(_known_base(lo[1]) or lo[1]), *tokens[2:]]
    return tokens


def _replace_attacks(text: str, flags: Sequence[Flag]) -> str:
    """Take the attacks out of ``text``, leaving markers the clause reader understands."""
    out = text
    for flag in sorted(flags, key=lambda f: f.start, reverse=True):
        before = out[: flag.start]
        words = re.findall(r"[\w:'-]+", flag.text.lower())
        if flag.kind == "mind_reading":
            repl = " " if _MIND_SHORT_RE.fullmatch(flag.text) else " | "
        elif flag.kind == "you_are_judgement":
            repl = " | <JDG> "
        elif flag.kind == "trait_label":
            reported = _REPORTING.search(re.split(r"[.!?|]", before)[-1])
            repl = f' "{flag.text}" ' if reported else " <LBL> "
        elif words[0] in {"never", "not"} or words[:2] == ["never", "once"]:
            repl = " <NEVER> "
        elif words[0] == "forever" and re.search(r"\b(?:take|takes|took|taking)\s*$", before, re.I):
            repl = " a long time "
        elif "every" in words:
            noun = words[-1]
            if noun in {"of"} or noun in _TIME_UNITS:
                opens = not before.strip() or re.search(r"[.!?,;:\u2014\u2013|(]\s*$", before)
                repl = " <WHEN> " if noun in {"time", "times"} and opens else " <ABS> "
            else:
                surface = flag.text.split()[-1]
                if re.search(r"\b(?:in|at|to|for|during|after|before|on|from|into)\s*$", before, re.I):
                    repl = f" the last {surface} "
                else:
                    repl = f" the {_plural(surface)} "
        elif words == ["ever"]:
            repl = " "
        else:
            repl = " <ABS> "
        out = before + repl + out[flag.end :]
    return out


class Reading(BaseModel):
    """What a criticism says once the attacks are out: clauses sorted into situation, behaviour and impact."""

    clauses: list[Clause] = Field(default_factory=list)

    def of(self, role: str) -> list[Clause]:
        return [c for c in self.clauses if c.role == role]

    @property
    def situation(self) -> str | None:
        """The situation of the first behaviour sentence ("When I asked you for an update")."""
        behaviours = self.of("behaviour")
        first = behaviours[0].sentence if behaviours else None
        for clause in self.of("situation"):
            if first is None or clause.sentence == first:
                return clause.text
        return None

    @property
    def behaviour(self) -> str:
        """The behaviour clauses, later sentences keeping their own situation ("Yesterday, you told …")."""
        behaviours = self.of("behaviour")
        if not behaviours:
            return ""
        first = behaviours[0].sentence
        sentences: list[str] = []
        for number in sorted({c.sentence for c in behaviours}):
            clauses = [c for c in behaviours if c.sentence == number]
            text = _join_clauses(clauses)
            own = [c.text for c in self.of("situation") if c.sentence == number]
            if own and number != first:
                text = f"{_cap(own[0])}, {_decap(text)}"
            sentences.append(text)
        return ". ".join([sentences[0]] + [_cap(s) for s in sentences[1:]])

    @property
    def impact(self) -> str | None:
        impacts = [c.text for c in self.of("impact")]
        return ". ".join([impacts[0]] + [_cap(s) for s in impacts[1:]]) if impacts else None


def _join_clauses(clauses: Sequence[Clause]) -> str:
    text = ""
    for n, clause in enumerate(clauses):
        if n == 0:
            text = clause.text
        elif not clause.subject:
            text += ", " + clause.text
        elif n == len(clauses) - 1:
            text += ", and " + _decap(clause.text)
        else:
            text += ", " + _decap(clause.text)
    return text


_LOWER_STARTS = STOPWORDS | _SUBJECTS - {"i"} | set(_BASE_OF) | {"half", "nobody", "everyone", "people"}


def _decap(text: str) -> str:
    first = text.split(" ", 1)[0]
    if first.lower() in _LOWER_STARTS and first.lower() != "i" and not first.isupper():
        return text[:1].lower() + text[1:]
    return text


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def read(text: str) -> Reading:
    """Sort what ``text`` says into situation, behaviour and impact clauses (see the module docstring)."""
    norm = _normalise(text)
    stripped = _replace_attacks(norm, detect(norm))
    clauses: list[Clause] = []
    for number, sentence in enumerate(s for s in _SENTENCE_BREAK.split(stripped) if s.strip()):
        pending_situation: str | None = None
        pieces = [p for part in _CLAUSE_BREAK.split(sentence) for p in _SPLIT_BEFORE.split(part)]
        for piece in pieces:
            tokens = [t for t in _tokens(piece) if t not in {".", "!", "?", '"'}]
            after_judgement = bool(tokens) and tokens[0] == "<JDG>"
            label_at_end = bool(tokens) and tokens[-1] == "<LBL>"
            tokens = _strip_fillers([t for t in tokens if t != "<JDG>"])
            tokens, connector = _strip_connectors(tokens)
            tokens = _unquestion(tokens)
            if (
                len(tokens) > 3
                and tokens[0].lower() in {"it", "that"}
                and tokens[1].lower() in _COPULA
                and tokens[2].lower() in {"that", "how"}
            ):
                tokens = tokens[3:]  # "it's <label> that you turned up late" -> "you turned up late"
            if not _content(tokens):
                continue
            lead = tokens[0].lower()
            if lead in _WHEN_STARTS or (lead in _SITUATION_STARTS and not _subject_at_start(tokens)):
                split = _main_clause_at(tokens, 2 if lead in _WHEN_STARTS else 1)
                head = tokens[:split] if split else tokens
                if not after_judgement:
                    situation = ["when", *head[1:]] if head[0] == "<WHEN>" else head
                    pending_situation = _detokenize(_to_past(situation))
                if split is None:
                    continue
                tokens = tokens[split:]
            if not _has_finite(tokens) or (label_at_end and tokens[-1].lower() in _COPULA | _AUX):
                continue
            role = _classify(tokens, connector)
            if role == "impact" and any(t.lower() in {"still", "now", "yet"} for t in tokens):
                past_tokens = tokens
            else:
                past_tokens = _to_past(tokens)
            body = _detokenize(past_tokens)
            if not _content(_tokens(body)):
                continue
            if pending_situation and role == "behaviour":
                clauses.append(Clause(role="situation", text=pending_situation, sentence=number))
                pending_situation = None
            clauses.append(
                Clause(
                    role=role,
                    text=_decap(body),
                    subject=not _known_base(tokens[0]) or _subject_at_start(tokens),
                    sentence=number,
                )
            )
        if pending_situation:
            clauses.append(Clause(role="situation", text=pending_situation, sentence=number))
    return Reading(clauses=clauses)


def behaviour_of(text: str) -> str:
    """The behaviour the criticism describes, observable and in the past ("you didn't answer my emails")."""
    return read(text).behaviour


# ================================================================================================
# Composing and verifying
# ================================================================================================


class FeedbackParts(BaseModel):
    """The four parts of a piece of feedback; None means "not known yet" (and becomes a question)."""

    situation: str | None = None
    behaviour: str | None = None
    impact: str | None = None
    request: str | None = None


_PHRASE_STARTS = _SITUATION_STARTS | _WHEN_STARTS | {"as", "once", "since", "last"}
_NO_BEHAVIOUR = "I'd like to talk with you about something that happened."


def _sentence(text: str) -> str:
    text = text.strip().rstrip(",;:")
    return text if text.endswith((".", "!", "?")) else text + "."


def _is_phrase(situation: str) -> bool:
    first = situation.split(" ", 1)[0].lower().strip(",")
    return first in _PHRASE_STARTS or bool(re.fullmatch(_WEEKDAYS, first))


def compose(parts: FeedbackParts, *, want_request: bool = False) -> str:
    """The feedback text from its parts: "{Situation}, {behaviour}. {Impact}. [{Request}]".

    Without a situation it opens "I noticed that …" unless the behaviour names its own time; an impact
    that does not start with "that/it/this" is introduced with "As a result,". Nothing is invented here:
    a missing part is left out (the caller turns it into a question).
    """
    behaviour = (parts.behaviour or "").strip().rstrip(".")
    sentences: list[str] = []
    if not behaviour:
        sentences.append(_sentence(parts.situation) if parts.situation else _NO_BEHAVIOUR)
    elif parts.situation:
        situation = parts.situation.strip().rstrip(".,;:")
        if _is_phrase(situation):
            sentences.append(_sentence(f"{_cap(situation)}, {_decap(behaviour)}"))
        else:
            sentences += [_sentence(_cap(situation)), _sentence(_cap(behaviour))]
    elif has_time_ref(behaviour):
        sentences.append(_sentence(_cap(behaviour)))
    else:
        sentences.append(_sentence(f"I noticed that {_decap(behaviour)}"))
    if parts.impact:
        impact = re.sub(
            r"^(?:as a result|so|and so|which meant|which means)\s*,?\s*", "", parts.impact.strip(), flags=re.I
        )
        first = impact.split(" ", 1)[0].lower()
        if first in {"that", "it", "this"}:
            impact = "That " + impact.split(" ", 1)[1] if " " in impact else impact
            sentences.append(_sentence(impact))
        elif impact:
            sentences.append(_sentence(f"As a result, {_decap(impact)}"))
    if want_request and parts.request:
        request = parts.request.strip()
        sentences.append(_cap(request) if request.endswith(("?", ".")) else _cap(request) + "?")
    return " ".join(sentences)


_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9':/_-]*")


def key_terms(text: str) -> dict[str, str]:
    """The content words of ``text`` by stem -> one surface form ("email" -> "emails")."""
    terms: dict[str, str] = {}
    for word in _WORD.findall(_normalise(text)):
        word = word.strip("'")
        lo = word.lower()
        if lo and lo not in STOPWORDS and re.search(r"[a-z]", lo):
            terms.setdefault(stem(word), word)
    return terms


def behaviour_terms(original: str) -> dict[str, str]:
    """The key terms a fair rewrite of ``original`` must keep: its behaviour and situation clauses."""
    reading = read(original)
    return key_terms(" ".join(c.text for c in reading.clauses if c.role in {"behaviour", "situation"}))


def missing_terms(original: str, rewrite: str) -> list[str]:
    """Key terms of the original's behaviour that the rewrite lost (surface forms, in order)."""
    present = {stem(w.strip("'")) for w in _WORD.findall(_normalise(rewrite))}
    return [word for key, word in behaviour_terms(original).items() if key not in present]


_PROBLEM = {
    "trait_label": "remove the label '{text}': describe what was done instead",
    "you_are_judgement": "remove the judgement '{text}': say what the person did, not what they are",
    "absolute": "remove '{text}': name one specific time instead",
    "mind_reading": "remove the guess about their intent '{text}': keep to what you saw or heard",
}


def verify(original: str, rewrite: str) -> list[str]:
    """Problems with ``rewrite`` as feedback on ``original``; empty means verified."""
    problems = [_PROBLEM[f.kind].format(text=f.text) for f in detect(rewrite)]
    missing = missing_terms(original, rewrite)
    if missing:
        behaviour = behaviour_of(original) or "what the person did"
        problems.append(f"name the behaviour: {behaviour} (keep the words: {', '.join(missing)})")
    return problems


def questions_for(parts: FeedbackParts, *, situation_given: bool = False) -> list[str]:
    """Questions for what the feedback still lacks: what exactly was done, when, and the effect."""
    questions: list[str] = []
    if not parts.behaviour:
        questions.append("What exactly did they do or say? Describe it the way a video would show it.")
    if not situation_given and not has_time_ref(f"{parts.situation or ''} {parts.behaviour or ''}"):
        questions.append("When did this happen? Name one specific time, for example 'in Tuesday's stand-up'.")
    if not parts.impact:
        questions.append("What was the effect on you, the team or the work?")
    return questions


def suggested_request(behaviour: str | None) -> str | None:
    """A request built from the behaviour: "you didn't X" -> "Next time, could you X?"."""
    if not behaviour:
        return None
    missed = re.match(r"you didn't (.+?)(?:,|\.|$)", behaviour, flags=re.I)
    if missed:
        tokens = _tokens(missed.group(1))
        for i in range(1, len(tokens)):  # "before you pushed it" -> "before you push it"
            if tokens[i - 1].lower() in _SUBJECTS and tokens[i].lower() in _PAST_FORMS:
                tokens[i] = _known_base(tokens[i]) or tokens[i]
        return f"Next time, could you {_detokenize(tokens)}?"
    return "Could we agree on what would work better next time?"


# ================================================================================================
# The flow
# ================================================================================================


class FeedbackDraft(BaseModel):
    """What the model is asked for; code composes the text from it."""

    situation: str = Field(
        max_length=160, description='When and where it happened, from the criticism; "unknown" if not said'
    )
    behaviour: str = Field(
        min_length=3, max_length=220, description="What the person did, as a camera would record it, past tense"
    )
    impact: str = Field(
        max_length=160, description='The effect on the speaker or the work, from the criticism; "unknown" if not said'
    )
    request: str = Field(max_length=160, description='One short question asking for a change, or "none"')


class FeedbackResult(BaseModel):
    criticism: str
    rewrite: str
    flags: list[Flag]
    questions: list[str]
    verified: bool
    source: Literal["model", "template"]
    attempts: int
    behaviour: str
    parts: FeedbackParts
    problems: list[str] = Field(default_factory=list)  # why ``rewrite`` fails verification (empty when verified)
    model_problems: list[str] = Field(default_factory=list)  # why the model's last answer was not used
    model: str | None = None
    prompt: str | None = None
    guard_note: str | None = None
    error: str | None = None

    def public(self) -> dict:
        """The JSON the CLI prints."""
        return {
            "rewrite": self.rewrite,
            "flags": [f.model_dump() for f in self.flags],
            "questions": self.questions,
            "verified": self.verified,
            "source": self.source,
            "attempts": self.attempts,
            "behaviour": self.behaviour,
            "parts": self.parts.model_dump(),
        }


_UNKNOWN = re.compile(r"^\W*(?:unknown|none|n/?a|not (?:said|stated|mentioned|given|known)|no request|-)?\W*$", re.I)


def _field(value: str | None) -> str | None:
    if value is None or _UNKNOWN.match(value):
        return None
    return " ".join(value.split())


def check_input(criticism: str) -> str:
    text = " ".join((criticism or "").split())
    if not text:
        raise InputInvalid(
            "There is no criticism to rephrase", "type what you want to say to your peer", field="criticism"
        )
    if len(text) > MAX_CHARS:
        raise InputInvalid(
            f"The criticism is {len(text)} characters long (at most {MAX_CHARS})",
            "keep it to the one thing you want to give feedback on",
            field="criticism",
        )
    return text


def _context_situation(context: str | None) -> str | None:
    """The user's own words about when/where, with any attack taken out."""
    if not context or not context.strip():
        return None
    cleaned = _replace_attacks(_normalise(context), detect(context))
    tokens = _strip_fillers([t for t in _tokens(cleaned) if t not in {"|JDG", "|", ".", "!"}])
    text = _detokenize(tokens).strip(" ,;")
    return text or None


def template(criticism: str, *, want_request: bool = False, context: str | None = None) -> FeedbackResult:
    """The deterministic rewrite: the user's own words without the attacks, plus questions for the gaps."""
    text = check_input(criticism)
    reading = read(text)
    given = _context_situation(context)
    situation = reading.situation
    if given:
        situation = (
            f"{given}, {_decap(situation)}" if situation and _is_phrase(situation) and _is_phrase(given) else given
        )
    parts = FeedbackParts(
        situation=situation,
        behaviour=reading.behaviour or None,
        impact=reading.impact,
        request=suggested_request(reading.behaviour) if want_request else None,
    )
    rewrite = compose(parts, want_request=want_request)
    problems = verify(text, rewrite)
    return FeedbackResult(
        criticism=text,
        rewrite=rewrite,
        flags=detect(text),
        questions=questions_for(parts, situation_given=bool(given)),
        verified=not problems,
        source="template",
        attempts=0,
        behaviour=reading.behaviour,
        parts=parts,
        problems=problems,
    )


def _grounded(value: str, source: str) -> bool:
    """At least half of ``value``'s content words come from ``source`` (the user's own words)."""
    terms = set(key_terms(value))
    return bool(terms) and 2 * len(terms & set(key_terms(source))) >= len(terms)


def _parts_from(draft: FeedbackDraft, want_request: bool) -> FeedbackParts:
    return FeedbackParts(
        situation=_field(draft.situation),
        behaviour=_field(draft.behaviour),
        impact=_field(draft.impact),
        request=_field(draft.request) if want_request else None,
    )


def rephrase(
    model: BaseChatModel,
    criticism: str,
    *,
    want_request: bool = False,
    context: str | None = None,
    attempts: int = 2,
) -> FeedbackResult:
    """Ask the model for the four parts, compose and verify; re-ask once; else the template.

    The model's parts must pass ``verify`` once composed, and a situation or impact it gives must be
    mostly the user's words (else it is made up). Without ``want_request`` the request is dropped and
    the composed text goes through the suggestion guard; if the guard finds advice in it, the template
    is used instead (situation, behaviour and impact are never advice). A backend failure is not an
    error here: the user gets the template, and ``error`` says why.
    """
    text = check_input(criticism)
    fallback = template(text, want_request=want_request, context=context)
    source_words = f"{text} {context or ''}"
    prompt = prompts.load("feedback/rephrase")
    avoid = ", ".join(dict.fromkeys(f.text.lower() for f in fallback.flags)) or "nothing"
    messages = prompt.render(
        criticism=text,
        situation=fallback.parts.situation or "unknown",
        behaviour=fallback.behaviour or "unknown",
        impact=fallback.parts.impact or "unknown",
        avoid=avoid,
        request_rule=REQUEST_ASKED if want_request else REQUEST_NOT_ASKED,
        example_request=EXAMPLE_REQUEST if want_request else "none",
    )

    def check(draft: FeedbackDraft) -> list[str]:
        parts = _parts_from(draft, want_request)
        problems: list[str] = []
        if not parts.behaviour:
            problems.append('behaviour: describe what the person did, starting with "you"')
        for name in ("situation", "impact"):
            value = getattr(parts, name)
            if value and not _grounded(value, source_words):
                problems.append(f'{name}: the criticism does not say this; write "unknown"')
        return problems + verify(text, compose(parts, want_request=want_request))

    label = model_label(model)
    try:
        result = structured_call(model, messages, FeedbackDraft, check=check, attempts=attempts)
    except KickcoachError as exc:
        return fallback.model_copy(update={"model": label, "prompt": prompt.id, "error": str(exc)})
    except Exception as exc:  # noqa: BLE001 - a failing backend still leaves the user the template
        return fallback.model_copy(
            update={"model": label, "prompt": prompt.id, "error": f"{type(exc).__name__}: {exc}"}
        )
    meta = {"model": label, "prompt": prompt.id, "attempts": result.attempts}
    if result.value is None:
        return fallback.model_copy(update={**meta, "model_problems": result.errors})
    parts = _parts_from(result.value, want_request)
    rewrite = compose(parts, want_request=want_request)
    if not want_request:
        _, report = guard.filter_text(rewrite, asked=False, user_message=text)
        note = report.note()
        if note:  # the model slipped advice into a part: its wording is not used at all
            return fallback.model_copy(update={**meta, "model_problems": [f"guard: {note}"], "guard_note": note})
    return FeedbackResult(
        criticism=text,
        rewrite=rewrite,
        flags=fallback.flags,
        questions=questions_for(parts, situation_given=bool(_context_situation(context))),
        verified=True,
        source="model",
        behaviour=fallback.behaviour,
        parts=parts,
        **meta,
    )


REQUEST_ASKED = 'one short question asking for a change, like "Could you …?"'
REQUEST_NOT_ASKED = '"none" (the user did not ask for one)'
EXAMPLE_REQUEST = "Could you join on time?"


# ================================================================================================
# Saved rephrasings
# ================================================================================================


class SavedFeedback(BaseModel):
    id: str
    criticism: str
    want_request: bool
    context: str | None = None
    status: Literal["pending", "done"]
    result: FeedbackResult | None = None


def rephrase_and_save(
    services: Services,
    pair_id: str,
    criticism: str,
    *,
    want_request: bool = False,
    context: str | None = None,
) -> SavedFeedback:
    """Save the user's words, rephrase, save the result: a crash in between loses nothing the user typed."""
    text = check_input(criticism)
    repo = services.pair(pair_id)
    saved = SavedFeedback(id="", criticism=text, want_request=want_request, context=context, status="pending")
    record_id = repo.put_record(RECORD_KIND, saved.model_dump(exclude={"id"}))
    try:
        model = services.model
    except KickcoachError as exc:  # no model (missing GGUF, bad backend): the template still helps
        result = template(text, want_request=want_request, context=context).model_copy(update={"error": str(exc)})
    else:
        result = rephrase(model, text, want_request=want_request, context=context)
    saved = saved.model_copy(update={"id": record_id, "status": "done", "result": result})
    repo.put_record(RECORD_KIND, saved.model_dump(exclude={"id"}), record_id=record_id)
    return saved


def recent(services: Services, pair_id: str, limit: int = 10) -> list[SavedFeedback]:
    """This pair's latest rephrasings, newest first."""
    rows = services.pair(pair_id).records(RECORD_KIND)
    return [SavedFeedback.model_validate({**row.data, "id": row.id}) for row in reversed(rows[-limit:])]
