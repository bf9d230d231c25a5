"""The boss's next move, decided in code from the state of the talk, and its line: from the bank, or the model's
wording when it passes the in-character check and fits the move.

:func:`decide`: an injection attempt is deflected in character; until the ask is made the boss probes for it;
then it raises its concerns in agenda order (the style's own first: sceptical → evidence and risk, busy → what
do you need from me, defensive → the team's capacity, supportive → how it would work; then the scenario's),
presses an unanswered one once before moving on, acknowledges an answer without flattery, and concedes only
when ``required`` concerns were answered after at least ``min_pushback`` objections or probes. A next step
proposed too early is parked ("Before we fix a date…") and agreed once the boss concedes. Too many turns in a
row without progress (the style's patience, shorter when hard) and the boss ends the talk.

:func:`bank_line` fills the style's and scenario's lines with slots taken from the person's own words (their
ask, their number, the next step they proposed) and the contract goal, never repeating a line.
:func:`model_fits` says why a model line cannot stand for the move (empty: it can).
"""

from __future__ import annotations

import re
import string
from collections.abc import Sequence

from pydantic import BaseModel

from kickcoach import guard
from kickcoach.core.banks import bank_beside
from kickcoach.flows.rehearsal.checks import check_boss_line, concedes, echo_share, sentences, sycophantic, words
from kickcoach.flows.rehearsal.facts import AskFacts, fact_lines, names_facts
from kickcoach.flows.rehearsal.library import Library, Style
from kickcoach.flows.rehearsal.state import ASK, AT_MEETING, MAX_PRESSES, WHEN, TalkState
from kickcoach.text.wellformed import line_problems

# Per level: concerns answered before a concession, and objections or probes before it.
LEVELS = {"normal": {"required": 2, "min_pushback": 2}, "hard": {"required": 3, "min_pushback": 3}}
MAX_LINE_WORDS = 32  # a composed bank line (acknowledgement + "not yet" + the line) stays a short turn
MAX_LINE_SENTENCES = 3
BANK_REPEAT = 0.34  # share of word trigrams shared with an earlier boss line: above it, the line sounds repeated
SLOT_WORDS = 7  # a slot from the person's words is short: the boss quotes, it does not echo
MODEL_MOVES = ("ask_probe", "object", "press", "probe", "concede", "agree", "next_step_probe")
FUNCTION_WORDS = frozenset(
    "to at for with because so and but by in on from since if when which that who as or".split()
)
PRONOUNS = {"i": "you", "me": "you", "my": "your", "mine": "yours", "myself": "yourself", "i'm": "you're", "i've": "you've"}
DOUBLE = frozenset(["stop", "plan", "run", "get", "put", "sit", "set", "cut", "swap", "drop", "shop", "chat", "step", "skip", "map"])
NUMBER = re.compile(
    r"(?:[£$€]\s?)?\d[\d,.]*\s?%?|\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty"
    r"|forty|fifty|hundred|thousand)\b",
    re.IGNORECASE,
)
ASK_LEAD = re.compile(
    r"^(?:to ask (?:you )?(?:if|whether) (?:i|we) (?:can|could) |(?:if|whether) (?:i|we) (?:can|could) "
    r"|to ask (?:you )?(?:for|about) |(?:in |about )|the (?:opportunity|chance) to |(?:is )?(?:for |to ))",
    re.IGNORECASE,
)
# The person's indirect voice before the verb: "it might be possible for me to", "the team could let me".
INDIRECT = re.compile(
    r"^(?:that |if |whether )?(?:it(?:'s| is| would be| might be| could be| may be) (?:possible|okay|ok|fine) (?:for me )?to "
    r"|(?:the team|you|we|they) (?:could|can|would|will|might) let (?:me|us) "
    r"|(?:if|for) (?:i|me to) |(?:is )?(?:to )?be the one (?:who|to|that) )",
    re.IGNORECASE,
)
# The boss's own verb in the ask ("I'm hoping you'll approve the trip"): the ask is its object.
BOSS_VERB = re.compile(
    r"^(?:that )?you(?:'ll| will| could| would| can)? (?:approve|sign off on|sign off|fund|back|support|agree to) ",
    re.IGNORECASE,
)


# What a probe of each kind must be about, for a model line to stand for it.
PROBE_WORDS = {
    "ask_probe": re.compile(r"\b(?:ask|asking|want|need|request|after|looking for|hoping|point)\b", re.IGNORECASE),
    "probe": re.compile(r"\b(?:how|what if|measure|know|first|risk|work)\b", re.IGNORECASE),
    "next_step_probe": re.compile(r"\b(?:next|happen|step|follow|when|by when)\b", re.IGNORECASE),
}


