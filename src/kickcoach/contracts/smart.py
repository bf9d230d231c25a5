"""The SMART checker: deterministic, explainable rules, no model.

Each criterion gets ``ok`` and a one-line reason a person understands. The rules:

specific
    The goal names a concrete action ("publish", "present", "meet" … as the verb of a clause) or a
    counted object ("500 LinkedIn connections"), and has at least two content words besides dates.
    Vague verbs alone ("improve", "get better at", "be more", "grow") are not an action.
measurable
    A target value, a number or quantity in the goal or target ("10 articles", "4/5", "30%"), a
    frequency ("twice a week"), an observable one-off result (a completion verb with an object:
    "pass the AWS exam", "publish my first article"), or an indicator with a number. Numbers that
    are part of a date ("by 31 March 2027") do not count.
achievable
    Flagged only when the goal itself gives the basis: an amount of something with a known usual
    pace (articles, followers, kg, talks, …) over a known time, or a from→to jump. "50 articles in
    2 weeks" is 25 a week against a usual pace of at most 5. Without a basis: ok, "no basis to doubt it".
relevant
    ``relevant_to`` is set, or the goal (what, target, how) shares a topic word with one of the
    partner's needs or aims. Topic words are stemmed and grouped ("presenting", "talk", "speech" are
    one topic) so a person's wording does not have to match exactly. When no needs or aims are known
    the goal is ok with "no stated needs to check against": relevance is the person's call, and
    failing every goal of a partner who has not written needs yet would only add noise.
time_bound
    A deadline date, else a timeframe that parses (see :mod:`kickcoach.contracts.dates`), else a
    deadline phrase inside the goal text; the date must be after ``today``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from pydantic import BaseModel

from kickcoach.contracts.dates import find_when, parse_when, time_spans
from kickcoach.contracts.models import Goal

CRITERIA: tuple[str, ...] = ("specific", "measurable", "achievable", "relevant", "time_bound")


class Criterion(BaseModel):
    ok: bool
    reason: str


class SmartVerdict(BaseModel):
    """The five criteria, keyed ``specific, measurable, achievable, relevant, time_bound``."""

    criteria: dict[str, Criterion]

    @property
    def passed(self) -> bool:
        return all(c.ok for c in self.criteria.values())

    @property
    def failed(self) -> list[str]:
        return [name for name in CRITERIA if not self.criteria[name].ok]


# --- words -----------------------------------------------------------------------------------------
_STOP = frozenset(
    """a an the my our your his her their its i i'm i'll i'd me we you to of in on at for with by from and or
    but so that this these those it is be am are was were been being will would can could should must want
    wants like need needs able as into about more most much very really just some any all each every than
    then there here up out over under own get gets got getting have has had do does did make also not no how
    what when where why who which per lot lots way ways thing things stuff myself them they us new other
    better good well least once twice start starting""".split()
)
_VAGUE = (
    "improve",
    "improving",
    "get better",
    "getting better",
    "be better",
    "become better",
    "do better",
    "be more",
    "become more",
    "be a better",
    "be good at",
    "get good at",
    "grow",
    "growing",
    "develop",
    "developing",
    "work on",
    "working on",
    "learn more",
    "get more",
    "do more",
    "enhance",
    "boost",
    "focus on",
    "understand",
    "explore",
    "level up",
    "step up",
    "upskill",
    "strengthen",
    "learn",
)
_VAGUE_RE = re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, _VAGUE), key=len, reverse=True)) + r")\b", re.I)
_VAGUE_WORDS = frozenset(w for phrase in _VAGUE for w in phrase.split()) - _STOP
_CONCRETE = frozenset(
    """publish write draft present deliver give run complete finish build ship launch lead attend meet read
    submit send record speak teach host organise organize apply pass earn walk cycle swim lose save reduce
    cut reach hold join contact call email interview mentor coach create design post sell close hire
    practise practice rehearse volunteer review answer ask book schedule automate document prepare pitch
    share enrol enroll register sign obtain exercise introduce follow update migrate deploy test fix
    replace take use produce collect analyse analyze map list log track measure survey translate code
    implement facilitate chair gain achieve release visit train study pull go""".split()
)
_COMPLETION = frozenset(
    """pass complete finish publish launch ship submit deliver present give earn obtain win sign host
    organise organize lead build write run release close hire create design record teach chair facilitate
    automate document migrate deploy achieve gain take""".split()
)
# Objects that stand for "something" and name nothing: a goal made of them is not specific.
_GENERIC_OBJECTS = frozenset(
    """action actions step steps task tasks thing things item items activity activities progress goal goals
    milestone milestones concrete agreed small next towards toward work""".split()
)
_QUOTED = re.compile(r"[\"\u201c][^\"\u201d]*[\"\u201d]")


def _unquoted(text: str) -> str:
    """``text`` without quoted phrases: quoting the person's vague words names nothing new."""
    return _QUOTED.sub(" ", text)


