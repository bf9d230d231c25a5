"""What the pair's own contract says, for the coach: answers to "what are my goals?", the goal a progress
report refers to, and the names and meeting slot that make replies personal.

Answers are read straight from the contract model (no model, no retrieval), each fact cited with the
same clause path the index uses ("Contract › Priya › Goal 1 › Target and deadline").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from kickcoach.contracts.clauses import Clause, contract_clauses
from kickcoach.contracts.models import Contract, Goal, Partner
from kickcoach.core.banks import text_bank
from kickcoach.guard import split_sentences
from kickcoach.guard.requests import content_words
from kickcoach.knowledge.retrieve import Source
from kickcoach.text.morphology import gerund

_ASPECTS: list[tuple[str, re.Pattern[str]]] = [
    (name, re.compile(pattern, re.IGNORECASE)) for name, pattern in [
        ("progress", r"\b(behind|on track|how far along|where (?:things|we|i|my goals?|our goals?|everything) (?:stand|are at))\b"),
        ("cadence", (r"\b(meet|meeting|meetings|cadence|how often|when do|what time|which day|channel|calls?|sessions?|"
                    r"how long)\b")),
        ("indicators", r"\b(indicators?|how will (?:i|we|he|she) know|signs?|measure)\b"),
        ("deadlines", r"\b(deadlines?|due|by when|when (?:is|are) .*\bdue)\b"),
        ("targets", r"\b(targets?|numbers?|how many|how much)\b"),
        ("offers", r"\b(offers?|offered|offering|give|giving|bring)\b"),
        ("needs", r"\b(needs?|want from|wants from|asks? of)\b"),
        ("confidentiality", r"\b(confidential\w*|private|secret|stays? between|tell anyone|share outside)\b"),
        ("feedback_rules", r"\b(feedback|criticism|critique)\b"),
        ("accountability", r"\b(accountab\w*|hold (?:each other|me|us)|miss(?:es|ed)? (?:a |our |my |the )?commitments?)\b"),
        ("status", r"\b(sign(?:ed|ature)?s?|status|active|review date|version)\b"),
        ("goals", r"\b(goals?|working on|aims?|objectives?)\b"),
    ]
]

@dataclass
class People:
    """Who is speaking and who the partner is, by first name."""

    me: Partner
    other: Partner

    @property
    def my_name(self) -> str:
        return self.me.name.split()[0]

    @property
    def partner_name(self) -> str:
        return self.other.name.split()[0]


@dataclass
class ContractAnswer:
    sentences: list[str]
    sources: list[Source] = field(default_factory=list)
    asked_about: str = "what you agreed"


def people(contract: Contract, speaker: str = "a") -> People:
    other = "b" if speaker == "a" else "a"
    return People(me=contract.partner(speaker), other=contract.partner(other))


def meeting_phrase(contract: Contract | None) -> str:
    """ "your Thursday meeting" (or "your next meeting" when no weekday was agreed)."""
    if contract is None or contract.cadence.weekday is None:
        return "your next meeting"
    return f"your {contract.cadence.weekday.capitalize()} meeting"


def goal_phrase(goal: Goal) -> str:
    """A goal's "what" as a verb phrase: "present the Q4 sales results to the leadership team…"."""
    what = goal.what.strip().rstrip(".")
    return what[:1].lower() + what[1:] if what[:2] != what[:2].upper() else what


def goal_gerund(goal: Goal) -> str:
    """The goal as a noun phrase, "presenting the Q4 sales results…": a fact, not an instruction."""
    phrase = goal_phrase(goal)
    first, _, rest = phrase.partition(" ")
    return f"{gerund(first)} {rest}".strip() if first.isalpha() and first.islower() else phrase


def _sources(contract: Contract, keys: list[str]) -> list[Source]:
    by_id = {c.id.split(":", 1)[1]: c for c in contract_clauses(contract)}
    return [
        Source(id=clause.id, kind="contract", source="contract", heading=clause.path, text=clause.text, score=1.0)
        for key in keys if (clause := by_id.get(key)) is not None
    ]


def _date(goal: Goal) -> str:
    if goal.deadline:
        return f"by {goal.deadline.day} {goal.deadline:%B %Y}"
    return f"within {goal.timeframe}" if goal.timeframe else "with no deadline set yet"


_ABOUT_THEM = (
    r"\b(?:his|her|their|my partner's|partner's)\s+(?:\w+\s+)?(?:goals?|targets?|deadlines?|indicators?|offers?|needs?|aims?)\b"
    r"|\b(?:does|did|is|has|will)\s+(?:he|she|they|my partner)\b"
)


