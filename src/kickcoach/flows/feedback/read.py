"""Reading a criticism: the attacks are taken out (a judgement or mind-reading clause whole, a label word
alone), the rest is split into clauses, and each clause is sorted into *situation* ("when I asked…"),
*impact* ("so I have to…", "it's embarrassing") or *behaviour* (what was done, made observable and past:
"in every meeting" -> "in the last meeting", "every point" -> "the points")."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

from lemminflect import getAllLemmas
from pydantic import BaseModel, Field

from kickcoach.flows.feedback.detect import _MIND_SHORT_RE, Flag, detect, reports
from kickcoach.flows.feedback.lexicon import (
    BASE_OF,
    FEELINGS,
    PAST_FORMS,
    STOPWORDS,
    TIME_UNITS,
    known_base,
    past,
    plural,
    words_of,
)
from kickcoach.flows.feedback.tense import _is_subject, _np_finite_index, _skip, _to_past
from kickcoach.flows.feedback.tokens import (
    _AUX,
    _CLAUSE_BREAK,
    _COPULA,
    _FILLERS,
    _IMPACT_AFTER_I,
    _IMPACT_CONNECTORS,
    _IMPACT_SUBJECTS,
    _INTENSIFIERS,
    _OTHER_CONNECTORS,
    _SENTENCE_BREAK,
    _SITUATION_STARTS,
    _SPLIT_BEFORE,
    _SUBJECTS,
    _WHEN_STARTS,
    _detokenize,
    _subject_at_start,
    _tokens,
)
from kickcoach.text.words import normalise


def _starts(tokens: Sequence[str], phrase: Sequence[str]) -> bool:
    return [t.lower() for t in tokens[: len(phrase)]] == list(phrase)


_LINKING = frozenset(words_of("get gets got getting become becomes became act acts acted acting go goes went"))
_LOOKING = frozenset(words_of("look looks looked looking sound sounds sounded feel feels felt"))


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


def _has_finite(tokens: Sequence[str]) -> bool:
    if not tokens:
        return False
    if known_base(tokens[0]) is not None or tokens[0] == "<NEVER>":
        return True
    return (
        any(
            t.lower() in _AUX or t == "<NEVER>" or t.lower() in PAST_FORMS or _is_subject(tokens, i)
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
    if len(tokens) > 1 and lo[0] in {"stop", "quit"} and lo[1].endswith("ing") and known_base(lo[1]):
        return ["you", past(known_base(lo[1]) or lo[1]), *tokens[2:]]
    return tokens


def _noun_compound(first: str, after: str) -> tuple[str, str]:
    """ "edge" + " case we discussed" -> ("edge cases", " we discussed"): the plural goes on the head noun."""
    nouns = [first]
    rest = after
    while True:
        match = re.match(r"\s+([A-Za-z][A-Za-z-]*)", rest)
        if not match or match.group(1).lower() in STOPWORDS or "NOUN" not in getAllLemmas(match.group(1).lower()):
            break
        if known_base(match.group(1)) and match.group(1).lower() != known_base(match.group(1)):
            break  # an inflected verb ("every idea raised"), not a noun
        nouns.append(match.group(1))
        rest = rest[match.end() :]
    return " ".join([*nouns[:-1], plural(nouns[-1])]), rest


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
            reported = reports(before)
            repl = f' "{flag.text}" ' if reported else " <LBL> "
        elif words[0] in {"never", "not"} or words[:2] == ["never", "once"]:
            repl = " <NEVER> "
        elif words[0] == "forever" and re.search(r"\b(?:take|takes|took|taking)\s*$", before, re.I):
            repl = " a long time "
        elif "every" in words:
            noun = words[-1]
            if noun in {"of"} or noun in TIME_UNITS:
                opens = not before.strip() or re.search(r"[.!?,;:\u2014\u2013|(]\s*$", before)
                repl = " <WHEN> " if noun in {"time", "times"} and opens else " <ABS> "
            else:
                surface = flag.text.split()[-1]
                if re.search(r"\b(?:in|at|to|for|during|after|before|on|from|into)\s*$", before, re.I):
                    repl = f" the last {surface} "
                else:
                    compound, rest = _noun_compound(surface, out[flag.end :])
                    repl = f" the {compound} "
                    out = before + repl + rest
                    continue
        elif words[0] in {"everything", "anything", "nothing", "none"}:
            after = out[flag.end :]
            relative = re.match(r"\s+(?:that|which)\s+", after, re.IGNORECASE)
            if relative:  # "blame me for anything that goes wrong" -> "blame me for what goes wrong"
                out = before + " what " + after[relative.end() :]
                continue
            if re.match(r"\s+(?:we|you|i|they|he|she)\b", after, re.IGNORECASE):
                repl = " what "  # "forgot everything we agreed" -> "forgot what we agreed"
            elif words[0] in {"nothing", "none"}:
                continue  # no faithful plain wording: left for verification to refuse
            else:
                before = re.sub(r"\b(?:to|on|about|with|for|of|at)\s*$", "", before, flags=re.I)
                repl = " "  # "test anything before you push" -> "test before you push"
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


_LOWER_STARTS = STOPWORDS | _SUBJECTS - {"i"} | set(BASE_OF) | {"half", "nobody", "everyone", "people"}


def _decap(text: str) -> str:
    first = text.split(" ", 1)[0]
    if first.lower() in _LOWER_STARTS and first.lower() != "i" and not first.isupper():
        return text[:1].lower() + text[1:]
    return text


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def read(text: str) -> Reading:
    """Sort what ``text`` says into situation, behaviour and impact clauses (see the module docstring)."""
    norm = normalise(text)
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
                    subject=not known_base(tokens[0]) or _subject_at_start(tokens),
                    sentence=number,
                )
            )
        if pending_situation:
            clauses.append(Clause(role="situation", text=pending_situation, sentence=number))
    return Reading(clauses=clauses)


def behaviour_of(text: str) -> str:
    """The behaviour the criticism describes, observable and in the past ("you didn't answer my emails")."""
    return read(text).behaviour
