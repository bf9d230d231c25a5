"""The sentence-level rules and the hashed logistic-regression model behind the suggestion detector.

Shared by :mod:`kickcoach.guard.suggestions` (the ``hashed`` detector) and :mod:`kickcoach.guard.advice_head`
(the ``stacked`` one adds sentence vectors to the same features and rules). See the suggestions module for
how the two are chosen.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path

from kickcoach.core.errors import ConfigError
from kickcoach.guard.requests import is_offer

MODEL_PATH = Path(__file__).with_name("advice_model.json")
RULE_FLOOR = 0.9
RULE_CAP = 0.05


def word_set(text: str) -> frozenset[str]:
    """A word list written as one string, split on whitespace."""
    return frozenset(text.split())


_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "`": "'", "—": " - ", "–": " - "})
_TOKEN = re.compile(r"n't|'(?:s|re|ve|d|ll|m)\b|[a-z]+(?:-[a-z]+)*|\d+(?:[.,:]\d+)*|<url>|[^\w\s]")
# Words skipped to find the head of a sentence: discourse markers, adverbs, list markers, punctuation.
_SKIP = word_set(
    "also and but so then maybe perhaps just please honestly first firstly second secondly third finally lastly "
    "instead now definitely really simply otherwise or plus personally again alternatively additionally "
    "- * • > # : . , ( ) \" ' <num>")
# Base-form verbs that open an imperative in advice ("Write down…", "Talk to…"). Hand-curated; verbs
# that mostly open pleasantries or statements ("thank", "think", "hope", "love", "feel", "sound", "mind")
# are left out on purpose.
IMPERATIVE_VERBS = word_set("""
accept acknowledge add address adjust agree aim allow apologise apologize apply approach arrange ask assume attend avoid
be block book breathe bring build buy call cancel celebrate challenge change check choose clarify clear collect come
commit communicate compare confirm confront connect consider contact continue create cut decide delegate delete
describe develop do document draft drop email embrace encourage end enjoy establish estimate explain explore find
finish fix focus follow forget forgive frame gather get give go grab have hold identify ignore include invest invite
join jot journal keep learn leave let limit list listen look make map mention move name note notice offer open
organise organize pause pick plan play practice practise prepare present prioritise prioritize protect push put
quit read reach record reduce reflect reframe rehearse relax remember remind remove repeat request research reschedule
respond rest review rewrite run save schedule seek select send set share show sign sit skip sleep slow speak
split start state stay step stick stop structure study suggest summarise summarize swap switch take talk tell test
throw track treat trust try turn use visit volunteer wait walk watch work write see google help pull exercise hire pay
""")
_NOT_IMPERATIVE_NEXT = word_set(
    "is was are were has had 's can could will would 'll 'd does did might may must should n't went got took came "
    "made said told felt seems sounds feels looks makes helps means matters works goes comes gets takes gives keeps "
    "needs happens , ? ! you i")
_VERBS = "|".join(sorted(IMPERATIVE_VERBS))
# Questions opening like this ask for the user's view, so "you should" inside them is not advice:
# "What do you think you should do?"
_OPEN_QUESTION_HEADS = word_set("what how who when where which why do does did is are was were can would will")
_PATTERNS: dict[str, tuple[str, ...]] = {
    "directive": (
        r"\byou (?:really |definitely |probably |might |may )?(?:should|ought to|must|'d better|had better)\b",
        r"\byou (?:might|may|could) (?:want|wish|like) to\b",
        rf"\byou (?:could|might) (?:also |always |maybe |perhaps |even |just )?(?:{_VERBS})\b",
        r"\byou might find it (?:helpful|useful)\b",
        r"\byou (?:really |just |probably )?need to\b",
        r"\bi(?: 'd| would| do| strongly| really)? (?:recommend|suggest|advise|encourage)\b",
        r"\bmy (?:advice|suggestion|recommendation|tip)\b",
        (
            r"\b(?:the )?(?:only |best |one )?(?:advice|suggestion|tip) (?:i have |i can give |i 'd give )?"
            r"(?:is|would be)\b"
        ),
        r"\bif i were you\b",
        (
            r"\b(?:one|another|a (?:good|useful|helpful|simple|quick|small))(?: \w+)? (?:option|idea|approach|way|step"
            r"|thing to try|place to start|strategy) (?:is|would be|might be|could be|to try)\b"
        ),
        r"\b(?:the )?(?:best|first|next) (?:thing|step|move|option|approach) (?:is|would be|might be)\b",
        r"\bnext time\b",
        (
            r"\bit (?:might|may|could|would|can|will|should) (?:also )?"
            r"(?:help|be (?:helpful|useful|worth|a good idea|wise|smart|good))\b"
        ),
        (
            r"\bit (?:'s|is) (?:probably |really |always |often )?"
            r"(?:worth|a good idea|best|wise|smart|helpful|useful|important) to\b"
        ),
        r"\bit (?:'s|is) (?:probably |really |always )?worth \w+ing\b",
        r"\bmake sure\b",
        r"\bbe sure to\b",
        r"\bdo n't forget\b",
        r"(?:^|\byou (?:could|might|may|should) |\bi 'd )consider(?:ing)? (?!that\b)\w+",
        r"\bthe key is to\b",
    ),
    "suggestive_question": (
        r"\bhow about\b(?! you\b)",
        r"\bwhy not\b",
        r"\bwhy do n't you\b",
        (
            r"^have you (?:ever )?"
            r"(?:thought about|thought of|considered|tried|looked into|asked|talked to|spoken to|checked)\b"
        ),
        r"^what about \w+ing\b",
        (
            r"^what if you "
            r"(?:\w+ed|took|told|wrote|went|gave|sent|made|spoke|set|put|let|brought|kept|met|began|sat|chose)\b"
        ),
        (
            r"^(?:could|can|would) you "
            r"(?:try|ask|talk|speak|email|write|set|book|schedule|suggest|propose|bring|block|agree)\b"
        ),
        r"^would it (?:help|be worth|make sense)\b",
        r"^would you (?:consider|be open to|be willing to)\b",
        r"^(?:can|could|may) i (?:suggest|recommend) (?:you|that|\w+ing)\b",
        r"^do you think it (?:would|might|could) help\b",
        r"^(?:is|might) it (?:be )?worth\b",
    ),
    "reflection": (
        r"^(?:it )?(?:sounds|seems|looks) (?:like|as if|as though|that)\b",
        r"^that (?:sounds|must|seems|'s (?:a lot|hard|tough|understandable|frustrating|great|wonderful))\b",
        r"^it (?:must|can) (?:be|have|feel)\b",
        r"^i (?:can )?(?:hear|see|tell|understand|get|imagine)\b",
        r"^i 'm (?:hearing|sorry|glad|so sorry)\b",
        r"^you (?:seem|sound|feel|'re feeling|'ve been|have been|are feeling)\b",
        (
            r"^you (?:'ve|have) (?:clearly |really |already |obviously |certainly )?"
            r"(?:put|done|made|come|worked|shown|handled)\b"
        ),
        r"^(?:so )?what i 'm hearing\b",
        r"^(?:it|that) (?:'s|is|makes) (?:understandable|sense|natural|normal)\b",
        r"^no wonder\b",
    ),
    "exploring_prompt": (
        r"^(?:tell me|say) (?:more|about|what|how|a bit|a little)\b",
        r"^(?:walk me through|help me understand|let me know|feel free|take your time|keep me (?:posted|updated))\b",
        r"^let 's (?:explore|talk|look|unpack|think|start)\b",
    ),
    "social": (
        (
            r"^(?:hi|hello|hey|good (?:morning|afternoon|evening|luck)|thanks|thank you|take care|congrat\w*|well done"
            r"|welcome|cheers|bye|hang in there|you 've got this|i 'm here|enjoy (?:your|the) \w+"
            r"|have a (?:great|good|nice|lovely) \w+|keep up the (?:good|great) work|(?:i )?hope (?:this|that) helps)\b"
        ),
    ),
}
_COMPILED = {name: [re.compile(p) for p in patterns] for name, patterns in _PATTERNS.items()}
POSITIVE_RULES = frozenset({"directive", "suggestive_question", "imperative"})
NEGATIVE_RULES = frozenset({"offer", "social", "reflection", "exploring_question", "exploring_prompt"})
_CLAUSE_OPENER = re.compile(r"^(?:if|when|whenever|once|before|after|while|as soon as|next time)\b[^,:;]{0,120}[,:;] ")


def tokenize(text: str) -> list[str]:
    """Lower-cased tokens in the corpus' spaCy style: "don't" → "do n't", "I'd" → "i 'd"; numbers → <num>."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).lower()
    text = re.sub(r"https?://\S+|www\.\S+", " <url> ", text)
    text = re.sub(r"(\w)n't\b", r"\1 n't", text)
    text = re.sub(r"(\w)'(s|re|ve|d|ll|m)\b", r"\1 '\2", text)
    return ["<num>" if t[0].isdigit() else t for t in _TOKEN.findall(text)]


