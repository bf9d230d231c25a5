"""The person's own words, turned to face them: the raw material of every reflection.

- :func:`to_second_person` flips the speaker's pronouns ("I missed my deadline" → "you missed your
  deadline"), fixing the verbs that change with them ("I am" → "you are", "I was" → "you were").
- :func:`key_clause` picks the clause of a message worth reflecting (the one that says what happened or how
  it feels, first person first), cleaned of fillers and hedges and cut at clause boundaries until it is the
  gist: at most :data:`MAX_CLAUSE_WORDS` words and never :data:`MAX_RUN` + 1 of their words in a row, so a
  reflection never hands the whole message back. Negation and modality ("don't", "might", "can't") stay.
- :func:`indirect_question` turns a question into the clause a reflection can carry
  ("How often should we meet?" → "how often you should meet").

Hand-written rather than a parser: the pronoun table is closed (English has a dozen first-person forms)
and a dependency parse (spaCy) would add ~1 s of start-up to every chat for the same result here.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from kickcoach.flows.coach import bank_files as banks
from kickcoach.flows.coach.well_formed import well_formed
from kickcoach.guard import split_sentences

_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})
# First person → second person, keyed lower-case. "we/our/us" become "you/your/you": the coach speaks to
# the person about their pair too ("we keep cancelling" → "you keep cancelling").
_FLIP = {
    "i": "you", "me": "you", "my": "your", "mine": "yours", "myself": "yourself",
    "i'm": "you're", "im": "you're", "i've": "you've", "ive": "you've", "i'll": "you'll", "i'd": "you'd",
    "we": "you", "us": "you", "our": "your", "ours": "yours", "ourselves": "yourselves",
    "we're": "you're", "we've": "you've", "we'll": "you'll", "we'd": "you'd",
}
# Contractions typed without the apostrophe ("cant", "didnt"), put right when reflected.
_SPELLING = {w.replace("'", ""): w for w in (
    "can't", "don't", "didn't", "doesn't", "isn't", "wasn't", "haven't", "hasn't", "couldn't", "wouldn't",
    "shouldn't", "aren't", "weren't", "that's")}
# Verbs that agree with "I" but not with "you".
_AGREE = {"am": "are", "was": "were", "wasn't": "weren't", "amn't": "aren't"}
_WORD_IN_PLACE = re.compile(r"(?<![\w'])[A-Za-z]+(?:'[A-Za-z]+)?(?![\w'])")
# Openings a reflection drops ("so, um, honestly …", "Alright,", "Thanks. Different topic:"), any number in a row.
_FILLER_WORDS = tuple(banks.lexicon().fillers)  # lexicon.yaml: openings a reflection drops


def _stretchy(word: str) -> str:
    """A filler that also matches when typed stretched out ("sooo", "okkk", "ummm", "lolll")."""
    return word if "+" in word else "".join(f"{re.escape(c)}+" if c.isalpha() else re.escape(c) for c in word)


def _filler(word: str) -> str:
    """"no" is a filler only as an interjection ("No, I didn't"): "No tips needed" keeps its negation."""
    return r"no(?=\s*[,.!:;-]|\s*$)" if word == "no" else _stretchy(word)


_FILLERS = re.compile(rf"^(?:(?:{'|'.join(map(_filler, _FILLER_WORDS))})\b[\s,.!:;-]*)+", re.IGNORECASE)
# Hedges and intensifiers inside a clause: dropped from a reflection (the gist, not a transcript).
_INNER_FILLERS = re.compile(
    r",?\s*\b(?:just|really|actually|literally|basically|honestly|totally|kinda|sorta|kind of|sort of|tbh|lol|also|even|"
    r"you know|i mean|to be fair|to be honest|at all)\b,?", re.IGNORECASE)
_TRAILING_HEDGE = re.compile(r"[\s,]+(?:though|tho|too|anyway|anyways|so|then|lol|haha|tbh|i guess|i think|i suppose|"
                             r"you know|or something|or whatever|to be fair|honestly)$", re.IGNORECASE)
# "I think the real issue is …": a lead-in before the clause itself (only when a subject follows).
_LEAD_IN = re.compile(
    r"^(?:i (?:think|guess|suppose|reckon|feel like|mean|know|realise|realize|admit)|"
    r"the (?:(?:actual|real|main|funny|annoying|good|weird) )?(?:thing|problem|issue|truth|hard part|worst part|point) is|"
    r"it's (?:just )?that|i have to say)\s+(?:that\s+)?"
    r"(?=(?:i|i'm|i've|we|he|she|they|it|it's|my|our|the|this|there|nobody|everyone)\b)", re.IGNORECASE)
# Where a sentence splits into clauses: punctuation, or a conjunction before a new subject.
_SUBJECT_AHEAD = (r"(?:(?i:i|i'm|i've|i'll|i'd|im|we|we're|he|he's|she|she's|they|they're|it|it's|that|there|my|our|"
                  r"his|her|their|now|then|nobody|no one|everyone|everybody|someone|the|this)\b|[A-Z][a-z]+\b)")
_CLAUSES = re.compile(
    r"\s*;\s*|:\s+|\s+[-—–]+\s+|\s*,\s*(?=(?i:and|but|so|because|cause|cos|though|although|while|whereas|which|since|"
    rf"plus|yet|or|like|just)\b|{_SUBJECT_AHEAD})|\s+(?=(?i:and|but|so|because|cause|cos|though|although|while|whereas|since|"
    rf"plus|yet)\s+{_SUBJECT_AHEAD})")
_CONJUNCTION = re.compile(r"^(?:and|but|so|because|cause|cos|though|although|while|whereas|since|plus|yet|or|then|like|just)\s+",
                          re.IGNORECASE)
# A subordinate tail a long clause can lose ("… when I present them", "… before I even check").
_SUBORDINATE = re.compile(r"\s+(?:when|whenever|because|cause|cos|before|after|until|till|unless|if|every time|each time|"
                          r"since|so that|even though|although|though|while|as soon as)\s+.*$", re.IGNORECASE)
_TAILS = (
    _SUBORDINATE,
    re.compile(r",\s+\S+\s+\S+.*$"),  # "Went to the gym twice this week, first time in months"
    re.compile(r"\s+(?:and|or|but|then)\s+(?!(?:i|i'm|i've|we|he|she|they|it|my|our|the)\b)\w+.*$", re.IGNORECASE),
    re.compile(r"\s+(?:instead of|rather than|apart from|other than)\s+.*$", re.IGNORECASE),
    re.compile(r"\s+(?:once|twice|every|each|this|last|next|today|yesterday|tonight|tomorrow|lately|already|"
               r"anymore|at the moment|right now|these days|both times|all week|all day)\b.*$", re.IGNORECASE),
    re.compile(r"\s+\w+ing\b.*$", re.IGNORECASE),  # "… like an imposter presenting to my team"
)
# Words after which an -ing word is no tail of its own ("I keep putting it off", "I'm starting").
_BEFORE_GERUND = frozenset("am is are was were be been i'm im you're we're he's she's it's they're keep kept stop "
                           "stopped start started about of for at in on by from without like avoid avoiding enjoy hate "
                           "love finish quit mind spend spent".split())
_PREPOSITION = re.compile(r"\s+(?:to|for|on|in|at|with|about|from|of|into|by|over|than|during|around|through|"
                          r"without|after|before)\s+", re.IGNORECASE)
_TAKES_TO = re.compile(r"(?:\w+ing|\b(?:want|wants|need|needs|have|has|had|going|got|trying|try|tried|able|supposed|hope|plan|"
                       r"used|like|love|hate|meant|decided|ought|how|what|where|started|start|begin|began|seem|seems|"
                       r"seemed|managed|afraid|scared|ready|easy|hard|wanted|needed|due|close|next|kind|sort|lot|out|"
                       r"all|part|top|front|because|some|most|none|each|any|one))$", re.IGNORECASE)
_DANGLING = re.compile(r",\s*(?:\S+\s*){1,2}$")  # "…in over a week, no idea" once its tail is cut
_OPEN_CLAUSE = re.compile(r"\b(?:that|who|which|when|if|because|whether|what|how|where|while|as)\s+(?:\w+\s+){0,1}\w+$|"
                          r"\b(?:the|a|an|my|your|our|his|her|their)$", re.IGNORECASE)
_RELATIVE_START = re.compile(r"^(?:which|who|whom|whose|that's why|where|what)\b", re.IGNORECASE)
_IMPERATIVE = re.compile(r"^(?:please\s+)?(?:give|tell|help|show|send|suggest|walk|list|remind|let|make|teach|explain)"
                         r"\s+(?:me|us)\b|^please\b", re.IGNORECASE)
_SECOND_PERSON = re.compile(r"\b(you|your|yours|yourself|u)\b", re.IGNORECASE)
_FEELING_SAID = re.compile(r"\b(?:i'm|im|i am|i feel|i felt|feeling|i was|i get|makes me)\s+(?:so\s+|really\s+|just\s+|"
                           r"pretty\s+|a bit\s+|quite\s+|very\s+)?(?!not\b)\w+", re.IGNORECASE)
_NEGATIVE_WORDS = re.compile(r"\b(not|never|no|didn't|don't|can't|couldn't|won't|missed|failed|again|late)\b", re.IGNORECASE)
_WORDS = re.compile(r"[a-z0-9']+")
_SWAPS = tuple(banks.lexicon().paraphrases)  # lexicon.yaml: light paraphrases that break a long run
MAX_CLAUSE_WORDS = 12  # the gist in at most this many of their words
MAX_RUN = 7  # and never more than this many of their words in a row


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
        elif lower in _SPELLING:
            word = _SPELLING[lower]
        elif lower in _AGREE and previous in ("i", "you"):
            word = _AGREE[lower]
        else:
            word = token
        out += [text[last:match.start()], word]
        last, previous = match.end(), "you" if lower in ("i", "we") else lower
    return ("".join(out) + text[last:]).strip()


def clean_clause(sentence: str) -> str:
    """Strip fillers, lead-ins, hedges and end punctuation (no cutting: see :func:`gist`)."""
    text = sentence.strip().translate(_QUOTES)
    for _ in range(3):  # "Ok so I think the real issue is …", "… though I guess"
        text = _LEAD_IN.sub("", _FILLERS.sub("", text).strip()).strip()
        text = _TRAILING_HEDGE.sub("", text.rstrip(" .!?…")).strip()
    text = re.sub(r"\s+,", ",", re.sub(r",\s*,", ",", _INNER_FILLERS.sub(" ", text)))
    text = re.sub(r"\s{2,}", " ", text).strip(" ,")
    return text.rstrip(" .!?…,")


# "idk if I even want to…": the doubt is the point, not a filler to drop ("if you want to work in cloud" inverts it)
_UNSURE = re.compile(r"^\W*(?:idk|i dunno|dunno|i don't know|i dont know|not sure)\s+(if|whether)\b", re.IGNORECASE)


def clauses(sentence: str) -> list[str]:
    """The clauses of a sentence, conjunctions and fillers stripped."""
    pieces = [p for chunk in re.split(r"\.\s+(?=[a-z])", sentence) for p in _CLAUSES.split(chunk)]  # "… conversation. no promise"
    parts = [_CONJUNCTION.sub("", _FILLERS.sub("", _UNSURE.sub(r"I'm not sure \1", part.strip()))).strip(" ,")
             for part in pieces]
    return [clean_clause(p) for p in parts if p and p.strip(" ,")]


def own_clauses(sentence: str) -> list[str]:
    """:func:`clauses`, less a clause with no subject that carries on someone else's: in "Gary said I did well and
    then did an impression of my accent" Gary did the impression, and "you did an impression" would accuse them."""
    kept: list[str] = []
    theirs = True  # whose clause a subjectless one continues: a sentence that opens without one is a diary's ("Sent it")
    for part in clauses(sentence):
        words = [w.strip(",.;:!?'\"").lower() for w in part.split()]
        words = words[1:] if words and words[0] in _ADVERBS | {"afterwards", "later", "then", "after"} else words
        if not words:
            continue
        if _dropped_subject(words[0]) or words[0] in _BARE_AUXILIARIES:
            if theirs:
                kept.append(part)
            continue
        theirs = words[0] in _FIRST_PERSON
        kept.append(part)
    return kept