_OBJECT_START = frozenset({"a", "an", "the", "my", "our", "first", "one", "his", "her", "their"})
_ADJECTIVES = frozenset(
    """new more short full small big large long different extra additional separate hands-on quality real
    live written practice public""".split()
)
_CLAUSE_SPLIT = re.compile(r"[.;:,!?()\u2014\u2013]|\s-\s|\b(?:and|then|or|by|to|will|so|also)\b", re.I)
_FILLER = frozenset(
    """i we i'll we'll i'd want would like plan aim intend need am going hope can should must really
    actually finally first try""".split()
)
_WORD = re.compile(r"[a-z][a-z0-9'\-]*|\d[\d,.]*%?", re.I)
_FREQUENCY = re.compile(
    r"\b(?:once|twice|daily|weekly|fortnightly|monthly|(?:\d+|\w+) times?"
    r"|(?:every|each|per|a) (?:day|morning|evening|weekday|week|fortnight|month))\b",
    re.I,
)

_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "hundred": 100,
    "dozen": 12,
}
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_QUANTITY = re.compile(
    rf"(?<![\w/.])(?P<num>{_NUM}|{'|'.join(_NUMBER_WORDS)})(?P<k>k\b)?(?P<pct>\s?%|\s?percent\b)?"
    rf"(?P<rating>\s?(?:/|out of)\s?\d+)?",
    re.I,
)
_FROM_TO = re.compile(rf"\bfrom (?P<a>{_NUM})(?P<ka>k\b)? (?:\w+ )?to (?P<b>{_NUM})(?P<kb>k\b)?", re.I)
_PER = re.compile(r"\b(?:a|an|per|every|each) (?P<period>day|week|month)\b", re.I)
_PERIOD_WEEKS = {"day": 1 / 7, "week": 1.0, "month": 4.35}

# A usual upper pace, per week, for things people count in goals. Used only to flag the obviously
# unrealistic ("0 to 10,000 followers in a week"), so the limits are generous.
_MAX_PER_WEEK = {
    "article": 5,
    "post": 7,
    "essay": 5,
    "chapter": 3,
    "newsletter": 2,
    "book": 2,
    "follower": 500,
    "subscriber": 500,
    "connection": 100,
    "contact": 50,
    "kg": 1.5,
    "kilo": 1.5,
    "kilogram": 1.5,
    "pound": 3,
    "lb": 3,
    "presentation": 5,
    "talk": 5,
    "speech": 5,
    "pitch": 10,
    "people": 20,
    "person": 20,
    "coffee": 15,
    "meeting": 25,
    "interview": 15,
    "conversation": 20,
    "hour": 60,
    "course": 2,
    "certification": 1,
    "exam": 2,
    "km": 150,
    "kilometre": 150,
    "kilometer": 150,
    "mile": 100,
    "query": 100,
    "exercise": 100,
    "problem": 100,
    "lesson": 14,
    "time": 14,
    "session": 14,
    "workout": 14,
    "application": 30,
    "video": 7,
    "episode": 7,
}