def head_index(tokens: list[str]) -> int:
    """Index of the first token that is not a discourse marker or list marker."""
    i = 0
    while i < len(tokens) and tokens[i] in _SKIP:
        i += 1
    return i


def _imperative(tokens: list[str]) -> bool:
    """Opens with a base-form verb ("Try…", "Don't…", "Let him know…") and reads as a command."""
    i = head_index(tokens)
    if i >= len(tokens):
        return False
    word, after = tokens[i], tokens[i + 1] if i + 1 < len(tokens) else ""
    if word in ("do", "never") and (after in ("n't", "not") or after in IMPERATIVE_VERBS):
        return True
    if word == "let":
        return after not in ("me", "'s", "us")
    return word in IMPERATIVE_VERBS and after not in _NOT_IMPERATIVE_NEXT


def _is_question(tokens: list[str]) -> bool:
    """Ends with "?" (closing quotes and brackets after it allowed)."""
    words = [t for t in tokens if t not in ('"', "'", ")", "]")]
    return bool(words) and words[-1] == "?"


def rule_hits(sentence: str, tokens: list[str] | None = None) -> frozenset[str]:
    """Names of the rules that fire on ``sentence`` (see the module doc)."""
    tokens = tokenize(sentence) if tokens is None else tokens
    body = tokens[head_index(tokens):]
    text = " ".join(body)
    hits = {name for name, patterns in _COMPILED.items() if any(p.search(text) for p in patterns)}
    if is_offer(sentence):
        hits.add("offer")
    if _is_question(body):
        if body[0] in _OPEN_QUESTION_HEADS:
            hits.discard("directive")
        if not hits & POSITIVE_RULES:
            hits.add("exploring_question")
    elif not hits & {"social", "exploring_prompt"}:
        clause = _CLAUSE_OPENER.match(text)
        if _imperative(body) or (clause and _imperative(text[clause.end():].split())):
            hits.add("imperative")
    return frozenset(hits)


