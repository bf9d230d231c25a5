"""Keeping the boss in character: clean a model reply, check it, and classify the user's turn.

The default model (SmolLM2-135M) drifts out of a role: it gives the user advice, says "As an AI…", talks
about "your boss" as if it were a coach, repeats its instructions or the user's words. Every boss reply
therefore passes through :func:`clean_boss_line` (labels, stage directions and quotes removed, cut to
1–3 sentences) and :func:`check_boss_line`, which lists what is wrong. The boss's move is decided in code
(``boss.decide``); a model line that fails the check, flatters (:data:`SYCOPHANCY`) or concedes
(:data:`CONCESSION`) when the move does not allow it is replaced by a line from the style's bank.

The per-session canary (a random code placed in the persona card) and a long run of words shared with the
persona card are both treated as leaks of the instructions.

The eval (``kickcoach.evals.rehearse``) judges the same lines with its own, stricter checker, so the
figures it reports do not simply restate this module's verdicts.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence

from kickcoach.guard import split_sentences

WORD_BUDGET = 30  # cleaning keeps whole sentences up to this many words (always at least the first)
MAX_WORDS = 40  # a first sentence longer than this is not a boss's short turn
LEAK_RUN = 7  # this many consecutive words shared with the persona card count as repeating it
ECHO_SHARE = 0.5  # this share of the boss line's word trigrams taken from the user's turn is an echo
CODE_WINDOW = 4
_CODE_LETTERS = "BCDFGHJKLMNPQRSTVWXZ"
_CODE_DIGITS = "23456789"

_WORD = re.compile(r"[a-z0-9']+")
_LABEL = re.compile(r"^\s*\**\s*[A-Z][A-Za-z .'-]{0,30}?\s*\**\s*:\s*\**\s+")
_STAGE = re.compile(r"\*[^*\n]{1,60}\*|\[[^\]\n]{1,60}\]|\((?:sighs|pauses|smiles|nods|laughs|looks[^)]*)\)", re.IGNORECASE)

AS_AI = re.compile(
    r"\bas an? (?:ai|artificial|language|virtual)\b|\b(?:ai|large) language model\b|\blanguage model\b|\bassistant\b"
    r"|\bcoach(?:es|ing)?\b|\bchat ?bot\b|\bartificial intelligence\b|\bi(?:'m| am) (?:just )?an ai\b|\bopenai\b"
    r"|\bsmollm\b|\bhugging ?face\b",
    re.IGNORECASE,
)
AI_WORD = re.compile(r"\bAI\b")
INSTRUCTIONS = re.compile(
    r"\binstructions?\b|\bsystem (?:prompt|message)\b|\bprompts?\b|\brole[- ]?play(?:ing)?\b|\bin character\b"
    r"|\bout of character\b|\bpersona\b|\b(?:private|secret|session) code\b|\bi was told to\b|\bprogrammed\b"
    r"|\brehears\w*",
    re.IGNORECASE,
)
ADVICE = re.compile(
    r"\byou (?:should|could|might want to|may want to|ought to) (?:tell|ask|say|try|practi[cs]e|prepare|approach"
    r"|mention|explain|bring|talk|speak|be|start|focus|frame|remind|use|consider|think about|highlight|emphasi[sz]e)\b"
    r"|\b(?:i|i'd|i would) (?:suggest|recommend|advise)\b|\bmy (?:advice|suggestion|tip)s?\b|\btips?\b"
    r"|\b(?:some|a piece of) advice\b|\byou (?:make|be) sure\b|\bit(?:'s| is) (?:important|a good idea|helpful|best) to\b"
    r"|\b(?:a good|the best) way to\b|\bhere(?:'s| is| are) (?:how|some|a few)\b|\bwhen (?:you )?(?:talk|speak)(?:ing)? (?:to|with)\b"
    r"|\bhow to (?:ask|talk|approach|negotiate|prepare|handle|present|frame|respond)\b|\bgood luck\b"
    r"|\bbe (?:more )?(?:confident|assertive)\b|\b(?:stay|keep) calm\b|\bpracti[cs]e (?:your|the|what|saying|asking)\b"
    # imperatives that open a sentence: "Try to…", "Remember to…", "Make sure…" (a boss's "I'll make sure…" is fine)
    r"|(?:^|[.!?]\s+)(?:try|remember|don't forget|make sure|be sure|consider|focus on your)\b",
    re.IGNORECASE,
)
# How a chat assistant talks, never a manager in a one-to-one: SmolLM2's condolences, refusals and offers of help.
ASSISTANT_VOICE = re.compile(
    r"\bsorry (?:for|about) (?:your|any|the) (?:loss|misunderstanding|confusion|inconvenience)\b|\bsorry to hear\b"
    r"|\bi can'?t (?:help|assist)\b|\b(?:happy|glad|here) to (?:help|assist)\b|\bhow can i (?:help|assist)\b"
    r"|\bsomething else\b|\bis there anything else\b|\bif there'?s anything else\b|\bjust let me know\b|\blet me know if\b"
    r"|\bfeel free to\b|\byou'?re welcome\b"
    r"|\bi hope this helps\b|\bgreat question\b|\bprovide (?:you with )?(?:a |the )?(?:more )?(?:accurate|right|correct) answer\b",
    re.IGNORECASE,
)
THIRD_PERSON_BOSS = re.compile(
    r"\b(?:your|the|their|his|her) (?:boss|manager|line manager|supervisor|employer|team ?lead(?:er)?)\b", re.IGNORECASE
)
# The persona card is a script note; the model sometimes narrates the scene instead of speaking in it.
NARRATION = re.compile((
    r"\b(?:responds|replies|answers|says|asks|smiles|nods|sighs)(?: with| by| that|,)"
    r"|\bwith a (?:smile|sigh|nod)\b"
), re.IGNORECASE)

# Attempts to pull the boss out of the scene: the flow answers them in character from the bank, no model call.
INJECTION = re.compile(
    r"\bignore (?:your|all|the|previous|any|what)\b"
    r"|\b(?:forget|drop|stop|leave|quit) (?:the|this|your|all)? ?(?:role[- ]?play\w*|instructions?|character|act\w*|scene|game)\b"
    r"|\bstop (?:role[- ]?play\w*|acting|pretending)\b|\binstructions?\b|\bsystem (?:prompt|message)\b|\bprompts?\b"
    r"|\byou are (?:now|no longer|actually|really)\b|\byou'?re (?:now|no longer|actually)\b"
    r"|\bfrom now on,? (?:you|your|reply|respond|answer|speak|talk|act|only|always|just|ignore|forget|give|be|say)\b"
    r"|^from now on\b|\bact as\b"
    r"|\bare you (?:an? )?(?:ai|bot|robot|language model|chat ?bot|real)\b|\bas an ai\b|\bpretend\b|\brole[- ]?play\w*"
    r"|\bjailbreak\b|\bdeveloper mode\b|\bout of character\b|\bcanary\b"
    r"|\b(?:print|show|reveal|repeat|tell me|give me|say)\b[^.?!]{0,30}\b(?:code|prompt|instructions?|rules|script)\b"
    r"|\bwhat (?:were|are) you told\b|\b(?:be|as) my coach\b|\bgive me (?:tips|advice)\b|\btell me what (?:i should|to) say\b",
    re.IGNORECASE,
)
# Flattery and easy agreement: the failure the issue measured ("Sounds great" in 4 of 6 turns). Shared by the
# runtime check (a model line with it is refused unless the boss's concern was answered) and the eval's count.
SYCOPHANCY = re.compile(
    r"\bglad\b|\bgreat\b|\bsounds? (?:good|fine|lovely|like a plan|excellent|perfect)\b|\blove (?:it|that|this|the)\b"
    r"|\babsolutely\b|\bperfect\b|\bwonderful\b|\bfantastic\b|\bexcellent\b|\bamazing\b|\bbrilliant\b|\bawesome\b"
    r"|\bsuperb\b|\bterrific\b|\bhappy to hear\b|\bgood (?:idea|question|point|thinking|for you)\b|\bwell done\b"
    r"|\bi'?m (?:so )?(?:proud|impressed)\b|\bwhat a\b|\bof course\b|\bno problem\b|\bcertainly\b|\bdefinitely\b"
    r"|\bi (?:totally|completely|fully) (?:agree|understand)\b|\bthat'?s (?:fair|reasonable|a good)\b",
    re.IGNORECASE,
)
# The boss giving in: used to refuse a model line that concedes before the state allows it.
CONCESSION = re.compile(
    r"\b(?:i'?ll|i will|i can|i'?m willing to|i'?m happy to|happy to) (?:support|back|approve|agree|sign|put it|go with|make|take it|let you)\b"
    r"|\blet'?s do (?:it|that|this)\b|\bgo ahead\b|\byou'?ve convinced me\b|\bi'?m convinced\b|\bagreed\b"
    r"|\b(?:it'?s a|that'?s a) deal\b|\byou have my\b"
    r"|\bwe can (?:do|try|make|go)\b|\bokay,? (?:let'?s|you can|we can)\b|\bfine,? (?:let'?s|you can|we can|go)\b|\byes,? (?:let'?s|you can|we can)\b"
    r"|\bthat works\b|\bworks for me\b|\bi'?m in(?:[.!]|$)|\bapproved\b|\byou can (?:have|do|go|take|present|lead|move)\b",
    re.IGNORECASE,
)


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("’", "'"))


def sentences(text: str) -> list[str]:
    return split_sentences(text.strip())


def clean_boss_line(raw: str, max_sentences: int = 3) -> str:
    """What the user would see: first paragraph, no "Sam:" label, stage directions or wrapping quotes, ≤ N sentences.

    A later line that opens with a speaker label ("User: …") ends the reply: the model began the next turn.
    A trailing fragment cut off by the token limit is dropped when a whole sentence comes before it, and
    sentences after the first are kept only while the line stays within ``WORD_BUDGET`` words.
    """
    text = raw.replace("\r", "").strip()
    kept: list[str] = []
    for index, line in enumerate(text.split("\n\n")[0].split("\n")):
        if index and _LABEL.match(line):  # the model began writing the other person's turn
            break
        kept.append(line.strip())
    text = " ".join(line for line in kept if line)
    while (label := _LABEL.match(text)) is not None:  # "Sam:", "**Manager:**"
        text = text[label.end() :]
    text = _STAGE.sub(" ", text)
    text = " ".join(text.split()).strip().strip('"“”').strip()
    parts = sentences(text)
    if len(parts) > 1 and not re.search(r"[.!?…][\"')\]]*$", parts[-1]):
        parts = parts[:-1]
    kept = parts[:1]
    for part in parts[1:max_sentences]:
        if len(words(" ".join([*kept, part]))) > WORD_BUDGET:
            break
        kept.append(part)
    return " ".join(kept).strip()


def _ngrams(tokens: list[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)}


def longest_common_run(a: Sequence[str], b: Sequence[str]) -> int:
    """Length of the longest run of consecutive tokens found in both sequences (dynamic programming)."""
    best = 0
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0] * (len(b) + 1)
        for j, y in enumerate(b, 1):
            if x == y:
                current[j] = previous[j - 1] + 1
                best = max(best, current[j])
        previous = current
    return best


def longest_shared_run(a: str, b: str) -> int:
    """Length in words of the longest run of consecutive words found in both texts."""
    return longest_common_run(words(a), words(b))


def echo_share(line: str, user_text: str) -> float:
    """Share of the line's word trigrams that also occur in the user's turn (0 when the line is short)."""
    grams = _ngrams(words(line), 3)
    if len(grams) < 2:
        return 1.0 if words(line) and words(line) == words(user_text) else 0.0
    return len(grams & _ngrams(words(user_text), 3)) / len(grams)


def new_code() -> str:
    """A per-session canary: six characters alternating consonant and digit (e.g. ``K7Q2X9``).

    The alternation never occurs in English words or ordinary figures, so finding any four of its
    characters in a row in a reply means the model copied it (small models copy it half-right).
    """
    return "".join(secrets.choice(_CODE_LETTERS if i % 2 == 0 else _CODE_DIGITS) for i in range(6))


def contains_code(text: str, code: str) -> bool:
    """True if four or more consecutive characters of the canary appear, ignoring case, spaces and punctuation."""
    core = re.sub(r"[^a-z0-9]", "", code.lower())
    if len(core) < CODE_WINDOW:
        return False
    squashed = re.sub(r"[^a-z0-9]", "", text.lower())
    return any(core[i : i + CODE_WINDOW] in squashed for i in range(len(core) - CODE_WINDOW + 1))


def check_boss_line(
    text: str,
    *,
    user_text: str = "",
    code: str = "",
    card: str = "",
    previous: Sequence[str] = (),
    boss_name: str = "",
) -> list[str]:
    """Problems that make ``text`` unfit to show as the boss's line (empty list: in character).

    ``user_text`` is the turn being answered (echo check), ``code`` the session canary and ``card`` the
    persona card sent to the model (leak checks), ``previous`` the boss's earlier lines (a small model
    repeats itself), ``boss_name`` the boss's own name (the model calls the user by it).
    """
    problems: list[str] = []
    tokens = words(text)
    if not tokens:
        return ["empty reply"]
    if len(tokens) > MAX_WORDS:
        problems.append(f"too long ({len(tokens)} words)")
    if not re.search(r"[.!?…][\"')\]]*$", text.strip()) and len(tokens) >= 8:
        problems.append("unfinished sentence")
    if AS_AI.search(text) or AI_WORD.search(text):
        problems.append("speaks as an AI, assistant or coach")
    if INSTRUCTIONS.search(text):
        problems.append("mentions instructions, prompts or the role-play")
    if ADVICE.search(text):
        problems.append("gives the user advice instead of answering as their boss")
    if ASSISTANT_VOICE.search(text):
        problems.append("talks like a chat assistant, not a manager")
    if THIRD_PERSON_BOSS.search(text):
        problems.append('talks about "your boss" or "the manager" as a third person')
    if NARRATION.search(text):
        problems.append("narrates the scene instead of speaking in it")
    if user_text and echo_share(text, user_text) >= ECHO_SHARE:
        problems.append("echoes the user's words")
    if any(echo_share(text, earlier) >= ECHO_SHARE for earlier in previous):
        problems.append("repeats an earlier line")
    if boss_name and boss_name.lower() in words(text):
        problems.append("says its own name")
    if contains_code(text, code):
        problems.append("reveals the private session code")
    if card and longest_shared_run(text, card) >= LEAK_RUN:
        problems.append("repeats its instructions")
    return problems


def sycophantic(text: str) -> bool:
    """Flattery or easy agreement ("Sounds great", "I'm glad…", "Absolutely")."""
    return bool(SYCOPHANCY.search(text.replace("’", "'")))


def concedes(text: str) -> bool:
    """The line gives the user what they asked for, or agrees to it."""
    return bool(CONCESSION.search(text.replace("’", "'")))


def injection(text: str) -> bool:
    """An attempt to take the boss out of the scene or to get its instructions or code."""
    return bool(INJECTION.search(text.replace("’", "'")))
