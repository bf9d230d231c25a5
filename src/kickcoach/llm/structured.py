"""Structured output without a fallback: :func:`structured_call` runs the one pipeline
(:func:`kickcoach.llm.generate.generate`) and reports the parsed value, or ``None`` with the problems.

Why not ``BaseChatModel.with_structured_output``: it is implemented differently per provider (tool
calling, json_schema, json_mode), our in-process llama.cpp model has none of those, and it does not
re-ask with the validation error. Here every backend gets the same OpenAI-style ``response_format``
(the embedded backend turns it into a llama.cpp JSON-schema grammar; a server that refuses it is asked
the next way down the ladder of :mod:`kickcoach.llm.formats`, remembered per server), and domain checks
(SMART criteria, forbidden words) join pydantic's errors in the re-ask, as instructor does.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage
from pydantic import BaseModel

from kickcoach.llm.generate import Retry, generate, parse_json_object, response_format

T = TypeVar("T", bound=BaseModel)
Check = Callable[[Any], Sequence[str]]

__all__ = ["Check", "StructuredResult", "parse_json_object", "response_format", "structured_call"]


class StructuredResult(BaseModel, Generic[T]):
    """The outcome of a structured call: ``value`` is None when every attempt failed."""

    value: T | None = None
    errors: list[str] = []
    attempts: int = 0
    raw: list[str] = []

    @property
    def ok(self) -> bool:
        return self.value is not None


def structured_call(
    model: BaseChatModel,
    messages: Sequence[BaseMessage],
    schema: type[T],
    *,
    check: Check | None = None,
    attempts: int = 2,
) -> StructuredResult[T]:
    """Call ``model`` until its reply parses into ``schema`` and passes ``check`` (at most ``attempts`` calls).

    ``check(value)`` returns a list of problems written so the model can fix them ("deadline: give a
    date"). Each failed attempt is followed by a re-ask that quotes those problems. Backend errors propagate.
    """

    def checked(value: T) -> T | None:
        problems = list(check(value)) if check else []
        if problems:
            raise Retry(*problems)
        return value

    gen = generate(model, messages, schema, check=checked, fallback=lambda: None, attempts=attempts, raise_errors=True)
    return StructuredResult[T](
        value=gen.value if gen.source == "model" else None,
        errors=gen.problems,
        attempts=gen.attempts,
        raw=[a.raw for a in gen.record],
    )
