"""What the person said themselves, and nothing more: the only material a complex reflection or an
affirmation may add to the gist of their words.

- :func:`two_sides`: both sides of an ambivalence, when they said both ("I don't want to disappoint her but I
  also want to finish this certificate"; "Part of me …, part of me …"; or a message that opens with "But …"
  against what they said just before);
- :func:`stated_value`: a value they named ("It matters to me that …", "I care about …");
- :func:`accomplishment`: something they did that moves them forward ("I sent the email"), never a problem
  told flatly ("I talked for forty minutes and she only had five");
- :func:`weighed`: what a question asking the coach to judge them weighs up ("whether that was the wrong
  thing to say");
- :func:`tidy_clause`: the gist made safe to reflect: fillers off ("sooo", "honestly"), cut to its first
  clause ("you hate selling, feels fake" -> "you hate selling"), or nothing when all it says hangs on an "it"
  we cannot resolve ("you're not sure you'll have it": MI's rule, no reflection beats a wrong one).

Each is in their key words, cut to the gist and turned to face them (:mod:`voice`), or "" when they said
no such thing. The patterns live in ``banks/lexicon.yaml``.
"""

from __future__ import annotations

import re
from functools import cache

from kickcoach.flows.coach import bank_files as banks
from kickcoach.flows.coach.indirect_question import indirect_question
from kickcoach.flows.coach.understand import feeling_and_valence
from kickcoach.flows.coach.voice import face, gist, has_subject, key_clause, own_clauses
from kickcoach.flows.coach.well_formed import well_formed
from kickcoach.guard import split_sentences
from kickcoach.text.morphology import past, verb_lemma

_NEGATED = re.compile(r"\b(?:not|never|didn't|didnt|don't|dont|can't|cant|couldn't|won't|wasn't|haven't|hasn't|barely|"
                      r"hardly|failed|forgot|again|accident(?:ally)?|mistake(?:nly)?|wrongly|zero|nothing|none|nobody)\b|n't\b", re.IGNORECASE)
# A side of an ambivalence is a clause with its subject ("you don't want to disappoint her"), not a fragment.
_SUBJECT_FIRST = re.compile(r"^(?:you|you're|you've|you'll|you'd|your|part|he|she|they|he's|she's|they're|it|it's|there|"
                            r"there's|that|this|the|my|we|nobody|everyone|someone|people|[A-Z][a-z]+)\b")
_OPENS_WITH_CONTRAST = re.compile(r"^\W*(?:but|though|although|yet|then again|on the other hand|at the same time)\b",
                                  re.IGNORECASE)
_PART_OF_ME = re.compile(r"\b(?:one |a )?part of me\b", re.IGNORECASE)
_WHAT_DO_YOU_THINK = re.compile(r"^\W*what do you think\s*[,:;-]+\s*(?=\w)", re.IGNORECASE)
_YOU_THINK = re.compile(r"^\W*(?:(?:so|but|and|honestly|be honest|seriously|ok|okay)\W+)*(?:do|did) you "
                        r"(?:actually |really |honestly |genuinely )?think\s+(?:that\s+)?",
                        re.IGNORECASE)


_FILLER = re.compile(r"^(?:(?:so+|honestly|tbh|lol|ok(?:ay)?|well|um+|like|actually|basically|anyway|right|yeah|ugh|"
                     r"fair|fine)\b[,.!]*\s+)+", re.IGNORECASE)
_TRAILER = re.compile(r"(?:,?\s+(?:lol|tbh|haha|smh|if you're honest|to be honest|honestly))+\W*$", re.IGNORECASE)
_DANGLING = re.compile(r"\b(?:it|that|them|this|those)\W*$", re.IGNORECASE)
_JOINT = re.compile(r"\s(?:and|but|because|so|which|while|when|since|as)\s", re.IGNORECASE)
GIST_WORDS = 12  # a longer gist is cut at its first joint after four words
_PRONOUNS = frozenset("it that them this those you your you're you'll you've i i'm my".split())


def tidy_clause(clause: str) -> str:
    """The gist of their message, safe to reflect (see the module's note), or "" when it is not."""
    text = _TRAILER.sub("", _FILLER.sub("", clause.strip())).strip()
    head, comma, _ = text.partition(",")
    if comma and len(head.split()) >= 3 and _SUBJECT_FIRST.match(head):
        text = head.strip()
    if len(text.split()) > GIST_WORDS and (cut := _JOINT.search(text, len(" ".join(text.split()[:4])))):
        # the gist, not the whole message back: the part after the joint when it says who (spoken sentences
        # end on their point: "…and my plan has fallen apart"), else the part before it
        after = text[cut.end():].strip()
        text = after if len(after.split()) >= 4 and _SUBJECT_FIRST.match(after) else text[: cut.start()]
    words = [w.strip(".,!?").lower() for w in text.split()]
    if _DANGLING.search(text) and sum(len(w) > 3 and w not in _PRONOUNS for w in words) < 3:
        return ""  # "you're not sure you'll have it": what "it" is, they said elsewhere
    return well_formed(text) if text else ""  # a clause a person said, never a fragment ("your mentoring partner")