# Topic groups: words that mean the same thing for relevance ("presenting" serves a need about "talks").
_TOPICS = {
    "speak": "speak speaking speech present presentation presenter talk pitch keynote audience stage slides",
    "write": "write writing writer written article blog post essay newsletter publish publication author",
    "network": "network networking contact connection relationship people person colleague introduction "
    "linkedin coffee",
    "data": "data analytics analysis analyst analyse analyze sql dashboard query report reporting excel spreadsheet "
    "python statistics",
    "lead": "lead leader leadership manage manager management executive exec",
    "confident": "confident confidence nervous anxiety anxious",
    "learn": "study course class training tutorial lesson certification certificate exam qualification",
    "health": "health healthy fit fitter fitness exercise workout gym run running walk walking swim cycle sleep weight "
    "wellbeing energy stress",
    "career": "career promotion promoted promote role job progression senior",
    "feedback": "feedback critique",
}
_SUFFIXES = ("ations", "ation", "ments", "ment", "ings", "ing", "ers", "er", "ies", "es", "ed", "s")


def _stem(word: str) -> str:
    word = word.lower().removesuffix("'s")
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


_TOPIC_OF = {_stem(w): topic for topic, words in _TOPICS.items() for w in words.split()}


def _words(text: str) -> list[str]:
    return [w.lower().strip("'-") for w in _WORD.findall(text)]


def _content_words(text: str) -> list[str]:
    return [w for w in _words(text) if w not in _STOP and w not in _VAGUE_WORDS and not w[0].isdigit() and len(w) > 1]


def topic_words(text: str) -> set[str]:
    """Stemmed content words of ``text``, synonyms folded into one topic key."""
    return {_TOPIC_OF.get(_stem(w), _stem(w)) for w in _content_words(text)}


def matching_need(text: str, needs: Sequence[str] = (), aims: str | None = None) -> str | None:
    """The need (or the aims) sharing most topic words with ``text``; ``None`` if none shares any."""
    mine = topic_words(text)
    scored = [(len(mine & topic_words(n)), n) for n in [*needs, *([aims] if aims else [])] if n.strip()]
    best = max(scored, default=(0, None), key=lambda s: s[0])
    return best[1] if best[0] else None


def vague_words(text: str) -> list[str]:
    """The vague verbs in ``text``, in order ("improve", "get better")."""
    return [m.group(0).lower() for m in _VAGUE_RE.finditer(text)]


def _without_dates(text: str, today: dt.date) -> str:
    for span in reversed(time_spans(text, today)):
        text = text[: span.start] + " " + text[span.end :]
    return text


def _lemmas(word: str) -> set[str]:
    forms = {word}
    for suffix, add in (("ing", ""), ("ing", "e"), ("ed", ""), ("ed", "e"), ("es", ""), ("s", ""), ("d", "")):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            stem = word[: -len(suffix)]
            forms |= {stem + add, stem[:-1] if len(stem) > 2 and stem[-1] == stem[-2] else stem}
    return forms


class _Action(NamedTuple):
    verb: str
    phrase: str
    has_object: bool


def _actions(text: str) -> list[_Action]:
    """Concrete verbs at the head of a clause, with up to four words after them."""
    found = []
    for clause in _CLAUSE_SPLIT.split(text):
        words = clause.split()
        while words and words[0].lower().strip("'") in _FILLER:
            words = words[1:]
        if not words:
            continue
        verbs = _lemmas(words[0].lower().strip(".,'\"")) & _CONCRETE
        if verbs:
            rest = words[1:]
            has_object = bool(rest) and (
                rest[0].lower() in _OBJECT_START or rest[0][:1].isupper() or rest[0][:1].isdigit()
            )
            phrase = words[:5]
            while len(phrase) > 1 and phrase[-1].lower() in _STOP:
                phrase.pop()
            found.append(_Action(min(verbs), " ".join(phrase).strip(".,"), has_object))
    return found


_OPENING = re.compile(
    r"^\s*(?:(?:i|we)(?:'ll| will| want to| would like to| plan to| aim to| am going to| are going to)?\s+|to\s+)?",
    re.I,
)


def leading_action(text: str) -> str | None:
    """The concrete verb that opens ``text`` ("I will publish 4 articles" → "publish"), else ``None``."""
    rest = _OPENING.sub("", text, count=1)
    first = rest.split()[0].lower().strip(".,;:'\"") if rest.split() else ""
    verbs = _lemmas(first) & _CONCRETE
    return min(verbs) if verbs else None