def _whose(question: str, who: People) -> tuple[Partner, str]:
    """Whose part of the contract a question is about: the partner when named or referred to as the owner
    ("Tom's goals", "her targets", "what does she need"), otherwise the speaker ("what I'd offer her")."""
    text = question.lower()
    other = re.escape(who.partner_name.lower())
    if re.search(rf"\b{other}(?:'s)?\s+(?:\w+\s+)?(?:goals?|targets?|deadlines?|indicators?|offers?|needs?|aims?)\b|"
                 rf"\b(?:does|did|is|has|will|what)\s+{other}\b|\b{other}'s\W*$|{_ABOUT_THEM}", text):
        return who.other, who.partner_name
    return who.me, "your"


def _best_clause(contract: Contract, question: str) -> Clause | None:
    """The contract clause sharing most content words with the question (at least ``MIN_CLAUSE_WORDS``)."""
    words = content_words(question) - {"contract", "agree", "agreed", "say", "says", "write", "wrote"}
    scored = [(len(words & content_words(c.text)), -i, c) for i, c in enumerate(contract_clauses(contract))]
    best = max(scored, key=lambda x: x[:2], default=None)
    return best[2] if best and best[0] >= MIN_CLAUSE_WORDS else None


MIN_CLAUSE_WORDS = 2
# Words that say what kind of fact is asked for, not which goal it is about.
_ASKING_WORDS = content_words("send sent mean meant suppose supposed remind remember agree agreed often due next week weeks "
                              "time when deadline goal goals target contract meet meeting session sessions help forgot "
                              "forgotten completely again actually track lost know sure before last review like convenient")  # stemmed as asked


def _goal_detail(contract: Contract, question: str, who: People) -> ContractAnswer | None:
    """A goal's own lines (its strategies and indicators) that name what the question is about ("drafts"), with the
    goal's deadline: the speaker's goals first. None when no goal line names it."""
    names = content_words(" ".join(p.name for p in (who.me, who.other)))
    asked = " ".join(q for q in split_sentences(question) if q.strip().endswith("?")) or question  # the question itself
    specific = content_words(asked) - _ASKING_WORDS - names
    if not specific:
        return None
    scored = []  # (words shared with the goal, the speaker's first, order) for each goal with a line that names one
    for rank, person in enumerate((who.me, who.other)):
        for number, goal in enumerate(person.goals, start=1):
            lines = [line for line in [*goal.how, *goal.indicators] if specific & content_words(line)]
            shared = len(specific & content_words(" ".join([goal.what, goal.target, *goal.how, *goal.indicators])))
            if lines:
                scored.append((shared, -rank, -number, person, number, goal, lines))
    if not scored:
        return None
    _, _, _, person, number, goal, lines = max(scored, key=lambda row: row[:3])
    owner = _say("your") if person is who.me else _say("their", name=person.name.split()[0])
    listed = "; ".join(line.rstrip(".") for line in lines)
    return ContractAnswer([_say("goal_detail", owner=owner, number=number, goal=goal_gerund(goal), date=_date(goal),
                                listed=listed)],
                          _sources(contract, [f"{person.id}:{goal.id}:indicators", f"{person.id}:{goal.id}:how"]),
                          f"{owner.lower() if person is who.me else owner} goal {number}")