_FIRST_PERSON = frozenset("i i'm im i've ive i'd i'll we we're we've we'd me my".split())


def longest_run(text: str, source: str) -> int:
    """The longest run of consecutive words ``text`` shares with ``source`` (lower-case, punctuation ignored)."""
    return common_run(_WORDS.findall(text.lower().translate(_QUOTES)), _WORDS.findall(source.lower().translate(_QUOTES)))


def common_run(t: list[str], s: list[str]) -> int:
    """The longest run of consecutive tokens two token lists share."""
    best, previous = 0, [0] * (len(s) + 1)
    for word in t:
        current = [0] * (len(s) + 1)
        for j, other in enumerate(s, start=1):
            if word == other:
                current[j] = previous[j - 1] + 1
                best = max(best, current[j])
        previous = current
    return best


def gist(clause: str, message: str, *, min_words: int = 3) -> str:
    """The gist (below) if it reads as a clause a person said; "" otherwise, and the coach reflects less."""
    return well_formed(_gist(clause, message, min_words=min_words), min_words=min_words)


def _gist(clause: str, message: str, *, min_words: int = 3) -> str:
    """``clause`` cut down to the gist: its subordinate tail and trailing phrases dropped until it has at most
    MAX_CLAUSE_WORDS words, repeats at most MAX_RUN of the message's words in a row once turned to face them,
    and is not the whole message back; "" when no cut keeps a clause of ``min_words`` words or more."""
    whole = len(_WORDS.findall(message.lower()))
    message = to_second_person(message)  # their words faced as the reply faces them ("my deck" is "your deck")
    limit = MAX_CLAUSE_WORDS if whole <= 12 else min(MAX_CLAUSE_WORDS, max(8, int(whole * 0.75)))
    candidate = clause
    for _ in range(8):
        words = candidate.split()
        if len(words) < min_words:
            return ""
        if len(words) <= limit:
            if longest_run(to_second_person(candidate), message) <= MAX_RUN:
                return candidate
            swapped_all = candidate
            for pattern, swap in _SWAPS:  # a light paraphrase before a cut: one swap, then several together
                swapped = re.sub(pattern, swap, candidate, count=1, flags=re.IGNORECASE)
                if swapped != candidate and longest_run(to_second_person(swapped), message) <= MAX_RUN:
                    return swapped
                swapped_all = re.sub(pattern, swap, swapped_all, count=1, flags=re.IGNORECASE)
            if swapped_all != candidate and longest_run(to_second_person(swapped_all), message) <= MAX_RUN:
                return swapped_all
        shorter = ""
        for tail in _TAILS:  # the first cut that leaves a clause: a subordinate, a second verb, a time, a gerund tail
            cut = next((m.start() for m in tail.finditer(candidate) if len(candidate[:m.start()].split()) >= min_words
                        and not _OPEN_CLAUSE.search(candidate[:m.start()])
                        and candidate[:m.start()].split()[-1].lower() not in _BEFORE_GERUND), None)
            if cut is not None:
                shorter = candidate[:cut]
                break
        if not shorter:
            cuts = [m.start() for m in _PREPOSITION.finditer(candidate)
                    if len(candidate[:m.start()].split()) >= min_words and not _TAKES_TO.search(candidate[:m.start()])]
            cuts += [m.start() for m in re.finditer(r",", candidate) if len(candidate[:m.start()].split()) >= min_words]
            cuts = [c for c in cuts if not _OPEN_CLAUSE.search(candidate[:c])]  # "it matters to you that people" is no gist
            if not cuts:
                return ""
            shorter = candidate[:max(cuts)]
        candidate = _DANGLING.sub("", shorter.rstrip(" ,"))
    return ""