class Quantity(NamedTuple):
    """A number found in text: ``value``, its ``unit`` (may be None), the matched text and where it ends.

    ``counts`` is true when the number counts the unit ("4 articles"), false for a percentage, a
    rating ("4/5") or a size ("10-minute talk").
    """

    value: float
    unit: str | None
    text: str
    end: int
    counts: bool


def quantities(text: str) -> list[Quantity]:
    """Numbers with the noun they count: "10,000 followers", "4 blog posts", "30%", "4/5"."""
    found = []
    for m in _QUANTITY.finditer(text):
        raw = m["num"].lower()
        value = float(_NUMBER_WORDS.get(raw) or raw.replace(",", "")) * (1000 if m["k"] else 1)
        unit_words: list[str] = []
        end = m.end()
        compound = re.match(r"-([a-z]+)", text[m.end() :], re.I)
        if compound:  # "10-minute talk": the number sizes something, it does not count it
            unit_words, end = [compound.group(1).lower()], m.end() + compound.end()
        elif m["pct"]:
            unit_words = ["percent"]
        elif m["rating"]:
            unit_words = ["out of " + re.sub(r"\D", "", m["rating"])]
        else:
            for wm in list(re.finditer(r"\S+", text[m.end() :]))[:4]:
                token = wm.group(0)
                word = token.strip(".,;:!?()\"'").lower()
                if word in _ADJECTIVES and not unit_words:
                    continue
                # one noun ("10 articles"), or two when the second is the counted thing ("4 blog posts")
                if not word or word in _STOP or word[0].isdigit() or (unit_words and _rate_key(word) is None):
                    break
                unit_words.append(word)
                end = m.end() + wm.start() + len(token.rstrip(".,;:!?()\"'"))
                if _rate_key(word) or token != token.rstrip(".,;:!?()\"'") or len(unit_words) == 2:
                    break
        if raw in _NUMBER_WORDS and not unit_words:
            continue  # "one" alone is a pronoun more often than a count
        counts = bool(unit_words) and not (compound or m["pct"] or m["rating"])
        found.append(Quantity(value, " ".join(unit_words) or None, text[m.start() : end], end, counts))
    return found


def goal_quantities(text: str, today: dt.date) -> list[Quantity]:
    """:func:`quantities` outside deadline phrases ("31" and "2027" in "by 31 March 2027" are not targets)."""
    return quantities(_without_dates(text, today))


def _rate_key(unit: str | None) -> str | None:
    for word in reversed((unit or "").lower().split()):
        for form in (word, _stem(word), word.removesuffix("s"), _stem(word) + "y"):
            if form in _MAX_PER_WEEK:
                return form
    return None


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if abs(value - round(value)) < 0.05 or abs(value) >= 100 else f"{value:,.1f}"


def _span(days: float) -> str:
    if days < 7:
        return f"{days:.0f} day" + ("s" if round(days) != 1 else "")
    weeks = round(days / 7)
    return f"{weeks} week" + ("s" if weeks != 1 else "")


# --- the checks ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Draft:
    what: str
    target: str = ""
    target_value: float | None = None
    unit: str | None = None
    start_value: float = 0
    start_date: dt.date | None = None
    deadline: dt.date | None = None
    timeframe: str | None = None
    indicators: tuple[str, ...] = ()
    how: tuple[str, ...] = ()
    relevant_to: str | None = None


def _draft(goal: Goal | str) -> _Draft:
    if isinstance(goal, str):
        return _Draft(what=goal)
    return _Draft(
        what=goal.what,
        target=goal.target,
        target_value=goal.target_value,
        unit=goal.unit,
        start_value=goal.start_value,
        start_date=goal.start_date,
        deadline=goal.deadline,
        timeframe=goal.timeframe,
        indicators=tuple(goal.indicators),
        how=tuple(goal.how),
        relevant_to=goal.relevant_to,
    )


def check_goal(goal: Goal | str, *, today: dt.date, needs: Sequence[str] = (), aims: str | None = None) -> SmartVerdict:
    """Check ``goal`` (a :class:`Goal` or just its sentence) against the five SMART criteria.

    ``needs`` and ``aims`` are the owning partner's, for the relevance rule.
    """
    d = _draft(goal)
    deadline, time_reason = _deadline(d, today)
    return SmartVerdict(
        criteria={
            "specific": _specific(d, today),
            "measurable": _measurable(d, today),
            "achievable": _achievable(d, deadline, today),
            "relevant": _relevant(d, needs, aims),
            "time_bound": time_reason,
        }
    )


