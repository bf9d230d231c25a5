"""A scripted chat model for tests and demos, shipped in the package.

Why not ``langchain_core``'s ``GenericFakeChatModel``: it only replays a fixed iterator of messages.
Tests here need replies computed from the prompt (a function of the messages), a record of every call
(messages and kwargs such as ``response_format``), and a sensible default when the queue runs dry.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from langchain_core.messages import BaseMessage
from pydantic import Field

from kickcoach.llm.pieces import Piece, PieceChatModel

Reply = str | Callable[[list[BaseMessage]], str]


def echo_guidance(messages: list[BaseMessage]) -> str:
    """Default demo reply: restate the first guidance passage the prompt carries, else reflect.

    The chat prompt puts retrieved passages between ``<source …>`` tags; a deterministic reply built from
    them lets demos and tests exercise retrieval and citation without a real model.
    """
    text = "\n".join(str(m.content) for m in messages)
    match = re.search(r"<source[^>]*>\s*(.+?)</source>", text, flags=re.S)
    if match:
        passage = " ".join(match.group(1).split())
        sentences = re.split(r"(?<=[.!?])\s+", passage)
        return "From our guidance: " + " ".join(sentences[:2])
    return "Thanks for telling me. What feels most important about this for you right now?"


class FakeChatModel(PieceChatModel):
    """Replies from a queue of strings or functions; falls back to ``default`` when the queue is empty."""

    responses: list[Reply] = Field(default_factory=list)
    default: Reply = echo_guidance
    calls: list[dict[str, Any]] = Field(default_factory=list)
    model_name: str = "fake"

    @property
    def _llm_type(self) -> str:
        return "kickcoach-fake"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model_name": self.model_name}

    def queue(self, *replies: Reply) -> FakeChatModel:
        self.responses.extend(replies)
        return self

    def _next(self, messages: list[BaseMessage], kwargs: dict[str, Any]) -> str:
        self.calls.append({"messages": list(messages), "kwargs": dict(kwargs)})
        reply = self.responses.pop(0) if self.responses else self.default
        return reply(messages) if callable(reply) else reply

    def _pieces(self, messages: list[BaseMessage], stop: list[str] | None, **kwargs: Any) -> Iterator[Piece]:
        yield from re.findall(r"\S+\s*|\s+", self._next(messages, kwargs))
