"""Is a reflection's clause something a person said? Trims a dangling last word; refuses a question turned inside
out or a phrase with no verb, so the coach reflects less rather than garble their words (blind reading, release 3)."""

from __future__ import annotations

import re

from lemminflect import getAllLemmas

from kickcoach.text.morphology import verb_lemma

_FUNCTION_END = re.compile(r"\s+(?:to|the|a|an|of|and|but|or|with|about|for|on|in|at|from|my|your|our|their|because|"
                           r"which|who|if|when|so|as|than|like|just|really|by|into|whether|what|how|exactly)$", re.IGNORECASE)
# A clause cut after its auxiliary or before its object ("you confess you regret not", "Sam has asked you") is not
# what they said: refused rather than trimmed, since trimming would change the meaning.
_CUT_OFF = re.compile(r"\s(?:(?:is|are|was|were|has|have|had|will|would|could|should|can|might|must|shall|do|does|"
                      r"did|be|been|being|get|got|told|asked|wants?|needs?|regrets?|confess(?:es)?|manage[ds]?|decided|promised|able|"
                      r"going|supposed|meant|used|trying|tried to|hoping|planning|about|that's|it's|there's|what's)(?:\s+(?:you|me|him|"
                      r"her|them|us))?|not|never)$", re.IGNORECASE)  # a negation is never trimmed: it would invert them
# After a bare verb, these make it an instruction ("delegate the test reports", "hire a head"), not a clause with
# its subject ("work was chaos", "meetings run over").
_IMPERATIVE_NEXT = frozenset({"the", "a", "an", "my", "your", "our", "their", "his", "her", "it", "him", "them", "me",
                              "these", "those", "some"})  # not a preposition: "people on your team feel…" is a clause
_SUBORDINATE = frozenset({"if", "whether", "because", "cause", "cuz", "when", "while", "although", "though", "unless",
                          "since", "until", "once"})
_DETERMINED = frozenset({"your", "my", "our", "their", "his", "her", "the", "a", "an", "this", "that"})
# "your mentoring partner": an -ing word after a determiner describes a noun, it is not the clause's verb.
_ATTRIBUTIVE = frozenset({"the", "a", "an", "my", "your", "our", "their", "his", "her", "its", "this", "that"})
_SAYING_THAT = re.compile(r"\s+(?:back|said|say|says|knew|know|felt|feel|told|tell|hope|wish|think|thought|guess|"
                          r"realised|realized)\s+that$", re.IGNORECASE)  # "…snap back that": a complement cut off
# "you would like to use": a verb that needs its object, cut off before it
_NO_OBJECT = re.compile(r"\bto (?:use|make|get|take|give|put|bring|find|see|tell|ask|show|send|review|discuss|cover|"
                        r"present|raise|share|spend|keep|hand|set|let)$", re.IGNORECASE)
_HEDGE_ONLY = re.compile(r"^(?:you\s+|i\s+)?(?:(?:do not|don't|dont)\s+(?:really\s+)?know|(?:are|'re|am|'m)\s+not\s+(?:really\s+)?sure|"
                         r"guess|suppose|reckon|(?:don't|do not) think so|who knows)(?:\s+(?:really|tbh|honestly|though|either|anyway))?\W*$",
                         re.IGNORECASE)
_INVERTED = re.compile(r"^(?:you\s+)?(?:can|could|should|will|would|do|does|did|may|might|shall|are|is|am)\s+"
                       r"(?:you|we|i)\b", re.IGNORECASE)  # "can we just talk…" turned to "you can you talk…"
_AUXILIARY = frozenset({"'m", "'re", "'s", "'ve", "'d", "'ll", "am", "is", "are", "was", "were", "be", "been", "has",
                        "have", "had", "can", "can't", "could", "couldn't", "will", "won't", "would", "wouldn't",
                        "should", "shouldn't", "don't", "doesn't", "didn't", "isn't", "aren't", "wasn't", "haven't"})