def _names_something(words: Iterable[str]) -> bool:
    """Do ``words`` name a thing, not only a placeholder ("3 concrete actions", "the next steps")?"""
    return any(
        w not in _STOP and w not in _GENERIC_OBJECTS and w not in _VAGUE_WORDS and not w[0].isdigit()
        and w not in _NUMBER_WORDS
        for w in (w.lower().strip("'\"") for w in words)
        if w
    )


def _specific(d: _Draft, today: dt.date) -> Criterion:
    text = _without_dates(_unquoted(d.what), today)
    content = _content_words(text)
    found = _actions(text)
    # an action counts unless all it acts on is a placeholder ("Complete 3 concrete actions towards …")
    actions = [a for a in found if len(_words(a.phrase)) == 1 or _names_something(_words(a.phrase)[1:])]
    counted = [q for q in quantities(text) if q.counts and _names_something((q.unit or "").split())]
    vague = vague_words(text)
    if len(content) >= 2 and actions:
        return Criterion(ok=True, reason=f'names a concrete action: "{actions[0].phrase}"')
    if len(content) >= 2 and counted:
        return Criterion(ok=True, reason=f'names a concrete result: "{counted[0].text}"')
    if found:
        return Criterion(
            ok=False, reason=f'"{found[0].phrase}" does not say which — name the actual thing you will do'
        )
    if vague:
        said = ", ".join(f'"{v}"' for v in dict.fromkeys(vague))
        return Criterion(ok=False, reason=f"only vague verbs ({said}) — it doesn't say what you will actually do")
    return Criterion(ok=False, reason="too general — it doesn't name a concrete action or result")


def _measurable(d: _Draft, today: dt.date) -> Criterion:
    if d.target_value is not None:
        return Criterion(ok=True, reason=f"target is {_fmt(d.target_value)}" + (f" {d.unit}" if d.unit else ""))
    text = _without_dates(f"{d.what}. {d.target}", today)
    numbers = sorted(quantities(text), key=lambda q: q.unit is None)
    if numbers:
        return Criterion(ok=True, reason=f'has a number to measure: "{numbers[0].text}"')
    frequency = _FREQUENCY.search(text)
    if frequency:
        return Criterion(ok=True, reason=f'has a frequency to count: "{frequency.group(0)}"')
    done = [a for a in _actions(text) if a.verb in _COMPLETION and a.has_object]
    if done:
        return Criterion(ok=True, reason=f'has an observable result: "{done[0].phrase}"')
    counted = [i for i in d.indicators if quantities(_without_dates(i, today))]
    if counted:
        return Criterion(ok=True, reason=f'indicator has a number: "{counted[0]}"')
    return Criterion(ok=False, reason="no number or observable result to measure")


def _achievable(d: _Draft, deadline: dt.date | None, today: dt.date) -> Criterion:
    basis = _pace_basis(d, today)
    if basis is None or deadline is None:
        return Criterion(ok=True, reason="no basis to doubt it")
    amount, unit, per_week, generic_jump = basis
    days = (deadline - (d.start_date or today)).days
    if per_week is None:
        if days <= 0:
            return Criterion(ok=True, reason="no basis to doubt it")
        per_week = amount / (days / 7)
        said = f"{_fmt(amount)} {unit} in {_span(days)} is about {_fmt(per_week)} a week"
    else:
        said = f"{_fmt(per_week)} {unit} a week"
    key = _rate_key(unit)
    if key and per_week > _MAX_PER_WEEK[key]:
        return Criterion(ok=False, reason=f"{said} — far beyond a usual pace (up to {_fmt(_MAX_PER_WEEK[key])} a week)")
    if key:
        return Criterion(ok=True, reason=f"{said} — a realistic pace")
    if generic_jump and days <= 28:
        return Criterion(
            ok=False, reason=f"a {_fmt(generic_jump)}-fold jump in {_span(days)} is far beyond a usual pace"
        )
    return Criterion(ok=True, reason="no basis to doubt it")