class Move(BaseModel):
    kind: str
    concern: str | None = None
    ack: str | None = None  # a concern answered in this turn, acknowledged first
    too_early: bool = False  # a next step was proposed before the boss's conditions were met


def decide(state: TalkState) -> Move:
    """The boss's move after the person's last turn (see the module docstring)."""
    last = state.last
    if last is None:
        return Move(kind="opening")
    if last.injection:
        return Move(kind="deflect")
    if state.conceded_turn is not None:
        if state.agreed_turn is None and state.next_step_turn is not None:
            return Move(kind="agree")
        if state.agreed_turn is not None:
            return Move(kind="wrap")
        return Move(kind="end" if state.stalled >= state.patience else "next_step_probe")
    if state.ask_turn is None:
        return Move(kind="end" if state.stalled >= state.patience else "ask_probe")
    ack = next(
        (k for k in last.answers if k in state.concerns and state.concerns[k].answered_turn == last.turn
         and not state.concerns[k].before_raised),
        None,
    )
    if state.satisfied:
        return Move(kind="agree" if state.next_step_turn is not None else "concede", ack=ack)
    if state.stalled >= state.patience:
        return Move(kind="end")
    target = _next_concern(state)
    too_early = last.next_step is not None
    if target is None:
        return Move(kind="probe", ack=ack, too_early=too_early)
    kind = "press" if state.concerns[target].raised_turn is not None else "object"
    return Move(kind=kind, concern=target, ack=ack, too_early=too_early)


def _next_concern(state: TalkState) -> str | None:
    if state.open and state.concerns[state.open].presses < MAX_PRESSES:
        return state.open
    for key in state.agenda:
        status = state.concerns[key]
        if status.raised_turn is None and not status.answered:
            return key
    unanswered = [k for k in state.agenda if not state.concerns[k].answered]
    if unanswered:
        return min(unanswered, key=lambda k: state.concerns[k].presses)
    # covered before it came up ("Dana can pick up my rota"): the boss still checks it once, naming the facts
    covered = [k for k in state.agenda if state.concerns[k].before_raised and state.concerns[k].raised_turn is None]
    return covered[0] if covered else None


# --- slots from the person's words ---------------------------------------------------------------------------


def _gerund(verb: str) -> str:
    v = verb.lower()
    if v.endswith("ie"):
        return v[:-2] + "ying"
    if v in DOUBLE:
        return v + v[-1] + "ing"
    if v.endswith("e") and not v.endswith(("ee", "ye", "oe")) and len(v) > 2:
        return v[:-1] + "ing"
    return v + "ing"


def _base(verb: str) -> str:
    """The bare verb of a past or third-person form the person used ("skipped" → "skip", "runs" → "run")."""
    v = verb.lower()
    if re.search(r"([bdgmnpt])\1ed$", v):
        return v[:-3]
    if v.endswith("ied"):
        return v[:-3] + "y"
    if v.endswith("ed"):
        return v[:-2] if not v.endswith(("ated", "ired", "ored", "ured", "ved", "ced", "sed", "zed")) else v[:-1]
    if v.endswith("s") and not v.endswith("ss"):
        return v[:-1]
    return verb


def short_phrase(text: str, limit: int = SLOT_WORDS) -> str:
    """Up to ``limit`` words, cut at a function word once three are in, pronouns turned to the second person."""
    out: list[str] = []
    for raw in text.strip().rstrip(".?!").split():
        if raw in {"—", "–", "-", "--"}:
            break  # an aside after a dash is not part of the phrase ("your salary — you're asking")
        word = raw.strip(",;:")
        if len(out) >= 3 and word.lower() in FUNCTION_WORDS:
            break
        out.append(PRONOUNS.get(word.lower(), word))
        if len(out) >= limit or raw != word:
            break
    while out and out[-1].lower() in FUNCTION_WORDS | {"a", "an", "the", "your", "my"}:
        out.pop()
    return " ".join(out)


