"""The person's own words, turned to face them: the raw material of every reflection.

- :func:`to_second_person` flips the speaker's pronouns ("I missed my deadline" → "you missed your
  deadline"), fixing the verbs that change with them ("I am" → "you are", "I was" → "you were").
- :func:`key_clause` picks the clause of a message worth reflecting (the first one that says what
  happened or how it feels), cleaned of fillers and cut at a clause boundary.
- :func:`indirect_question` turns a question into the clause a reflection can carry
  ("How often should we meet?" → "how often you should meet").

Hand-written rather than a parser: the pronoun table is closed (English has a dozen first-person forms)
and a dependency parse (spaCy) would add ~1 s of start-up to every chat for the same result here.
"""

from __future__ import annotations

import re

from kickcoach.guard import split_sentences
from kickcoach.text.morphology import past, third_person

_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})
# First person → second person, keyed lower-case. "we/our/us" become "you/your/you": the coach speaks to
# the person about their pair too ("we keep cancelling" → "you keep cancelling").
_FLIP = {
    "i": "you", "me": "you", "my": "your", "mine": "yours", "myself": "yourself",
    "i'm": "you're", "im": "you're", "i've": "you've", "ive": "you've", "i'll": "you'll", "i'd": "you'd",
    "we": "you", "us": "you", "our": "your", "ours": "yours", "ourselves": "yourselves",
    "we're": "you're", "we've": "you've", "we'll": "you'll", "we'd": "you'd",
}
# Verbs that agree with "I" but not with "you".
_AGREE = {"am": "are", "was": "were", "wasn't": "weren't", "amn't": "aren't"}
_WORD_IN_PLACE = re.compile(r"(?<![\w'])[A-Za-z]+(?:'[A-Za-z]+)?(?![\w'])")
# Openings a reflection drops ("so, um, honestly …"), any number of them in a row.
_FILLER_WORDS = (
    "so", "well", "ok", "okay", "um", "uh", "ugh", "hmm", "honestly", "basically", "anyway", "yeah", "yes", "no",
    "hi", "hey", "hello", "also", "and", "but", "sorry", "sadly", "unfortunately", "luckily", "thankfully", "like",
    "just", "to be honest", "tbh", "sigh", "ah", "oh", "right",
)
_FILLERS = re.compile(rf"^(?:(?:{'|'.join(_FILLER_WORDS)})\b[\s,.!:;-]*)+", re.IGNORECASE)
_CLAUSE_CUT = re.compile(r"\s*(?:,\s*(?:but|and|so|because)\s|;|\s+-\s+|\s+—\s+|\s+but\s+)", re.IGNORECASE)
_SECOND_PERSON = re.compile(r"\b(you|your|yours|yourself|u)\b", re.IGNORECASE)
_NEGATIVE_WORDS = re.compile(r"\b(not|never|no|didn't|don't|can't|couldn't|won't|missed|failed|again|late)\b", re.IGNORECASE)
MAX_CLAUSE_WORDS = 22


def to_second_person(text: str) -> str:
    """Flip first-person pronouns (and the verbs that agree with "I") to second person, in place: everything
    else (spacing, "Q4", "10-minute", "9:40") stays exactly as the person wrote it."""
    text = text.translate(_QUOTES)
    out: list[str] = []
    last, previous = 0, ""
    for match in _WORD_IN_PLACE.finditer(text):
        token = match.group(0)
        lower = token.lower()
        if lower in _FLIP:
            word = _FLIP[lower]
        elif lower in _AGREE and previous in ("i", "you"):
            word = _AGREE[lower]
        else:
            word = token
        out += [text[last:match.start()], word]
        last, previous = match.end(), "you" if lower in ("i", "we") else lower
    return ("".join(out) + text[last:]).strip()


def clean_clause(sentence: str) -> str:
    """Strip fillers and end punctuation; cut a long sentence at its first clause boundary."""
    text = _FILLERS.sub("", sentence.strip().translate(_QUOTES)).strip()
    text = text.rstrip(" .!?…")
    words = text.split()
    if len(words) > MAX_CLAUSE_WORDS:
        first = _CLAUSE_CUT.split(text, maxsplit=1)[0]
        words = first.split() if len(first.split()) >= 4 else words[:MAX_CLAUSE_WORDS]
        text = " ".join(words[:MAX_CLAUSE_WORDS]).rstrip(",;:")
    return text


def _score(sentence: str) -> float:
    """How much a sentence is worth reflecting: first person, an event or feeling, not a question to me."""
    s = sentence.lower()
    score = 0.0
    score += 2.0 if re.search(r"\b(i|i'm|i've|my|we|our)\b", s.translate(_QUOTES)) else 0.0
    score += 1.0 if _NEGATIVE_WORDS.search(s) else 0.0
    score -= 3.0 if s.rstrip().endswith("?") else 0.0
    score -= 2.0 if _SECOND_PERSON.search(s) else 0.0
    score -= 1.0 if len(s.split()) < 3 else 0.0
    return score