def well_formed(clause: str, *, min_words: int = 3) -> str:
    """``clause`` without a dangling last word ("you did snap back that"), or "" when it is no clause a person
    said: a question turned inside out ("you can you talk about the exam"), or no verb at all ("the Q4 readout")."""
    text = clause.strip()
    if _CUT_OFF.search(" " + text.rstrip(" .,;:!?")):
        return ""
    while _FUNCTION_END.search(text) or _SAYING_THAT.search(text):
        text = _FUNCTION_END.sub("", text)
        text = re.sub(r"\s+that$", "", text) if _SAYING_THAT.search(text) else text
    words = [w.strip(".,;:!?\"'()").lower() for w in text.split()]
    if len(words) < min_words or _INVERTED.search(text) or _CUT_OFF.search(" " + text) or _NO_OBJECT.search(text):
        return ""
    if words[0] in _SUBORDINATE and "," not in text:
        return ""  # "if you want to work in cloud": half a sentence, its main clause left behind ("when…, you crash" has it)
    if len(words) > 1 and verb_lemma(words[0]) == words[0] and words[1] in _IMPERATIVE_NEXT:
        return ""  # "delegate the test reports", "hire a head": an instruction, not something they said they did
    # After "your…"/"the…" a base form is the noun's head ("your mentoring partner"); an inflected verb is a verb.
    if _HEDGE_ONLY.match(text) or re.search(r"\b(?:why|what) (?:you|i) (?:said|did|meant)$", text, re.IGNORECASE):
        return ""  # "you don't know": a hedge said in passing, not what they came to say
    if words[0] in ("for", "of", "from", "by", "about", "with", "at") and "," not in text:
        return ""  # "for not lecturing you": a thanks cut from its verb
    if words[0] in ("not", "no") and len(words) > 1:
        return ""  # "not cutting the margin chart": who is not cutting it went with the clause before
    inflected_only = words[0] in _DETERMINED
    has_verb = any(w in _AUXILIARY or "'" in w and w.split("'")[-1] in ("m", "re", "s", "ve", "d", "ll", "t")
                   or (lemma := verb_lemma(w)) and not (w.endswith("ing") and words[i - 1] in _ATTRIBUTIVE)
                   and not (inflected_only and lemma == w) and (lemma != w or _finite_base(w, words[i - 1] if i else ""))
                   and not _plural_noun(w, lemma, words[i - 1] if i else "")
                   for i, w in enumerate(words) if i > 0 or len(words) == 1 or verb_lemma(w) not in (None, w))
    return text if has_verb else ""


def _plural_noun(word: str, lemma: str, before: str) -> bool:
    """"the three questions thing": an -s form after a number or a determiner is a plural noun, not a verb."""
    return word.endswith("s") and lemma == word[:-1] and (before.isdigit() or before in _NUMBERS | _ATTRIBUTIVE) \
        and bool(getAllLemmas(word, upos="NOUN"))


def _finite_base(word: str, before: str) -> bool:
    """A base form is the clause's verb after its subject or a modal ("they feel", "people on your team feel",
    "we must meet"); after a number or an article it is a noun ("one minute over", "the run"), and a word that is
    mostly a preposition or adverb ("over", "back") is no verb on its own."""
    if not before:
        return True  # a one-word clause ("I value trust"): the caller asked for a thing
    if word in _NOT_VERBS:
        return False
    if before in _SUBJECT_OR_MODAL or before.endswith("s") and before[:-1] in getAllLemmas(before, upos="NOUN").get("NOUN", ()):
        return True  # "they feel", "meetings run over"
    return not getAllLemmas(word, upos="NOUN") and not before.isdigit() and before not in _NUMBERS | _ATTRIBUTIVE


_NOT_VERBS = frozenset("over back down up out off through round near further even still right well last just".split())
_NUMBERS = frozenset("one two three four five six seven eight nine ten half".split())
_SUBJECT_OR_MODAL = frozenset("i you we they people can could will would should must might may to don't do did "
                              "never always also just often usually".split())