def ask_phrase(sentence: str) -> str:
    """The person's ask as a noun phrase: "I'd like to present the Q3 results…" → "presenting the Q3 results"."""
    match = ASK.search(sentence.replace("’", "'"))
    if not match:
        return ""
    rest = sentence[match.end():].strip()
    boss_verb = BOSS_VERB.match(rest)
    if boss_verb:
        return short_phrase(rest[boss_verb.end():])
    modal = re.match(r"^(?:that |if |whether )?(?:i|we) (?:could|can|might|would|should|may) ", rest, re.IGNORECASE)
    indirect = None if modal else INDIRECT.match(rest)
    modal = modal or indirect
    rest = rest[modal.end():] if modal else re.sub(r"^me (?=\w+ing\b)", "", rest, flags=re.IGNORECASE)
    if re.match(r"^(?:you|your|i|we)\b", rest, re.IGNORECASE):
        return ""
    lead = ASK_LEAD.match(rest)
    lead_text = lead.group(0).lower() if lead else ""
    verb_form = bool(modal) or (
        match.group(0).lower().strip().endswith(
            ("could i", "can i", "may i", " to", "could we", "can we", "let me", "should", "about i")
        )
        or lead_text.endswith("to ") or " if " in f" {lead_text}" or "whether" in lead_text
    )
    rest = rest[lead.end():] if lead else rest
    phrase = short_phrase(rest)
    if not phrase:
        return ""
    if verb_form:
        first, _, tail = phrase.partition(" ")
        if indirect:
            first = _base(first)  # "if I skipped the stand-ups" → "skipping", "the one who runs it" → "running"
        if first.lower().endswith("ly") and tail:  # "formally own the rota" → "formally owning the rota"
            verb, _, tail = tail.partition(" ")
            first, tail = f"{first} {_gerund(verb)}", tail
        else:
            first = _gerund(first)
        phrase = f"{first} {tail}".strip()
    return phrase


def number_phrase(sentence: str) -> str:
    match = NUMBER.search(sentence)
    return short_phrase(sentence[match.start():], 3) if match else ""


def when_phrase(sentence: str) -> str:
    found = AT_MEETING.search(sentence) or WHEN.search(sentence)
    if not found:
        return ""
    return short_phrase(re.sub(r"^(?:at|in|on|by|until|before)\s+", "", found.group(0), flags=re.IGNORECASE), 5)


def slots(state: TalkState, lib: Library, goal: str = "", facts: AskFacts | None = None) -> dict[str, str]:
    last = state.last.text if state.last else ""
    source = state.evidence_line if state.evidence_turn == (state.last.turn if state.last else None) else last
    ask = ask_phrase(state.ask_line) if state.ask_line else ""
    cut = facts and facts.project and ask and facts.project not in ask and set(ask.split()[-1:]) & set(facts.project.split())
    if facts and cut and ask.split()[0].endswith("ing"):
        ask = f"{ask.split()[0]} {facts.project}"  # "leading the next phase of the data" → "leading the data migration"
    if facts and facts.project and re.search(r"\b(?:them|it)\b", ask) and ask.split()[0].endswith("ing"):
        ask = re.sub(r"\b(?:them|it)\b", facts.project, ask, count=1)  # "rewriting them" → "rewriting the onboarding docs"
    back = re.search(r"\b(on|for|of|with) (?:it|them)\b", state.ask_line)  # "the tech lead on it": it is the project
    if facts and facts.project and ask and back and facts.project not in ask and len(ask.split()) < SLOT_WORDS - 1:
        ask = f"{ask} {back.group(1).lower()} {facts.project}"  # "being the tech lead on the billing rewrite"
    return (facts.slots() if facts else {}) | {
        "ask": ask,
        "number": number_phrase(source),
        "next_step": when_phrase(state.next_step_line) if state.next_step_line else "",
        "goal": ask_phrase("I'd like to " + goal[:1].lower() + goal[1:]) if goal else "",
    }


# --- the bank -------------------------------------------------------------------------------------------------


def _fill(template: str, values: dict[str, str]) -> str | None:
    names = {name for _, name, _, _ in string.Formatter().parse(template) if name}
    if any(not values.get(n) for n in names):
        return None
    text = template.format(**{n: values[n] for n in names})
    return text[:1].upper() + text[1:]


def _candidates(move: Move, style: Style, lib: Library, scenario: str) -> list[str]:
    """The lines for ``move``; for a concern, those naming the person's facts come first (skipped when empty)."""
    named = fact_lines(style.id, move.concern) if move.concern else []
    if move.kind == "object" and move.concern:
        return named + lib.scenario_lines(scenario, move.concern) + style.objection.get(move.concern, [])
    if move.kind == "press" and move.concern:
        return named + style.bank["press"] + style.objection.get(move.concern, [])
    return style.bank[move.kind]


