"""Stop a small model's loops: cut generation at the first sentence that repeats an earlier one.

SmolLM2-135M, asked to rephrase, repeats one sentence until it runs out of tokens. ``repeat_penalty``
lowers the odds but does not stop it, so the stream is watched here. Text streams through at once,
except while the sentence being written could still turn out to be a repeat (its words so far are the
start of an earlier sentence); once it diverges it is released, and once it completes as a repeat,
generation stops and the repeat is never shown.
"""

from __future__ import annotations

import re

_BOUNDARY = re.compile(r"(?<=[.!?])\s+|\n+")
_WORDS = re.compile(r"[a-z0-9']+")


def _norm(sentence: str) -> str:
    return " ".join(_WORDS.findall(sentence.lower()))


class LoopCutter:
    """Feed streamed text; ``feed`` returns what may be shown now, ``stopped`` turns True on a loop."""

    def __init__(self, min_words: int = 3) -> None:
        self.min_words = min_words
        self.stopped = False
        self._seen: list[str] = []
        self._sentence = ""  # the sentence being written, including any part already released
        self._released = 0  # how many characters of it were released

    def feed(self, text: str) -> str:
        if self.stopped:
            return ""
        self._sentence += text
        out: list[str] = []
        while (match := _BOUNDARY.search(self._sentence)) is not None:
            sentence, self._sentence = self._sentence[: match.end()], self._sentence[match.end() :]
            if self._is_repeat(sentence):
                self.stopped = True
                self._sentence = ""
                return "".join(out)
            out.append(sentence[self._released :])
            self._released = 0
            key = _norm(sentence)
            if key:
                self._seen.append(key)
        if not self._could_repeat(self._sentence):
            out.append(self._sentence[self._released :])
            self._released = len(self._sentence)
        return "".join(out)

    def flush(self) -> str:
        rest, released = self._sentence, self._released
        self._sentence, self._released = "", 0
        if self.stopped or self._is_repeat(rest):
            return ""
        return rest[released:]

    def _is_repeat(self, sentence: str) -> bool:
        key = _norm(sentence)
        return len(key.split()) >= self.min_words and key in self._seen

    def _could_repeat(self, partial: str) -> bool:
        key = _norm(partial)
        return bool(key) and any(seen.startswith(key) for seen in self._seen)