def _score(sentence: str) -> float:
    """How much a clause is worth reflecting: first person, an event or feeling, not a question or a request to me."""
    s = sentence.lower().translate(_QUOTES)
    score = 0.0
    score += 2.0 if re.search(r"\b(i|i'm|i've|im|my|we|our|me)\b", s) else 0.0
    score += 1.0 if _NEGATIVE_WORDS.search(s) else 0.0
    score -= 3.0 if s.rstrip().endswith("?") else 0.0
    score -= 2.0 if _SECOND_PERSON.search(s) else 0.0
    score -= 1.0 if len(s.split()) < 3 else 0.0
    score -= 1.0 if re.match(r"^(?:it|it's|that|that's|this|they|them)\b", s) else 0.0  # points elsewhere
    score -= 4.0 if _RELATIVE_START.match(s) or _IMPERATIVE.match(s) else 0.0
    score += 1.5 if _FEELING_SAID.search(s) else 0.0  # "I'm tired of waiting" over "I'm not angry"
    return score


def key_clause(message: str, *, source: str = "", keep: Callable[[str], bool] | None = None) -> str:
    """The clause of ``message`` to reflect, still in the person's words (first person); "" when none.
    ``source``: the whole message ``message`` is part of (the gist never repeats 8 of its words in a row).
    "it" is resolved where it is easy: "There's a planning meeting every Tuesday and I never say anything in
    it" → "I never say anything in the planning meeting"."""
    candidates: list[tuple[float, int, str]] = []
    for sentence in (s for s in split_sentences(message) if s.strip()):
        question = sentence.strip().endswith("?")
        referent = ""
        for part in own_clauses(sentence):
            scored = part + ("?" if question else "")
            if referent:
                part = _OBJECT_IT.sub(rf"\1 the {referent}", part, count=1)
            candidates.append((_score(scored), -len(candidates), part))
            if match := _INTRODUCED.match(part):
                referent = match["thing"].strip()
    for score, _, part in sorted(candidates, reverse=True):
        if score < 0:
            break
        if (short := gist(part, source or message)) and (keep is None or keep(short)):
            return short  # ``keep``: the caller's own test (a clause it could reflect); else the next candidate
    return ""