def bank_line(
    move: Move,
    style: Style,
    lib: Library,
    scenario: str,
    values: dict[str, str],
    *,
    said: Sequence[str],
    user_text: str = "",
    boss_name: str = "",
) -> str:
    """The prepared line for ``move``: acknowledgement and "not yet" prefixes, then the main line, all checked."""
    concern = lib.concerns.get(move.concern or "")
    ack = lib.concerns.get(move.ack or "")
    values = values | {"topic": concern.topic if concern else "", "question": concern.question if concern else ""}
    mains = [t for t in (_fill(x, values) for x in _candidates(move, style, lib, scenario)) if t]
    acks = [t for t in (_fill(x, values | {"topic": ack.topic}) for x in style.bank["acknowledge"]) if t] if ack else []
    early = [t for t in (_fill(x, values) for x in style.bank["too_early"]) if t] if move.too_early else []
    # "Not yet" matters more than the acknowledgement when the line has room for only one of them.
    prefixes = [[a, e] for a in acks for e in early] + [[e] for e in early] + [[a] for a in acks] + [[]]
    fresh = [m for m in mains if m not in said]
    for prefix in prefixes:
        for main in fresh:
            if prefix and words(prefix[0])[:1] == words(main)[:1]:  # not "Fine, … Fine, go ahead."
                continue
            text = " ".join([*prefix, main])
            if _fits(text, said, user_text=user_text, boss_name=boss_name):
                return text
    whole = [m for m in fresh if not line_problems(m)]
    spare = [m for m in mains if not line_problems(m)]
    return whole[0] if whole else spare[len(said) % len(spare)] if spare else style.bank["probe"][0]


def _fits(text: str, said: Sequence[str], *, user_text: str, boss_name: str) -> bool:
    if len(words(text)) > MAX_LINE_WORDS or len(sentences(text)) > MAX_LINE_SENTENCES:
        return False
    if any(echo_share(text, earlier) >= BANK_REPEAT for earlier in [*said, user_text]):
        return False  # sounds like an earlier line, or parrots the person's own words back
    if line_problems(text):
        return False  # a slot that broke the sentence ("let's go with for your review")
    return not check_boss_line(text, user_text=user_text, previous=said, boss_name=boss_name)


# --- the model's wording ---------------------------------------------------------------------------------------



def directive(move: Move, lib: Library, boss_name: str) -> str:
    concern = lib.concerns.get(move.concern or "")
    return bank_beside(__file__).line("directives", move.kind, boss=boss_name, question=concern.question if concern else "")


def model_fits(text: str, move: Move, lib: Library, **context: object) -> list[str]:
    """Why the model's line cannot stand for ``move``: the in-character problems, a sentence the suggestion guard
    reads as advice, and contradictions of the state."""
    facts = context.pop("facts", None)
    problems = check_boss_line(text, **context)  # type: ignore[arg-type]
    problems += line_problems(text)
    previous = [str(p) for p in context.get("previous", ()) or ()]  # type: ignore[attr-defined]
    if any(guard.is_suggestion(s) for s in sentences(text)):  # house rule: model text that reads as advice is not shown
        problems.append("reads as a suggestion to the user (guard)")
    conceding = move.kind in ("concede", "agree")
    if sycophantic(text) and not conceding:
        problems.append("flatters or agrees before the concern was answered")
    elif sycophantic(text) and any(sycophantic(p) for p in previous):
        problems.append("flatters a second time")
    if any(echo_share(text, p) >= BANK_REPEAT for p in previous):  # the bank's own "no line repeats" bar
        problems.append("sounds like an earlier line")
    if concedes(text) and not conceding:
        problems.append("concedes before the boss's concerns were answered")
    if conceding and not concedes(text):
        problems.append("does not agree although the concerns were answered")
    if move.kind in ("object", "press") and move.concern and not (lib.concerns[move.concern].raised.search(text) and "?" in text):
        problems.append(f"does not ask about {lib.concerns[move.concern].topic}")
    if move.kind in ("object", "press") and isinstance(facts, AskFacts) and facts.words() and not names_facts(text, facts):
        problems.append("does not name the person's ask or facts")
    if move.kind in ("ask_probe", "probe", "next_step_probe") and not ("?" in text and PROBE_WORDS[move.kind].search(text)):
        problems.append("does not ask the question the move needs")
    return problems
