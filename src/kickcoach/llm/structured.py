"""Structured output: ask for JSON that fits a pydantic schema, validate, re-ask with the errors.

Why not ``BaseChatModel.with_structured_output``: it is implemented differently per provider (tool
calling, json_schema, json_mode), our in-process llama.cpp model has none of those, and it does not
re-ask with the validation error. Here every backend gets the same OpenAI-style ``response_format``
(the embedded backend turns it into a llama.cpp JSON-schema grammar), and domain checks (SMART criteria,
forbidden words) join pydantic's errors in the re-ask, as instructor does, in a few dozen lines.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage
from pydantic import BaseModel, ValidationError

T = TypeVar("T", bound=BaseModel)
Check = Callable[[Any], Sequence[str]]


class StructuredResult(BaseModel, Generic[T]):
    """The outcome of a structured call: ``value`` is None when every attempt failed."""

    value: T | None = None
    errors: list[str] = []
    attempts: int = 0
    raw: list[str] = []

    @property
    def ok(self) -> bool:
        return self.value is not None


def response_format(schema: type[BaseModel]) -> dict[str, Any]:
    """OpenAI ``response_format`` for a pydantic model (understood by OpenAI, vLLM, llama.cpp server, us)."""
    return {
        "type": "json_schema",
        "json_schema": {"name": schema.__name__, "schema": schema.model_json_schema(), "strict": False},
    }


def parse_json_object(text: str) -> Any:
    """Parse the first JSON object in ``text`` (models wrap JSON in prose or code fences)."""
    text = text.strip()
    fenced = re.search(r"```(?:json)?\s*(.+?)```", text, flags=re.S)
    if fenced:
        text = fenced.group(1).strip()
    start = text.find("{")
    if start < 0:
        raise ValueError("no JSON object in the reply")
    # strict=False accepts raw newlines inside strings, which small models often write.
    obj, _ = json.JSONDecoder(strict=False).raw_decode(text[start:])
    return obj


def _errors_of(exc: ValidationError) -> list[str]:
    return [f"{'.'.join(str(p) for p in err['loc']) or 'reply'}: {err['msg']}" for err in exc.errors()]


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
    date"). Each failed attempt is followed by a re-ask that quotes those problems.
    """
    convo = list(messages)
    result: StructuredResult[T] = StructuredResult()
    fmt = response_format(schema)
    for _ in range(max(1, attempts)):
        result.attempts += 1
        reply = model.invoke(convo, response_format=fmt)
        text = str(reply.content)
        result.raw.append(text)
        try:
            value = schema.model_validate(parse_json_object(text))
        except ValidationError as exc:
            problems = _errors_of(exc)
        except ValueError as exc:
            problems = [f"reply: {exc}; answer with one JSON object only"]
        else:
            problems = list(check(value)) if check else []
            if not problems:
                result.value, result.errors = value, []
                return result
        result.errors = problems
        convo += [
            AIMessage(content=text),
            HumanMessage(
                content="That answer has problems:\n- "
                + "\n- ".join(problems)
                + "\nReply again with one corrected JSON object only."
            ),
        ]
    return result