_INTRODUCED = re.compile(r"^(?:there(?:'s| is| are| was)|i(?:'ve| have) got|i have|we have|we've got)\s+(?:a|an|the|this|one)\s+"
                         r"(?P<thing>(?:(?!every\b|each\b|on\b|at\b|in\b|this\b|next\b|with\b)\w+\s*){1,2})", re.IGNORECASE)
_OBJECT_IT = re.compile(r"\b(in|at|to|about|with|during|for|from|of|on|into)\s+it\b", re.IGNORECASE)


def reflect_clause(message: str, keep: Callable[[str], bool] | None = None) -> str:
    """:func:`key_clause` facing the person: "you missed the deadline again"; "" when none. ``keep`` tests the
    faced clause: when the best one fails it ("I get it, but I'm losing momentum": "you get it" says nothing on its
    own), the next best is tried."""
    return face(key_clause(message, keep=(lambda c: keep(face(c))) if keep else None))


def face(clause: str, *, subject: bool = True) -> str:
    """A clause of theirs turned to face them, lower-cased at the start unless it opens with a name; with
    ``subject``, a diary-style clause gets its subject back ("Didn't do anything on my goals" → "you didn't do
    anything on your goals"). "" for a clause that speaks to me ("I told you…" would flip into nonsense)."""
    if not clause or _SECOND_PERSON.search(clause):
        return ""
    flipped = lower_first(to_second_person(clause))
    first = flipped.split(" ", 1)[0].lower()
    if not subject:
        return flipped
    words = flipped.split(" ", 2)
    if first in _ADVERBS and len(words) > 1 and (_dropped_subject(words[1].lower()) or words[1].lower() in _BARE_AUXILIARIES):
        return f"you {flipped[:1].lower()}{flipped[1:]}"  # "Finally started the draft" → "you finally started the draft"
    if _dropped_subject(first) or first in _BARE_AUXILIARIES:
        return f"you {flipped[:1].lower()}{flipped[1:]}"  # "Skipped my recording again" → "you skipped your recording again"
    if first in _GERUNDS or first == "gonna":
        return f"you're {flipped[:1].lower()}{flipped[1:]}"  # "Feeling like a fraud" → "you're feeling like a fraud"
    return flipped