def feature_set(tokens: list[str], hits: frozenset[str]) -> set[str]:
    padded = ["<s>", *tokens, "</s>"]
    feats = {f"u={t}" for t in tokens} | {f"b={a}_{b}" for a, b in pairwise(padded)}
    i = head_index(tokens)
    if i < len(tokens):
        feats.add(f"h={tokens[i]}")
        if i + 1 < len(tokens):
            feats.add(f"h2={tokens[i]}_{tokens[i + 1]}")
    feats.add(f"len={min(len(tokens) // 5, 6)}")
    return feats | {f"r={name}" for name in hits}


def features(sentence: str) -> set[str]:
    """The classifier's binary features: unigrams, bigrams, head word(s), length bucket and rule names."""
    tokens = tokenize(sentence)
    return feature_set(tokens, rule_hits(sentence, tokens))


@dataclass(frozen=True)
class AdviceModel:
    """Logistic-regression weights plus the two tuned thresholds (see ``advice_model.json``)."""

    weights: Mapping[str, float]
    bias: float
    threshold: float
    strict_threshold: float

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> AdviceModel:
        return cls(
            weights=dict(data["weights"]),  # type: ignore[call-overload]
            bias=float(data["bias"]),  # type: ignore[arg-type]
            threshold=float(data["threshold"]),  # type: ignore[arg-type]
            strict_threshold=float(data["strict_threshold"]),  # type: ignore[arg-type]
        )

    def _probability(self, feats: set[str]) -> float:
        z = self.bias + sum(self.weights.get(f, 0.0) for f in feats)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def probability(self, sentence: str) -> float:
        """The learned part alone: P(advice) from the logistic regression."""
        return self._probability(features(sentence))

    def score(self, sentence: str) -> float:
        """The learned probability bounded by the rules (see the module doc)."""
        if not any(c.isalpha() for c in sentence):
            return 0.0
        tokens = tokenize(sentence)
        hits = rule_hits(sentence, tokens)
        p = self._probability(feature_set(tokens, hits))
        if hits & POSITIVE_RULES:
            return max(p, RULE_FLOOR)
        if hits & NEGATIVE_RULES:
            return min(p, RULE_CAP)
        return p


@cache
def load_model(path: Path = MODEL_PATH) -> AdviceModel:
    """The trained model, read once per process."""
    try:
        return AdviceModel.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError) as exc:
        raise ConfigError(
            f"The suggestion classifier weights at {path} are missing or unreadable ({exc}).",
            "Reinstall kickcoach, or regenerate them with `python scripts/train_advice_classifier.py`.",
        ) from exc