def _pace_basis(d: _Draft, today: dt.date) -> tuple[float, str, float | None, float | None] | None:
    """(amount, unit, amount per week if stated as a rate, from→to multiplier) when the goal gives them."""
    if d.target_value is not None and d.unit and _rate_key(d.unit):
        gain = d.target_value - d.start_value
        return (gain, d.unit, None, None) if gain > 0 else None
    text = _without_dates(f"{d.what}. {d.target}", today)
    jump = _FROM_TO.search(text)
    if jump:
        a = float(jump["a"].replace(",", "")) * (1000 if jump["ka"] else 1)
        b = float(jump["b"].replace(",", "")) * (1000 if jump["kb"] else 1)
        if b <= a:  # a reduction ("from 6 hours to 2"): no pace to judge
            return None
        unit = next((q.unit for q in quantities(text[jump.start() :]) if q.unit and abs(q.value - b) < 1e-9), None)
        if unit and _rate_key(unit):
            return b - a, unit, None, None
        return (b - a, unit or "units", None, b / a) if a > 0 else None
    for q in quantities(text):
        if not q.counts or not _rate_key(q.unit):
            continue
        per = _PER.match(text, q.end + 1)
        weekly = q.value / _PERIOD_WEEKS[per["period"].lower()] if per else None
        return q.value, q.unit or "", weekly, None
    return None


def _relevant(d: _Draft, needs: Sequence[str], aims: str | None) -> Criterion:
    if d.relevant_to:
        return Criterion(ok=True, reason=f'serves: "{d.relevant_to}"')
    stated = [n for n in [*needs, *([aims] if aims else [])] if n.strip()]
    if not stated:
        return Criterion(ok=True, reason="no stated needs to check against")
    need = matching_need(" ".join([d.what, d.target, *d.how]), needs, aims)
    if need:
        kind = "aim" if need == aims and need not in needs else "need"
        return Criterion(ok=True, reason=f'serves the {kind} "{need}"')
    return Criterion(ok=False, reason=f'not linked to any stated need or aim (e.g. "{stated[0]}")')


def _deadline(d: _Draft, today: dt.date) -> tuple[dt.date | None, Criterion]:
    if d.deadline:
        when, said = d.deadline, f"deadline {d.deadline.isoformat()}"
    elif d.timeframe:
        parsed = parse_when(d.timeframe, today)
        if parsed is None:
            return None, Criterion(
                ok=False, reason=f'timeframe "{d.timeframe}" is not a date — give one like 2027-03-31'
            )
        when, said = parsed, f'"{d.timeframe}" ({parsed.isoformat()})'
    else:
        span = find_when(f"{d.what}. {d.target}", today)
        if span is None:
            return None, Criterion(ok=False, reason="no deadline or timeframe")
        when, said = span.date, f"deadline {span.date.isoformat()}"
    days = (when - today).days
    if days < 0:
        return when, Criterion(ok=False, reason=f"{said} has already passed")
    if days == 0:
        return when, Criterion(ok=False, reason=f"{said} is today — pick a date ahead")
    return when, Criterion(ok=True, reason=f"{said} is {_span(days)} away")


_QUESTIONS = {
    "specific": "What exactly will you do, and on what — what would someone see you doing?",
    "measurable": "What number would tell you you've done it — how many, how often, or how much?",
    "achievable": (
        "Is that realistic from where you are now — what target would stretch you but still be reachable by then?"
    ),
    "relevant": "Which of your needs or aims does this goal serve?",
    "time_bound": "By what date do you want to reach it?",
}


def questions_for(failed: Iterable[str], goal_text: str) -> list[str]:
    """One clarifying question per failed criterion, in SMART order.

    The "specific" question quotes the goal's vague verb when it has one ("grow" can mean many things).
    """
    wanted = set(failed)
    unknown = wanted - set(CRITERIA)
    if unknown:
        raise ValueError(f"unknown SMART criteria {sorted(unknown)}; expected some of {CRITERIA}")
    questions = []
    for name in CRITERIA:
        if name not in wanted:
            continue
        vague = vague_words(goal_text)
        if name == "specific" and vague:
            questions.append(f'"{vague[0]}" can mean many things — what exactly will you do, and on what?')
        else:
            questions.append(_QUESTIONS[name])
    return questions
