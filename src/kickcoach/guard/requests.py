"""Did the user ask for suggestions? A deterministic request detector with scoped permission.

The house rule: the coach gives suggestions only when the user asked for them. ``asked(history, message)``
decides, in this order (the first rule that fires wins):

1. **Refusal / withdrawal** anywhere in the message ("no thanks, I just want to vent", "I don't want
   advice", "please don't tell me what to do", "stop giving me advice", "enough advice for now") →
   not asked. It wins over words like "advice" or "ideas" in the same message, and it ends any
   permission given earlier.
2. **Explicit request** in any sentence, so requests buried in long messages count: "what should I
   do", "any tips", "help me plan", "can you suggest…", "can you give me some options", "how can I…",
   "what would you do", "what would you recommend", "I'd appreciate some advice", "should I…?".
   Asking for the coach's view on the user's situation or plan also counts: "what do you think?",
   "any thoughts?", "thoughts?", "does this goal sound SMART to you?", "I'm open to ideas".
   Not requests: being stuck ("I don't know what to do"), asking for facts ("what does our contract
   say…"), asking for reassurance ("am I overreacting?", "is this normal?"), rhetorical questions
   ("how am I supposed to…", "why does this always happen to me?"), reported advice ("my mentor
   gave me some advice"). For those the coach reflects, informs, and may offer.
3. **Answer to an offer**: when the last assistant turn offered ideas (see :func:`is_offer`), a
   decline ("no", "not now", "maybe later", "nah I'm good") → not asked; an acceptance ("yes please",
   "sure, go ahead", "ok tell me", "I'd love to hear them") → asked.
4. **Scoped permission**: permission given by an earlier request or acceptance covers later user turns
   on the same topic. It ends at a refusal, a declined offer, an explicit shift marker at the start of
   a sentence ("Anyway, …", "On another note", "Different topic", "Changing the subject") or a turn
   that shares too little vocabulary with the topic. The topic is the set of stemmed content words of
   the granting turn (plus the turn before it when the request itself is short, e.g. "What should I
   do?"), and it grows with every on-topic turn, the coach's replies included. A turn continues the
   topic when it has no content words ("And if that doesn't work?") or when
   ``|shared| / |turn words| >= TOPIC_MIN_SHARE`` or at least two content words are shared. (Containment
   rather than Jaccard: the topic set grows as the conversation goes on, which would push Jaccard down on
   a topic that has not changed.)
5. Otherwise → not asked ("no request").

:data:`PERMISSION_OFFER`, the coach's one offer sentence, lives here beside :func:`is_offer`: an offer is
how the coach asks for permission.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from pydantic import BaseModel

from kickcoach.core.banks import bank_beside
from kickcoach.guard.offer_answers import DECLINE, OFFERS, accepts
from kickcoach.guard.phrases import DETERMINER, NOUNS, OPINION, SHIFT, compile_all, one_of
from kickcoach.text.sentences import split_sentences
from kickcoach.text.words import topic_words as content_words  # flows import it from here too

PERMISSION_OFFER = bank_beside(__file__).line("offer", "permission")
TOPIC_MIN_SHARE = 0.2

_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "`": "'"})


_NOT_AFTER_NEGATION = r"(?<!not )(?<!n't )"
# "Should I have said it differently?" looks back: it asks the coach to judge, not for suggestions.
_NOT_LOOKING_BACK = (r"(?!\s+(?:not\s+)?(?:have|'ve)\s+(?:said|done|told|gone|asked|been|kept|left|let|sent|stayed|"
                     r"spoken|written|handled|stepped|called|shut|pushed|waited|agreed|refused|answered|replied|reacted|"
                     r"raised|mentioned|complained|quit|taken|made|given|tried|known|seen|listened|spoken up)\b)")


_REFUSALS = compile_all(
    rf"\b(?:do not|don't|dont|didn't)\s+(?:really\s+)?(?:want|need)\s+{DETERMINER}"
    + one_of(NOUNS, r"solutions?", "fixing", "to be fixed", "you to fix", "to be told", "a lecture"),
    rf"\bnot\s+(?:really\s+)?(?:looking|asking)\s+for\s+{DETERMINER}" + one_of(NOUNS, r"solutions?", "fixes"),
    rf"\bno\s+more\s+{NOUNS}",
    r"\bno\s+(?:advice|suggestions|tips|solutions)\b",
    r"\bno\s+(?:ideas|frameworks?|lists?)\s+(?:pls|plz|please|thanks|thx|for now|today|this time)\b",
    rf"{_NOT_AFTER_NEGATION}\b(?:just|only)\s+(?:want|need|wanted|needed)\s+to\s+"
    + one_of("vent", "rant", "let off steam", "get (?:this|it) off my chest", "say it out loud", "sit with it",
              "be heard"),
    rf"{_NOT_AFTER_NEGATION}\b(?:just|only)\s+(?:venting|ranting)\b",
    r"\b(?:i'm|i am)\s+venting\b",
    r"\b(?:don't|do not)\s+tell\s+me\s+what\s+to\s+do",
    r"\bstop\s+(?:giving\s+me|with\s+the|telling\s+me\s+what\s+to\s+do|offering)\b",
    rf"\b(?:pause|hold off on|hold back on|skip|enough with|cut)\s+(?:the\s+|your\s+)?{NOUNS}",
    rf"\benough\s+{NOUNS}",
    r"\b(?:just|only)\s+(?:need|want)\s+(?:you|someone)\s+to\s+listen",
    r"\bfigure\s+(?:this|it)(?:\s+one)?\s+out\s+(?:by\s+|for\s+)?myself",
    r"(?:^|[,.!;]\s*)(?:(?:mm+|hmm+|ok|okay|actually|no|wait|sorry)\W+)*stop\b"
    r"(?!\s+(?:putting|procrastinating|avoiding|cancelling|being|feeling|me from|him|her|them))",
    r"\b(?:just|only)\s+(?:want|need)\s+to\s+think\b",
    r"\bnot\s+advice\b",
    r"\blet\s+me\s+(?:rant|vent)\b",
    r"^\W*(?:thanks|thank you|cheers),?\s+but\s+no\b",
    r"\bi(?:'d| would)\s+rather\s+(?:sort|figure|work|handle|deal with|think)\b.*\b(?:myself|on my own|ourselves)\b",
)
_REQUESTS = compile_all(
    r"\bwhat\s+(?:should|shall|do|can|could|would|might)\s+(?:i|we)\s+"
    + one_of("do", "try", "say", "write", "put", "ask", "tell", "bring", "focus") + r"\b",
    r"\bwhat\s+(?:would|do|should|could|can)\s+you\s+(?:do|suggest|recommend|advise|say|try)\b",
    r"\bwhat(?:'s| is| would be)\s+(?:the|a|your)\s+(?:best|good|better|right|smart|smartest)\s+"
    + one_of("way", "approach", "thing", "move", "option", "strategy"),
    r"\bwhat\s+are\s+(?:my|the|some)\s+options\b",
    r"\bwhat(?:'s| is)\s+(?:my|the)\s+next\s+step",
    rf"(?<!n't have )(?<!not have )\bany\s+(?:good\s+|other\s+|more\s+|practical\s+)?{one_of(NOUNS, OPINION)}\b",
    rf"\b(?:give|gie|share|offer|send|throw)\s+(?:me|us)\s+{DETERMINER}{one_of(NOUNS, OPINION, r'examples?')}",
    rf"\bgimme\s+{DETERMINER}{one_of(NOUNS, OPINION, r'examples?')}",
    r"(?:^\W*|\b(?:just|maybe|perhaps|for|welcome|appreciate|with)\s+|(?<!n't\s)(?<!not\s)\b(?:need|want|like|love)\s+)"
    r"(?:a|an|one)\s+(?:suggestion|idea|tip|pointer)\s+or\s+two\b",  # "a suggestion or two would be nice"
    r"\b(?:do|d'you)\s+(?:you|u)\s+know\s+(?:a|any|of\s+(?:a|any))\s+(?:\w+\s+){0,3}?"
    r"(?:book|course|tool|app|way|site|website|resource|template|podcast|video|class)s?\b",  # a recommendation
    r"\b(?:can|could|would|will)\s+you\s+(?:please\s+)?(?:write|draft|correct|fix|check|proofread|reword|rephrase|edit|"
    r"improve)\b",  # help with their own text: answered with ideas, or honestly that there are none
    rf"\bi(?:'d| would)\s+(?:really\s+|actually\s+|now\s+)?(?:like|love|appreciate|welcome|value)\s+{DETERMINER}"
    + one_of(NOUNS, OPINION, "help") + r"\b",
    rf"\bi\s+(?:really\s+)?(?:need|want|could use|am looking for|'m looking for)\s+{DETERMINER}"
    + one_of(NOUNS, "help") + r"\b",
    rf"\b(?:ready|open)\s+(?:for|to)\s+{DETERMINER}{NOUNS}",
    r"\b(?:can|could|would|will)\s+you\s+(?:please\s+)?"
    + one_of("help", "suggest", "recommend", "advise", "give me", "share", "walk me through", "think of",
              "come up with", "brainstorm", "tell me (?:what|how)") + r"\b",
    r"\bhelp\s+me\s+(?:to\s+)?"
    + one_of("plan", "figure", "decide", "prepare", "think", "work out", "come up", "write", "structure", "make",
              "with", "get", "find", "choose", "set", "deal", "handle", "word", "phrase", "brainstorm") + r"\b",
    r"\bhow\s+(?:can|could|should|do|might|would)\s+(?:i|we)\b",
    r"\bhow\s+would\s+you\s+(?:handle|approach|deal|tackle|go about|word|phrase|say|do)\b",
    r"\bdo\s+you\s+(?:recommend|suggest|advise)\b",
    rf"\bdo\s+you\s+think\s+i\s+should\b{_NOT_LOOKING_BACK}",
    r"\badvise\s+me\b",
    r"\bwhere\s+(?:do|should|can)\s+i\s+(?:start|begin)\b",
    r"\btell\s+me\s+(?:what|how)\s+(?:to|i\s+should)\b",
    r"\bis\s+there\s+(?:anything|a way|something)\s+i\s+(?:can|could|should)\b",
    r"\bwhat\s+do\s+you\s+think\b",
    r"\b(?:does|do)\s+(?:this|that|it|my\s+\w+)\s+(?:\w+\s+){0,3}(?:sound|look|seem)s?\s+[\w ]{1,20}\s+to\s+you\b",
    r"\bis\s+(?:this|that|it)\s+a\s+(?:good|bad|smart|realistic|sensible|wise)\s+(?:idea|plan|goal|approach|move)\b",
    r"\b(?:let's|can we|could we)\s+brainstorm\b",
    r"\bwhat\s+(?:steps|actions|things|changes)\s+(?:should|can|could|do|might|would)\s+(?:i|we)\b",
    r"\bwhich\b(?:\s+[\w,']+){0,6}?\s+(?:should|shall|do)\s+(?:i|we)\s+(?!know\b)\w+",
    r"\bwhat\s+are\s+(?:some|a few|good|the best|other|better)\s+(?:ways|things|steps|options|approaches)\b",
    r"\bwhich\s+(?:one|of (?:them|these|those|the two|my \w+))?\s*(?:i|we)\s+should\b",
    r"\bmy question is\s+(?:which|what|how|whether)\b",
    r"\bif\s+you\s+were\s+(?:me|in my (?:position|shoes|place))\b",
    r"\bwhat\s+(?:should|would)\s+(?:our|my|the)\s+[\w ]{1,30}\s+look\s+like\b",
    r"\b(?:can|could|would|will)\s+u\s+(?:please\s+)?(?:help|suggest|recommend|give|share|tell)\b",
    # Implicit requests: asking how it is done, what might work, or for a way in, without "advice" or "should".
    r"\bwhere\s+(?:do|should|can|would|could)\s+(?:i|we)\s+(?:\w+\s+){0,2}(?:start|begin)\b",
    r"\bhow\s+(?:do|does|did|would|could|can|should|might)\s+(?:other\s+|most\s+|successful\s+|busy\s+|real\s+|normal\s+)?"
    + one_of("people", "ppl", "others", "folks", "anyone", "anybody", "everyone", "you guys", "managers", "teams",
              "mentors", "parents", "writers", "speakers", "analysts", "leaders") + r"\b(?!\s+(?:think|feel|see|say)\b)",
    r"\bhow\s+(?:on\s+earth\s+|the\s+hell\s+|exactly\s+|else\s+|best\s+|even\s+)?(?:do|can|could|should|would|shall)\s+(?:i|u|we)\b",
    r"\b(?:is\s+there|are\s+there|any)\s+(?:a\s+|any\s+)?(?:good\s+|better\s+|easier\s+|quick\s+|smart\s+|simple\s+)?"
    r"(?:way|ways|trick|tricks|method|methods|approach|technique|techniques|hack|hacks)\s+(?:to|for|of|i\s+(?:can|could))\b",
    r"\bwhat(?:'s|\s+is|\s+are)\s+(?:the|a|some|any)\s+(?:trick|tricks|secret|key|hack|hacks|move|play|way|ways|technique|"
    r"techniques|formula)\s+(?:to|for|here|with|of)\b",
    r"\b(?:anything|something)\s+(?:i|we)\s+(?:can|could|might|should)\s+(?:try|do|say|use|change)\b",
    r"\bi\s+(?:really\s+)?(?:need|want|could use|'m looking for|am looking for)\s+(?:a|some|an)\s+(?:\w+\s+)?"
    + one_of("plan", "way", "strategy", "approach", "script", "game plan", "system", "routine", "method", "framework",
              "structure") + r"\s+(?:for|to|that|so)\b",
    r"\b(?:wat|wot|what)\s+(?:do|shud|should|cn|can)\s+(?:i|u)\s+(?:do|say|try)\b",
    r"\bwhat\s+(?:do|should)\s+(?:i|we)\s+do\s+(?:now|next|about|with|here|then)\b",
    # How it is done in general ("How do you even get started…?", "how would one go about…", "How can a shy person…").
    r"\b(?:how|hw)\s+(?:do|does|would|could|can|should|might)\s+(?:you|u|one|someone|somebody|a\s+\w+\s+person|"
    r"(?:good|great|new|busy|other|successful)\s+\w+|\w+\s+people)\s+(?:even\s+|actually\s+|ever\s+|really\s+)?"
    r"(?!think|feel|mean|know|see|say\s+that|like|find\s+(?:it|this|that|me))[a-z]{2,}",
    r"\bwhere\s+(?:would|does|do|should|could|can)\s+(?:someone|one|you|u|a\s+person|anyone)\s+(?:even\s+)?(?:start|begin)\b",
    r"\bhw\s+(?:do|can|should)\s+(?:i|we)\b",
    # What might work ("What would make Tom turn up?", "What could help me…", "what's worked for others?").
    r"\bwhat\s+(?:would|could|might|will|can)\s+(?:help|work|make|get)\b",
    r"\bwhat(?:'s|\s+has|\s+have)\s+worked\s+(?:for|well)\b",
    r"\bwhat\s+do\s+(?:people|folks|others|most people|you)\s+(?:usually\s+|normally\s+|typically\s+)?(?:say|do|write|try)\b",
    r"\bwhat(?:'s|\s+is|\s+are|\s+would\s+be|\s+might\s+be)\s+(?:a\s+|an\s+|the\s+|some\s+)?(?:\w+\s+)?"
    r"(?:way|ways|first\s+step|next\s+step|approach|questions\s+to\s+ask)\s+(?:to|for|of|i|we|into|in|round|around)\b",
    r"\bwhat\s+would\s+(?:a|the)\s+(?:\w+\s+)?(?:first\s+|next\s+)?step\s+be\b",
    rf"\b{one_of(NOUNS, OPINION)}\s+(?:are\s+|would\s+be\s+)?(?:welcome|appreciated|gratefully received)\b",
    r"\bany\s+way\s+(?:round|around|to|of)\b",
    r"\bi\s+(?:wonder|was wondering|'m wondering)\s+(?:how|what|whether|if)\s+(?:i|we)\s+(?:could|can|should|might)\b",
    # Not knowing HOW (or where to start), said as a statement: "I wish I knew how to…", "not sure how to bring it
    # up", "no clue how people juggle…". Not knowing WHAT TO DO stays a person stuck, not asking.
    r"\b(?:wish\s+i\s+knew|(?:i'm|im|i\s+am)\s+(?:trying|struggling)\s+to\s+(?:figure|work)\s+out|not\s+sure|unsure|"
    r"no\s+(?:idea|clue)|idk|(?:i\s+)?(?:don't|dont|do\s+not)\s+know|can't\s+(?:work|figure)\s+out|(?:i've\s+)?been\s+"
    r"wondering|curious|(?:would|i'd)\s+love\s+to\s+(?:know|hear|learn)|i'd\s+like\s+to\s+(?:know|hear|learn)|stuck\s+on|"
    r"need\s+to\s+(?:figure|work)\s+out)\s+(?:\w+\s+){0,2}?(?:how\s+(?:to|other|people|others|ppl|folks|you|anyone|"
    r"someone|\w+s\s+(?:keep|make|get|handle|deal|manage|find|juggle|stay))|where\s+to\s+(?:start|begin)|"
    r"what(?:'s|\s+is)\s+the\s+best\s+way)\b",
    r"\bi\s+could\s+do\s+with\s+(?:a\s+few\s+|some\s+|a\s+couple\s+of\s+|any\s+)?(?:ideas|tips|pointers|suggestions|help)\b",
    r"(?:^\W*(?:(?:yes|yeah|sure|ok|okay)\W+)?|\b(?:some|a\s+few|any|a\s+couple\s+of|your)\s+)(?:ideas|tips|pointers|suggestions)\b(?!\s+that\b)[^.!?]{0,50}\b(?:would|could|might)\s+(?:really\s+|definitely\s+)?(?:help|be\s+"
    r"(?:great|good|useful|helpful|welcome))\b",  # "yes, ideas for trimming the regional slide would help"
    r"\bwish\s+there\s+(?:was|were)\s+a\s+(?:\w+\s+)?way\s+to\b",
)
# Only at the start of a sentence (after filler words): "Should I tell my manager?" but not "I wonder if I should";
# imperatives ("Suggest a few ways…", "Walk me through…") and bare requests ("Ideas for sounding calmer?").
_SENTENCE_REQUESTS = compile_all(*(
    rf"^(?:(?:so|and|but|also|ok|okay|alright|all right|right|well|yeah|yes|yep|sure|um|honestly|hmm|like|then|please|pls|now|coach)\W+)*{p}"
    for p in (rf"should\s+(?:i|we)\b{_NOT_LOOKING_BACK}", rf"(?:your\s+|any\s+)?{OPINION}\s*\?",
              r"would\s+it\s+be\s+(?:ok|okay|better|wise|smart|a good idea)\b",
              r"(?:suggest|recommend|list|brainstorm|outline)\b",
              r"(?:give|show|tell|walk)\s+me\s+(?!(?:a\s+)?(?:break|minute|second|moment|joke|honestly|straight|frankly|"
              r"truthfully|the truth)\b)\w+",  # "tell me honestly" asks for an honest view, not for ideas
              r"help\s+me\b",
              rf"(?:some\s+|a\s+few\s+)?{NOUNS}\s+(?:for|on|about|to)\b",
              r"(?:how|ways|best\s+way)\s+to\s+\w+[^.!?]*\?", r"now\s+what\s*\?", r"what\s+now\s*\?")
))
class AskVerdict(BaseModel):
    """The request detector's verdict: ``asked`` and a short human ``reason``. Truthy when asked."""

    asked: bool
    reason: str
    phrase: str = ""  # an explicit request's words as they wrote them ("what do you think")

    def __bool__(self) -> bool:
        return self.asked


