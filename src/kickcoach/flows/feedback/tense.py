"""Putting a clause in the past tense: find the subject and its finite verb, and convert the verb
("never answer" -> "didn't answer", "are always interrupting" -> "interrupted", "keep dumping" -> "dumped")."""

from __future__ import annotations

from collections.abc import Sequence

from kickcoach.flows.feedback.lexicon import (
    BASE_OF,
    PARTICIPLES,
    PAST_FORMS,
    STOPWORDS,
    base_form,
    known_base,
    past,
    words_of,
)
from kickcoach.flows.feedback.tokens import (
    _ADVERBS,
    _AUX,
    _COPULA,
    _SUBJECTS,
    _SUBJECTS_PLURAL,
    _SUBJECTS_SINGULAR,
    _subject_at_start,
)


def _verbish(tok: str, subject: str | None = None) -> bool:
    """Could ``tok`` be the finite verb after ``subject``? (agreement: "you ignore", "nobody knows")."""
    lo = tok.lower()
    if lo in _AUX or tok == "<NEVER>":
        return True
    base = known_base(lo)
    if base is None:
        return lo.endswith("ed") and len(lo) > 4
    if subject in _SUBJECTS_PLURAL and lo.endswith("s") and lo != base and lo not in PAST_FORMS:
        return False  # "you notes" is not a verb
    if subject in _SUBJECTS_SINGULAR and lo == base and lo not in PAST_FORMS:
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
        and known_base(lo) is None
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
        if k < len(tokens) and known_base(tokens[k]):
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
        if habitual and nxt.endswith("ing") and known_base(nxt):
            return j - i + 1, [past(known_base(nxt) or nxt)], False
        return 1, [was], False
    if lo in {"have", "has"}:
        if nxt in {"not", "<never>"}:
            return j - i + 1, [lo, "not"], False
        if nxt == "to" or not (nxt in PARTICIPLES or nxt == "been" or (nxt.endswith("ed") and len(nxt) > 4)):
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
    if lo in PAST_FORMS or (lo.endswith("ed") and known_base(lo) is None and len(lo) > 4):
        return 1, [tok], False
    base = known_base(lo)
    if base is None and i == 1 and subject in _SUBJECTS_PLURAL and _unknown_verb(tok):
        base = lo  # "you gossip about the team" -> "you gossiped"
    if base is None or lo.endswith("ing"):
        return 0, [], False
    return 1, [_cased(tok, past(base))], False


_DETERMINERS = frozenset(words_of("the a an my your our their his her this that these those each"))


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
        base = known_base(lo)
        if base is None or lo in PAST_FORMS:
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
        and (known_base(tokens[0]) is not None or tokens[0] == "<NEVER>")
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
            if nxt == "<NEVER>" or (nxt.lower() in BASE_OF and nxt.lower() == known_base(nxt)):
                expect = True
        out.append(tok)
        i += 1
    return out
