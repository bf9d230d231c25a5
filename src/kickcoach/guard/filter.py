"""Enforcement: hold back unrequested suggestions from the model's reply, streaming or not.

When the user asked (see :func:`kickcoach.guard.requests.asked`), text passes through untouched. When
they did not:

- Text is buffered to sentence boundaries (:mod:`kickcoach.text.sentences`); a sentence is released
  only once it is complete and judged not a suggestion, so nothing shown is ever withdrawn.
- Sentences are judged with the detector's *strict* (recall-favouring) threshold: holding back a
  harmless sentence costs little, letting unrequested advice through breaks the house rule.
- A lead-in that ends with ``:`` ("Here are some tips:") is held until the next sentence is judged and
  dropped with it when that sentence is a suggestion (it is not counted in ``removed``).
- If anything was removed, the reply ends with one permission offer (:data:`PERMISSION_OFFER`), unless
  a sentence the model wrote and we kept already offers. If nothing but whitespace would be left, the
  reply becomes ``reflect(user_message) + " " + PERMISSION_OFFER``.

The streamed result equals :func:`filter_text` on the whole text however the text is chunked, because
every sentence boundary is settled by the text up to the next sentence's first character.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from kickcoach.core.banks import bank_beside
from kickcoach.guard.requests import PERMISSION_OFFER, is_offer
from kickcoach.guard.suggestions import is_suggestion
from kickcoach.text.sentences import segments

# How a finished sentence ends: terminal punctuation, maybe followed by closing quotes or brackets.
_FINISHED = re.compile(r"[.!?…:][\"'”’)\]]*\s*$")

_EMOTIONS = {
    "exhausted": "exhausted", "tired": "tired", "drained": "drained", "burnt": "burnt out", "burned": "burnt out",
    "frustrated": "frustrated", "frustrating": "frustrated", "annoyed": "annoyed", "annoying": "annoyed",
    "angry": "angry", "furious": "angry", "stressed": "stressed", "stressful": "stressed", "stress": "stressed",
    "anxious": "anxious", "nervous": "nervous", "worried": "worried", "dreading": "uneasy",
    "overwhelmed": "overwhelmed",
    "upset": "upset", "sad": "sad", "hurt": "hurt", "stings": "hurt", "disappointed": "disappointed",
    "embarrassed": "embarrassed", "stuck": "stuck", "confused": "confused", "lost": "lost", "awkward": "awkward",
    "excited": "excited", "proud": "proud", "happy": "happy", "relieved": "relieved", "pleased": "pleased",
    "thrilled": "thrilled", "awful": "awful", "terrible": "awful", "scared": "scared", "afraid": "scared",
}
_TOPIC_MODIFIERS = frozenset(
    "weekly monthly quarterly annual yearly new last next first big mentoring performance team smart salary "
    "practice final current old whole".split()
)
_TOPIC_STOP = frozenset(
    "own mind head best life way time advice suggestion suggestions tips ideas idea god goodness gosh self fault "
    "bad part side turn opinion thoughts question".split()
)
_TOPIC_NOUNS = (
    "deadline", "manager", "boss", "feedback", "presentation", "review", "contract", "goals", "networking event",
    "promotion", "interview", "meeting", "mentor", "team", "client", "report", "raise", "workload",
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")


class GuardReport(BaseModel):
    """What the guard did to one reply."""

    asked: bool
    removed: list[str] = Field(default_factory=list)  # the withheld sentences, in order
    offer_added: bool = False
    reflected: bool = False

    def note(self) -> str | None:
        """A line for the user: "1 unrequested suggestion held back", or None when nothing was removed."""
        if not self.removed:
            return None
        count = len(self.removed)
        return f"{count} unrequested suggestion{'s' if count != 1 else ''} held back"


def _emotion(words: list[str]) -> str | None:
    for i, word in enumerate(words):
        lowered = word.lower()
        negated = {"not", "never", "don't", "isn't", "wasn't"} & {w.lower() for w in words[max(0, i - 2) : i]}
        if lowered in _EMOTIONS and not negated:
            return _EMOTIONS[lowered]
    return None


def _topic(words: list[str]) -> str | None:
    lowered = [w.lower() for w in words]
    for i, word in enumerate(lowered[:-1]):
        if word in ("my", "our") and lowered[i + 1] not in _TOPIC_STOP and lowered[i + 1].isalpha():
            phrase = [lowered[i + 1]]
            if phrase[0] in _TOPIC_MODIFIERS and i + 2 < len(lowered) and lowered[i + 2].isalpha():
                phrase.append(lowered[i + 2])
            return "your " + " ".join(phrase)
    text = " ".join(lowered)
    return next((f"the {noun}" for noun in _TOPIC_NOUNS if re.search(rf"\b{noun}s?\b", text)), None)


def reflect(user_message: str) -> str:
    """A short reflection built from the user's words, e.g. "It sounds like things with your manager have
    left you feeling exhausted." Deterministic; a candidate that the strict detector would flag (the
    user's words are quoted into it) gives way to a plainer one, so the result is never a suggestion."""
    words = _WORD.findall(user_message.replace("’", "'"))
    emotion, topic = _emotion(words), _topic(words)
    bank = bank_beside(__file__)
    candidates = []
    if emotion and topic:
        candidates.append(bank.line("reflect", "topic_emotion", topic=topic, emotion=emotion))
    if topic:
        candidates.append(bank.line("reflect", "topic", topic=topic))
    if emotion:
        candidates.append(bank.line("reflect", "emotion", emotion=emotion))
    return next((c for c in candidates if not is_suggestion(c, strict=True)), bank.line("reflect", "plain"))


