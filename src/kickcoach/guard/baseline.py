"""A plain regex advice detector: imperative-looking starts, "you should/could…", "I recommend/suggest…".

It is the baseline the learned detector is benchmarked against (benchmarks/advice_detector.py), and the
suggestion eval's independent second opinion: the guard never uses it, so its flags are not the guard
grading itself.
"""

from __future__ import annotations

import re

_BASELINE = re.compile(
    r"^\W*(?:try|talk|ask|tell|get|go|make|take|do n't|don't|do not|be|keep|stop|start|find|consider|write|give|let"
    r"|just|maybe|avoid|call|look|see|read|check|use|put|focus|remember|think|set|leave|stay|have|wait|speak)\b"
    r"|\byou (?:should|could|need to|might want to|must|ought to)\b"
    r"|\bi (?:would |'d |’d )?(?:recommend|suggest|advise)\b",
    re.IGNORECASE,
)


def regex_advice(sentence: str) -> bool:
    return bool(_BASELINE.search(sentence))