def _clean(text: str) -> str:
    return text.translate(_QUOTES)


def is_offer(text: str) -> bool:
    """True when ``text`` offers ideas and asks permission ("…would you like to hear them?")."""
    cleaned = _clean(text)
    return PERMISSION_OFFER in text or any(p.search(cleaned) for p in OFFERS)


def _request_phrase(message: str) -> str | None:
    """The first explicit request in ``message`` (any sentence), as the user wrote it; None if none."""
    cleaned = _clean(message)
    for sentence in split_sentences(cleaned):
        for pattern in _SENTENCE_REQUESTS:
            if match := pattern.search(sentence):
                return match.group(0).strip(" ,?")
        for pattern in _REQUESTS:
            if match := pattern.search(sentence):
                return match.group(0).strip(" ,?")
    return None


def refuses(message: str) -> bool:
    """True when ``message`` declines advice ("I don't want a framework", "no ideas pls, just venting")."""
    cleaned = _clean(message)
    return any(p.search(cleaned) for p in _REFUSALS)


def _shifts_topic(message: str) -> bool:
    return any(SHIFT.search(s) for s in split_sentences(_clean(message)))


def after_shift(sentence: str) -> str:
    """``sentence`` without a topic-shift marker at its start ("Different topic: Tom cancelled" → "Tom cancelled");
    unchanged when it has none."""
    match = SHIFT.search(_clean(sentence))
    return sentence[match.end():].lstrip(" ,:;.-—–") if match else sentence