class StreamGuard:
    """Filter a streamed reply sentence by sentence (see the module doc).

    ``feed(chunk)`` returns the text that is safe to show now; ``close()`` returns the rest. ``text`` is
    everything released so far and ``report`` what was done.
    """

    def __init__(self, asked: bool, user_message: str = "") -> None:
        self.asked = asked
        self.user_message = user_message
        self._buffer = ""
        self._lead_in = ""  # a sentence ending with ":", released only if the sentence after it is kept
        self._released: list[str] = []
        self._removed: list[str] = []
        self._kept_content = False
        self._kept_offer = False
        self._offer_added = False
        self._reflected = False
        self._closed = False

    @property
    def text(self) -> str:
        return "".join(self._released)

    @property
    def report(self) -> GuardReport:
        return GuardReport(asked=self.asked, removed=list(self._removed), offer_added=self._offer_added,
                           reflected=self._reflected)

    def feed(self, chunk: str) -> str:
        """Take the next chunk of model output; return the text that may be shown now."""
        if self._closed:
            raise RuntimeError("StreamGuard.feed() called after close()")
        if self.asked:
            return self._release(chunk)
        self._buffer += chunk
        pieces = segments(self._buffer)
        if len(pieces) < 2:
            return ""
        self._buffer = pieces[-1]
        return self._release("".join(self._judge(piece) for piece in pieces[:-1]))

    def close(self) -> str:
        """End of the reply: judge what is left, add the offer or the reflection; return the last text."""
        if self._closed:
            return ""
        self._closed = True
        if self.asked:
            return ""
        rest = self._buffer
        if self._kept_content and rest.strip() and not _FINISHED.search(rest):
            rest = ""  # a sentence cut off mid-way (the model ran out of tokens): drop the fragment
        out = self._judge(rest) + self._lead_in
        self._kept_content = self._kept_content or bool(self._lead_in)
        self._buffer = self._lead_in = ""
        if self._removed and not self._kept_content:
            out, self._reflected, self._offer_added = f"{reflect(self.user_message)} {PERMISSION_OFFER}", True, True
        elif self._removed and not self._kept_offer:
            before = self.text + out
            out += ("" if not before or before[-1].isspace() else " ") + PERMISSION_OFFER
            self._offer_added = True
        return self._release(out)

    def _judge(self, piece: str) -> str:
        """Verdict on one complete sentence: the text to release now ("" when held back or held over)."""
        sentence = piece.strip()
        if not sentence:
            return ""
        if is_suggestion(sentence, strict=True):  # enforcement errs towards holding back: see module doc
            self._removed.append(sentence)
            self._lead_in = ""
            return ""
        out, self._lead_in = self._lead_in, ""
        self._kept_content = self._kept_content or bool(out)
        if sentence.endswith(":"):
            self._lead_in = piece
            return out
        self._kept_content = True
        self._kept_offer = self._kept_offer or is_offer(sentence)
        return out + piece

    def _release(self, text: str) -> str:
        if text:
            self._released.append(text)
        return text


def filter_text(text: str, asked: bool, user_message: str = "") -> tuple[str, GuardReport]:
    """The non-streaming guard: the reply to show and the report (same result as streaming ``text``)."""
    guard = StreamGuard(asked=asked, user_message=user_message)
    guard.feed(text)
    guard.close()
    return guard.text, guard.report