_BARE_AUXILIARIES = frozenset(
    "didn't didnt don't dont can't cant couldn't couldnt haven't havent hasn't won't wont wasn't wasnt "
    "shouldn't wouldn't need want wanted might may must should could would can will keep kept".split())
_ADVERBS = frozenset("finally just also actually already still never only even really".split())
_GERUNDS = frozenset("feeling thinking trying wondering struggling hoping worrying getting going starting "
                     "working doing having looking dreading planning".split())


def has_subject(clause: str) -> bool:
    """Does a clause of theirs (first person) say who did it: "I sent…", "we…", or a diary-style past tense
    ("Sent the email…")? An imperative ("Set asked=true…", "Give me…") does not."""
    words = clause.lower().split()
    if not words:
        return False
    if words[0] in ("i", "we", "i've", "we've", "i'd", "we'd"):
        return True
    verb = words[1] if words[0] in _ADVERBS and len(words) > 1 else words[0]
    return _dropped_subject(verb) and verb not in _BASE_OR_PAST


_BASE_OR_PAST = frozenset("set cut read quit hit put let shut cost spread".split())  # imperative as often as past


def _dropped_subject(word: str) -> bool:
    """A diary-style clause that starts with its verb in the past tense ("skipped", "missed", "sent")."""
    from lemminflect import getInflection, getLemma

    if not word.isalpha() or not word.islower():
        return False
    lemmas = getLemma(word, upos="VERB")
    return bool(lemmas) and lemmas[0] != word and word in getInflection(lemmas[0], tag="VBD")