def same_topic(topic: frozenset[str], message: str) -> bool:
    """Does ``message`` continue ``topic``? (No content words, or enough of them shared; see module doc.)"""
    words = content_words(message)
    shared = topic & words
    return not words or len(shared) >= 2 or len(shared) / len(words) >= TOPIC_MIN_SHARE


def _previous_user_turn(history: Sequence[Mapping[str, str]]) -> str:
    return next((t["content"] for t in reversed(history) if t.get("role") == "user"), "")


def _judge(
    history: Sequence[Mapping[str, str]], message: str, topic: frozenset[str] | None
) -> tuple[AskVerdict, frozenset[str] | None]:
    """Verdict on ``message`` given the earlier turns and the topic permission covers (None: no permission)."""
    if refuses(message):
        return AskVerdict(asked=False, reason="declined advice"), None
    if phrase := _request_phrase(message):
        words = content_words(message)
        if len(words) < 3:
            words |= content_words(_previous_user_turn(history))
        return AskVerdict(asked=True, reason=f"explicit request: '{phrase}'", phrase=phrase), words
    last = history[-1] if history else None
    if last is not None and last.get("role") == "assistant" and is_offer(last.get("content", "")):
        cleaned = _clean(message).strip()
        if DECLINE.search(cleaned):
            return AskVerdict(asked=False, reason="declined the coach's offer"), None
        if accepts(cleaned):
            words = content_words(message) | content_words(last["content"])
            words |= content_words(_previous_user_turn(history))
            return AskVerdict(asked=True, reason="accepted the coach's offer"), words
    if topic is not None:
        if _shifts_topic(message) or not same_topic(topic, message):
            return AskVerdict(asked=False, reason="topic changed: earlier permission does not carry over"), None
        verdict = AskVerdict(asked=True, reason="permission from earlier turn on same topic")
        return verdict, topic | content_words(message)
    return AskVerdict(asked=False, reason="no request"), None


def _permission_topic(history: Sequence[Mapping[str, str]]) -> frozenset[str] | None:
    """Replay the history: the topic that permission covers after its last turn, or None."""
    topic: frozenset[str] | None = None
    for i, turn in enumerate(history):
        if turn.get("role") == "user":
            topic = _judge(history[:i], turn.get("content", ""), topic)[1]
        elif topic is not None:
            topic |= content_words(turn.get("content", ""))
    return topic


def asked(history: Sequence[Mapping[str, str]], message: str) -> AskVerdict:
    """Did the user ask for suggestions in ``message``, given ``history`` (oldest first)? See the module doc."""
    return _judge(history, message, _permission_topic(history))[0]
