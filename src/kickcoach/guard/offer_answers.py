"""Answers to the coach's offer of ideas: how the coach offers (:data:`OFFERS`), a yes to it (:func:`accepts`) and
a no (:data:`DECLINE`); a yes that opens a statement about something else is no yes."""

from __future__ import annotations

import re

from kickcoach.guard.phrases import DETERMINER, NOUNS, OPINION, SHIFT, compile_all, one_of
from kickcoach.text.sentences import split_sentences

OFFERS = compile_all(
    r"\b(?:would|do)\s+you\s+(?:like|want)\s+"
    + one_of(r"to\s+hear", r"me\s+to\s+(?:share|suggest|offer|give)", DETERMINER + NOUNS, rf"my\s+{OPINION}"),
    r"\b(?:want|like)\s+to\s+hear\s+(?:them|some|a few|my|it|one)\b",
    r"\bwould\s+it\s+help\s+if\s+i\s+(?:shared|suggested|offered|gave|listed)",
    r"\b(?:can|could|may|shall)\s+i\s+(?:share|offer|suggest|give\s+you|throw\s+out)\b",
    rf"\b(?:interested|open)\s+(?:in|to)\s+(?:hearing\s+)?{DETERMINER}{NOUNS}\s*\?",
)
# A yes to the coach's offer. A bare yes ("yes", "ok sure", "yes please") answers the offer; so does a message
# that opens with a yes and says, in its first sentence or right after, something only an answer to an offer
# says ("go on", "what have you got", "that would help"). A yes that opens a statement about something else
# ("Yeah. Anyway my boss moved the deadline.", "Yeah, he's been quiet all week") agrees with something else.
_YES = one_of("yes+", "yeah", "yea", "yep", "yup", "ya", "ye", "yh", "aye", "yass+", "ja", "sure", "ok", "okay", "k", "alright", "all right",
               "fine", "definitely", "deffo?", "absolutely", "of course", "please", "pls", "plz", "go on then", "mhm",
               "bring it on", "👍")
_FILLER = one_of("mm+", "hm+", "um+", "well", "oh", "ah", "then")
_BARE_YES = re.compile(rf"^\W*(?:{_FILLER}\W+)*{_YES}(?:\W+(?:{_YES}|{_FILLER}))*\W*$", re.IGNORECASE)
_YES_OPENING = re.compile(rf"^\W*(?:{_FILLER}\W+)*(?:{_YES}\b\W*)*", re.IGNORECASE)
_ANSWERS_OFFER = re.compile(
    r"^\W*(?:(?:mm+|hm+|um+|well|oh|ah|ok|okay)\W+)*"
    + one_of("please", "go ahead", "go for it", "go on", "fire away", "shoot", "tell me", "let'?s hear",
              "i(?:'?d| would) (?:love|like|appreciate) (?:that|it|them|some|those|to hear|the ideas|any|a few)",
              "(?:that would|that'?d) (?:help|be (?:great|good|helpful|useful|nice|lovely|handy))",
              "sounds good", "why not", "i'?m all ears", "please do", "hit me", "i guess so", "i suppose so",
              r"i (?:guess|suppose)(?=\W*$|\W+(?:so|yes|yeah|sure|that|it|go on|ok|okay|why not)\b)",  # not "I suppose I could…"
              "what(?:'ve| have)? you got", "what are they", "what (?:are|is) (?:it|the ideas?)",
              "share (?:them|it|away)", "let'?s (?:hear|do it|try)", "yes please", "ok then", "okay then", "if you like",
              "i could use (?:some|them|a few|the help|it)", "i'?m (?:running )?out of ideas", "i need (?:them|some|ideas|help)",
              "(?:some |a few )?ideas would", "(?:some |any )?(?:ideas|suggestions|tips) (?:would|please|are welcome)",
              # the rest of a yes that is about the offered ideas: how they would help, which, how long
              r"i'?d (?:really|very much|honestly) (?:love|like|appreciate)", "sure thing", "go", "thing",
              r"(?:that|it|this|they|those|them|some|any|a few)\b.{0,30}\b(?:would|could|might|will|may) (?:really )?help",
              r"(?:ideas?|tips?|suggestions?|anything)\b.{0,40}\b(?:would|could|might) (?:really |definitely )?help",
              r"(?:but |just )?keep (?:it|them) (?:short|brief|simple|practical|quick)", "anything (?:to|that|for|on|about)",
              "especially", "esp", "mainly", "mostly", "specifically", "particularly", "preferably", "as long as",
              r"if (?:it'?s|they'?re|you|u) ", "(?:just )?the short version", "(?:one|two|a couple|a few)(?: or two)? would",
              r"i'?m (?:listening|open to (?:it|them|that|ideas|some))", "(?:i )?would love (?:that|it|them|to)",
              r"i'?(?:ll|d) take (?:anything|them|some|any|it|a few)", "(?:something|anything) (?:for|quick|on|that|to|i can)",
              r"i think (?:that|it|they) (?:would|could|might) help", r"that'?s (?:exactly )?what i need",
              r"(?:that|it|this) (?:would|'d|could) (?:be )?(?:really |very |so |honestly )(?:help|be )?\w+")
    + r"\b",
    re.IGNORECASE,
)
_MAX_ANSWER_WORDS = 14  # an answer to the offer is short; a long first sentence is a statement of its own


def accepts(message: str) -> bool:
    """Is ``message`` a yes to the coach's offer (not a yes that opens a statement about something else)?"""
    if _BARE_YES.match(message):
        return True
    sentences = [s.strip() for s in split_sentences(message) if s.strip()]
    if not sentences or any(SHIFT.search(s) for s in sentences):
        return False
    first = sentences[0]
    opening = _YES_OPENING.match(first)
    said_yes = bool(opening and opening.group(0).strip())
    if not (said_yes or _ANSWERS_OFFER.match(first)):
        return False
    # the words after the yes; after a bare "Yes." the next sentence may answer ("Yes. Please, go on.")
    if opening and re.search(r"\b(?:please|pls|plz)\b", opening.group(0), re.IGNORECASE):
        return True  # "ya pls, im lost": a please with the yes answers the offer, whatever follows
    rest = " ".join(sentences[1:2]) if _BARE_YES.match(first) else first[opening.end() if opening else 0:]
    if any(_ANSWERS_OFFER.match(clause) for clause in re.split(r"[,;:—–-]+\s*|\s+(?:and|but)\s+", rest)):
        return True
    return bool(_ANSWERS_OFFER.match(first)) and len(first.split()) <= _MAX_ANSWER_WORDS


DECLINE = re.compile(
    r"^\W*"
    + one_of("no", "nope", "nah", "not now", "not yet", "not really", "not right now", "maybe later", "later",
              "i'?m good", "i'?m ok", "i'?m fine", "i'll pass", "pass")
    + r"\b|\b"
    + one_of("not now", "not yet", "not right now", "maybe later", "no thanks", "no thank you", "i'?d rather not",
              "i'll pass")
    + r"\b",
    re.IGNORECASE,
)