def lower_first(text: str) -> str:
    """Lower-case the first word unless it looks like a name, a weekday or month, or an acronym. A name: a word
    the lexicon does not know ("Priya", "Sam"), or knows only as a noun ("Tom"); a contraction ("Didn't") or a
    word with other uses ("Work", "Alright") is no name."""
    first = text.split(" ", 1)[0]
    bare = first.strip(",.;:!?")
    if not bare[:1].isupper():
        return text
    lower = bare.lower()
    keep = (bare.isupper() and len(bare) > 1 or any(c.isdigit() for c in bare) or lower in _PROPER
            or lower not in _LOWERABLE and not lower.endswith(_COMMON_ENDINGS) and _looks_like_name(bare))
    return text if keep else text[:1].lower() + text[1:]


def _looks_like_name(word: str) -> bool:
    from lemminflect import getAllLemmas

    if not word.isalpha() or len(word) < 2:
        return False
    uses = getAllLemmas(word.lower())
    return not uses or set(uses) == {"NOUN"} and word.lower() in uses["NOUN"] and len(word) <= 6


_LOWERABLE = frozenset(
    "goal goals status update word words week deadline target plan work job boss team client project report draft "
    "deck exam budget session call feedback review "  # common nouns that open a diary line ("Goal was 500 words")
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