def key_clause(message: str) -> str:
    """The clause of ``message`` to reflect, still in the person's words (first person); "" when none."""
    sentences = [s for s in split_sentences(message) if s.strip()]
    if not sentences:
        return ""
    best = max(sentences, key=lambda s: (_score(s), -sentences.index(s)))
    if _score(best) < 0:
        return ""
    clause = clean_clause(best)
    return clause if len(clause.split()) >= 2 else ""


def reflect_clause(message: str) -> str:
    """:func:`key_clause` flipped to second person, lower-cased at the start: "you missed the deadline again"."""
    clause = key_clause(message)
    if not clause or _SECOND_PERSON.search(clause):
        return ""  # "I told you…" would flip into nonsense ("you told you…")
    flipped = lower_first(to_second_person(clause))
    first = flipped.split(" ", 1)[0]
    if _dropped_subject(first.lower()):
        flipped = f"you {flipped[:1].lower()}{flipped[1:]}"  # "Skipped my recording again" → "you skipped your recording again"
    return flipped


def _dropped_subject(word: str) -> bool:
    """A diary-style clause that starts with its verb in the past tense ("skipped", "missed", "sent")."""
    from lemminflect import getInflection, getLemma

    if not word.isalpha() or not word.islower():
        return False
    lemmas = getLemma(word, upos="VERB")
    return bool(lemmas) and lemmas[0] != word and word in getInflection(lemmas[0], tag="VBD")


def lower_first(text: str) -> str:
    """Lower-case the first word unless it looks like a name, a weekday or month, or an acronym."""
    first = text.split(" ", 1)[0]
    bare = first.strip(",.;:!?")
    if not bare[:1].isupper() or bare.lower() in _LOWERABLE or bare.lower().endswith(_COMMON_ENDINGS):
        keep = bare.isupper() and len(bare) > 1 or any(c.isdigit() for c in bare) or bare.lower() in _PROPER
        return text if keep else text[:1].lower() + text[1:]
    return text


_LOWERABLE = frozenset(
    "you your the a an it this that there these those they he she his her its what how when why who which "
    "whether is are was were do does did can could should would will my our we between after before "
    "during good bad some most every each all no not nothing everything everyone nobody honestly sadly "
    "last next yesterday today tomorrow tonight again still just only even".split()
)
_COMMON_ENDINGS = ("ing", "ed", "ly", "s", "tion", "ness", "ment")
_PROPER = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july "
    "august september october november december".split()
)
_AUX = r"(?:should|shall|can|could|would|will|do|does|did|is|are|am|was|were|have|has|might|must)"
_SUBJECT = r"(?:[Ii]|[Ww]e|[Yy]ou|[Hh]e|[Ss]he|[Tt]hey|[Ii]t|(?:[Mm]y|[Oo]ur) (?:partner|manager|boss|mentor|team)|[A-Z][a-z]+)"
# The subject must be a pronoun or a name: with a longer noun phrase ("should peer mentors meet") the
# place of the verb is unknown without a parser, and the caller falls back to the topic.
_WH_QUESTION = re.compile(
    rf"^(?P<wh>(?i:what|how|when|where|why|who|which)(?:\s+(?i:often|long|much|many|\w+ly))?)\s+"
    rf"(?P<aux>(?i:{_AUX}))\s+(?P<subj>{_SUBJECT})\b(?P<rest>.*)$"
)
_YES_NO = re.compile(rf"^(?P<aux>(?i:{_AUX}))\s+(?P<subj>{_SUBJECT})\b(?P<rest>.*)$")


def indirect_question(question: str) -> str:
    """ "How often should we meet?" → "how often you should meet"; "" when the shape is not recognised."""
    asked = [s for s in split_sentences(question) if s.strip().endswith("?")]
    if len(asked) != 1:
        return ""  # no question, or several: the caller reflects the topic instead
    text = clean_clause(asked[0]).rstrip("?").strip()
    match = _WH_QUESTION.match(text)
    if match:
        clause = f"{match['wh']} {match['subj']}{_moved(match['aux'], match['rest'])}"
    elif match := _YES_NO.match(text):
        clause = f"whether {match['subj']}{_moved(match['aux'], match['rest'])}"
    else:
        return ""
    return lower_first(to_second_person(clause))


def _moved(aux: str, rest: str) -> str:
    """The auxiliary put back after the subject; "do/does/did" fold into the verb ("does Tom want" → "Tom wants")."""
    aux = aux.lower()
    if aux not in ("do", "does", "did"):
        return f" {aux}{rest}"
    words = rest.split(" ")
    if aux != "do" and len(words) > 1 and words[1].isalpha():
        words[1] = third_person(words[1]) if aux == "does" else past(words[1])
    return " ".join(words)
