"""English verb and noun inflection through ``lemminflect`` (a maintained lexicon plus rules for
words it does not know): past tense, past participle, third person, -ing form, lemma, plural.

Hyphenated verbs inflect on their last part ("force-push" -> "force-pushed"). Every function takes
and returns lower case; callers restore capitals.
"""

from __future__ import annotations

from functools import cache

from lemminflect import getAllInflections, getAllLemmas, getAllLemmasOOV, getInflection

_COPULA_PAST = {"am": "was", "is": "was", "are": "were", "be": "was"}


def _inflect(verb: str, tag: str) -> str:
    head, sep, last = verb.lower().rpartition("-")
    if sep and not getAllLemmas(verb.lower(), upos="VERB"):
        return head + sep + _inflect(last, tag)
    forms = getInflection(verb.lower(), tag=tag)
    if not forms:
        return verb.lower()
    if verb.endswith("l") and not verb.endswith("ll"):
        british = [f for f in forms if f.startswith(verb.lower() + "l")]  # "cancelled", as the app writes
        if british:
            return british[0]
    return forms[0]


@cache
def past(verb: str) -> str:
    """The simple past of a base-form verb: "answer" -> "answered", "take" -> "took", "hog" -> "hogged"."""
    if verb.lower() in _COPULA_PAST:
        return _COPULA_PAST[verb.lower()]
    return _inflect(verb, "VBD")


@cache
def participle(verb: str) -> str:
    """The past participle: "take" -> "taken", "answer" -> "answered"."""
    return _inflect(verb, "VBN")


@cache
def third_person(verb: str) -> str:
    """The third person singular present: "reply" -> "replies", "push" -> "pushes", "be" -> "is"."""
    if verb.lower() == "be":
        return "is"
    return _inflect(verb, "VBZ")


@cache
def gerund(verb: str) -> str:
    """The -ing form: "take" -> "taking", "commit" -> "committing"."""
    return _inflect(verb, "VBG")


@cache
def verb_lemma(word: str) -> str | None:
    """The base form of ``word`` as a verb ("took" -> "take", "answering" -> "answer"); None if the
    lexicon does not know it as a verb. Hyphenated words by their last part."""
    lo = word.lower()
    lemmas = getAllLemmas(lo, upos="VERB").get("VERB")
    if lemmas:
        return str(lemmas[0])
    head, sep, last = lo.rpartition("-")
    if sep and last:
        inner = verb_lemma(last)
        return head + sep + inner if inner else None
    return None


def base_form(word: str) -> str:
    """The base form of a verb form, known or not ("gossiped" -> "gossip" by rule)."""
    known = verb_lemma(word)
    if known:
        return known
    guessed = getAllLemmasOOV(word.lower(), upos="VERB").get("VERB")
    return str(guessed[0]) if guessed else word.lower()


@cache
def verb_forms(verb: str) -> frozenset[str]:
    """Every inflected form of a base-form verb, the base included."""
    lo = verb.lower()
    forms = {lo, past(lo), participle(lo), third_person(lo), gerund(lo)}
    for values in getAllInflections(lo, upos="VERB").values():
        forms.update(values)
    return frozenset(forms)


@cache
def plural(noun: str) -> str:
    """The plural of a noun, case kept on the stem: "meeting" -> "meetings", "reply" -> "replies"."""
    lo = noun.lower()
    if lo.endswith("s"):
        return noun
    forms = getInflection(lo, tag="NNS")
    out = forms[0] if forms else lo + "s"
    return noun[: len(lo)] + out[len(lo) :] if out.startswith(lo) else out


@cache
def singular(noun: str) -> str:
    """The singular of a noun, lower case: "articles" -> "article", "queries" -> "query", "people" -> "person"."""
    lo = noun.lower()
    lemmas = getAllLemmas(lo, upos="NOUN").get("NOUN")
    return str(lemmas[0]) if lemmas else (lo[:-1] if lo.endswith("s") and not lo.endswith("ss") else lo)