def answer(contract: Contract, question: str, speaker: str = "a") -> ContractAnswer:
    """Facts from the contract that answer ``question`` asked by partner ``speaker``."""
    who = people(contract, speaker)
    aspect = next((name for name, pattern in _ASPECTS if pattern.search(question)), None)
    person, label = _whose(question, who)
    if aspect in (None, "cadence", "deadlines", "goals", "targets") and (detail := _goal_detail(contract, question, who)):
        return detail  # "when is my next draft due?": the goal whose indicators name drafts, not every deadline
    if aspect is None or aspect == "goals":
        clause = _best_clause(contract, question)
        if clause is not None and (aspect is None or not clause.id.endswith((":what", ":target"))):
            return ContractAnswer([_say("says", text=clause.text)], _sources(contract, [clause.id.split(":", 1)[1]]),
                                  "what your contract says")
    aspect = aspect or "goals"
    if aspect == "progress":
        lines = [_say("goal_status", name=p.name.split()[0], number=n, goal=goal_gerund(g), status=g.status.replace("_", " "))
                 for p in (who.me, who.other) for n, g in enumerate(p.goals, start=1)]
        keys = [f"{p.id}:{g.id}:target" for p in (who.me, who.other) for g in p.goals]
        return ContractAnswer([_say("progress_lead"), *lines], _sources(contract, keys),
                              "where your goals stand")
    if aspect == "feedback_rules":
        rules = "; ".join(r.rstrip(".") for r in contract.terms.feedback_rules)
        return ContractAnswer([_say("feedback_rules", rules=rules)], _sources(contract, ["feedback"]),
                              "your feedback rules")
    owner = _say("your") if label == "your" else _say("their", name=label)
    if aspect == "cadence":
        return ContractAnswer([_cadence_answer(contract, question, who)], _sources(contract, ["cadence"]),
                              "how you meet")
    if aspect in ("confidentiality", "accountability"):
        text = getattr(contract.terms, aspect).strip()
        return ContractAnswer([_say("says", text=text)], _sources(contract, [aspect]), f"your {aspect} terms")
    if aspect == "status":
        signed = [contract.partner(s.partner).name.split()[0] for s in contract.signatures]
        who_signed = _say("signed", names=_say("and").join(signed)) if signed else _say("unsigned")
        review = _say("review_date", day=contract.review_date.day, date=contract.review_date) if contract.review_date else ""
        return ContractAnswer([_say("status", version=contract.version, status=contract.status, who_signed=who_signed,
                                    review=review)],
                              _sources(contract, ["dates"]), "where your contract stands")
    if aspect in ("offers", "needs"):
        items = getattr(person, aspect)
        listed = "; ".join(i.rstrip(".") for i in items) or _say("nothing_yet")
        verb = "offers" if aspect == "offers" else "needs"
        subject = _say("you") if label == "your" else label
        verb = verb[:-1] if label == "your" else verb
        return ContractAnswer([_say("items", subject=subject, verb=verb, listed=listed)], _sources(contract, [f"{person.id}:{aspect}"]),
                              f"{owner.lower() if label == 'your' else owner} {aspect}")
    if not person.goals:
        return ContractAnswer([_say("no_goals", owner=owner)], [], f"{owner.lower()} goals")
    sentences: list[str] = []
    goal_keys: list[str] = []
    for number, goal in enumerate(person.goals, start=1):
        if aspect == "indicators":
            listed = "; ".join(i.rstrip(".") for i in goal.indicators) or _say("none_yet")
            sentences.append(_say("indicators", number=number, goal=goal_gerund(goal), listed=listed))
            goal_keys.append(f"{person.id}:{goal.id}:indicators")
        elif aspect in ("targets", "deadlines"):
            sentences.append(_say("target", number=number, target=goal.target.rstrip("."), date=_date(goal)))
            goal_keys.append(f"{person.id}:{goal.id}:target")
        else:
            sentences.append(_say("goal", number=number, date=_date(goal).replace("by ", "due ", 1), goal=goal_gerund(goal)))
            goal_keys += [f"{person.id}:{goal.id}:what", f"{person.id}:{goal.id}:target"]
    lead = _say("goals_lead", owner=owner) if aspect == "goals" else _say("aspect_lead", owner=owner, aspect=aspect)
    asked_about = f"{'your' if label == 'your' else owner} {aspect}"
    return ContractAnswer([lead, *sentences], _sources(contract, goal_keys), asked_about)


_BANK = Path(__file__).with_name("banks") / "contract.yaml"


def _cadence_answer(contract: Contract, question: str, who: People) -> str:
    """The part of the agreed cadence the question asks about ("how long" → the duration), else all of it."""
    cadence = contract.cadence
    if re.search(r"\bhow long\b|\bminutes?\b|\bduration\b", question, re.IGNORECASE):
        return _say("duration", partner=who.partner_name, minutes=cadence.duration_minutes)
    if cadence.channel and re.search(r"\b(?:video|phone|in person|channel|how do we meet|where)\b", question, re.IGNORECASE):
        return _say("channel", partner=who.partner_name, channel=cadence.channel)
    return _say("cadence", partner=who.partner_name, cadence=cadence.summary())


def _say(key: str, **slots: object) -> str:
    """A sentence of the coach's contract bank (``banks/contract.yaml``)."""
    return text_bank(_BANK).line("contract", key, **slots)


def matching_goal(contract: Contract | None, speaker: str, message: str) -> Goal | None:
    """The speaker's goal a message talks about (most shared content words with its what/target/indicators)."""
    if contract is None:
        return None
    words = content_words(message)
    best: tuple[int, Goal | None] = (0, None)
    for goal in contract.partner(speaker).goals:
        text = " ".join([goal.what, goal.target, goal.unit or "", *goal.indicators, *goal.how])
        shared = len(words & content_words(text))
        if shared > best[0]:
            best = (shared, goal)
    return best[1] if best[0] >= 2 else None