@cache
def _patterns(name: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in getattr(banks.lexicon(), name))


def _faced(text: str, message: str) -> str:
    """The best clause of ``text`` (a part of ``message``), cut to the gist and turned to face them."""
    return face(key_clause(text, source=message))


def two_sides(message: str, previous: str = "") -> tuple[str, str]:
    """Both sides of an ambivalence the person stated, facing them; ("", "") when they did not state both."""
    for pattern in _patterns("contrast"):
        for match in pattern.finditer(message):
            before, after = message[: match.start()], message[match.end():]
            if _PART_OF_ME.search(after[:20]) and not _PART_OF_ME.search(before):
                continue  # "Part of me …, part of me …": the split is at the second one
            sentences = [s for s in split_sentences(before) if s.strip()]
            following = [s for s in split_sentences(after) if s.strip()]
            if not sentences or not following:
                continue
            a, b = _faced(sentences[-1], message), _faced(following[0], message)
            if a and b and a != b and _SUBJECT_FIRST.match(a) and _SUBJECT_FIRST.match(b):
                return a, b
    if previous and _OPENS_WITH_CONTRAST.match(message):  # "But I also don't want…" against what they said before
        said = [s for s in split_sentences(previous) if s.strip()]
        a, b = _faced(said[-1], message) if said else "", _faced(message, message)  # echo is judged against this message
        if a and b and a != b and _SUBJECT_FIRST.match(a) and _SUBJECT_FIRST.match(b):
            return a, b
    return "", ""


def stated_value(message: str) -> tuple[str, str]:
    """A value the person named themselves, facing them: (a clause, "people on your team feel safe") or
    (a thing, "being honest with your team"); ("", "") when they named none."""
    for sentence in split_sentences(message):
        for pattern in _patterns("values"):
            if not (match := pattern.search(sentence.strip().rstrip(".!?"))):
                continue
            kind = "clause" if "clause" in match.groupdict() else "thing"
            if short := gist(match[kind].strip(), message, min_words=1 if kind == "thing" else 3):
                said = face(short, subject=False)
                return (said, "") if kind == "clause" else ("", said)
    return "", ""


def accomplishment(message: str) -> str:
    """What the person did that moves them forward, facing them ("you sent the email to the director");
    "" when they name no such act (a problem told flatly is not one)."""
    for sentence in split_sentences(message):
        if sentence.strip().endswith("?") or _NEGATED.search(sentence) or feeling_and_valence(sentence)[1] == "negative":
            continue  # "I wrote X and now I can't measure it": a problem told flatly
        for part in own_clauses(sentence):
            plain = _EMPHATIC_DID.sub(lambda m: past(m[1]) if verb_lemma(m[1]) == m[1] else m[0], part)
            if not any(p.search(plain) for p in _patterns("accomplishments")) or not has_subject(part):
                continue
            if short := gist(part, message):
                return face(short)
    return ""


# "I did snap at him": the verb after an emphatic "did" is what they did ("snapped"), not "did" itself
_EMPHATIC_DID = re.compile(r"\bdid\s+([a-z]+)\b")


def claimed_win(message: str) -> str:
    """What they call a win themselves ("it was only two days late, which for me is a win"), facing them; ""."""
    before = ""
    for sentence in split_sentences(message):
        text = sentence.strip().rstrip(".!")
        for pattern in _patterns("claimed_win"):
            if not (match := pattern.search(f"{before} — {text}" if _THAT_WIN.match(text) else text)):
                continue  # "I spoke up twice. That was a first.": the sentence before is what they did
            if not text.endswith("?"):
                last = [p for p in own_clauses(match["clause"]) if p]
                if last and (short := gist(last[-1], message)):
                    return face(short)
        before = text
    return ""


_THAT_WIN = re.compile(r"^\W*(?:that|this|it)(?:'s|\s+is|\s+was|\s+felt like)?\s+(?:a|the|real|some|huge|big|new)\b", re.IGNORECASE)


def weighed(message: str) -> str:
    """What a question asking the coach to judge them weighs up, as a clause ("whether you were wrong")."""
    asked = [s.strip() for s in split_sentences(message) if s.strip().endswith("?")]
    if not asked:
        return ""
    question = _WHAT_DO_YOU_THINK.sub("", asked[-1])  # "What do you think, should I be annoyed?": the second part
    if match := _YOU_THINK.match(question):
        statement = question[match.end():].rstrip(" ?")
        short = gist(statement, message)
        return f"whether {face(short)}" if short and face(short) else ""
    clause = indirect_question(question)
    if not clause.startswith("whether "):
        return ""
    rest = gist(clause.removeprefix("whether "), message) or ""
    return f"whether {rest}" if rest else ""
