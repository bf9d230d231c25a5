"""The one generation pipeline every flow uses:

call → parse (JSON under the schema) → check (raises :class:`Retry` with what to fix) → bounded re-ask →
template fallback → guard → a :class:`Generation` recording what happened.

A flow supplies the schema, a ``check`` that turns a parsed reply into the flow's output or raises
``Retry("deadline: give a date after 2026-11-23")``, a ``fallback`` that builds the deterministic output,
and optionally a ``guard`` that returns a note when the model's output must not be shown (the suggestion
guard found advice nobody asked for). One loop owns the retry budget (as pydantic-ai's ``ModelRetry`` and
instructor's re-ask do); a failing backend is not an error for the user, who gets the fallback, and
``error`` says why.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Sequence
from typing import Any, Generic, Literal, TypeVar

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage
from pydantic import BaseModel, ValidationError

from kickcoach.core.errors import KickcoachError
from kickcoach.llm.backend_errors import as_backend_error
from kickcoach.llm.formats import response_format as rung_format
from kickcoach.llm.formats import structured_text

S = TypeVar("S", bound=BaseModel)
R = TypeVar("R")


class Retry(Exception):  # noqa: N818 - named for what the check asks for, as pydantic-ai's ModelRetry
    """Raised by a check: each problem says what to fix, in words the model can act on."""

    def __init__(self, *problems: str) -> None:
        self.problems = [p for p in problems if p] or ["the answer does not fit; try again"]
        super().__init__("; ".join(self.problems))


class Attempt(BaseModel):
    """One model call: what came back and why it was not used (empty when it was)."""

    raw: str
    problems: list[str] = []


class Generation(BaseModel, Generic[R]):
    """What the pipeline produced and how: ``source`` is "model" only when a reply passed every check."""

    value: R
    source: Literal["model", "fallback"]
    attempts: int = 0
    problems: list[str] = []  # why the model's last answer was not used
    error: str | None = None  # the backend failed: the fallback was used
    guard_note: str | None = None  # the guard refused the model's output: the fallback was used
    record: list[Attempt] = []

    model_config = {"arbitrary_types_allowed": True}


def response_format(schema: type[BaseModel]) -> dict[str, Any]:
    """OpenAI ``response_format`` for a pydantic model (servers that refuse it get a lower rung of
    :mod:`kickcoach.llm.formats`)."""
    fmt = rung_format(schema)
    assert fmt is not None
    return fmt


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


def validation_messages(exc: ValidationError) -> list[str]:
    """Pydantic's errors as fix-it lines ("deadline: Field required")."""
    return [f"{'.'.join(str(p) for p in err['loc']) or 'reply'}: {err['msg']}" for err in exc.errors()]


REASK = "That answer has problems:\n- {problems}\nReply again with one corrected JSON object only."


def parse(schema: type[S], text: str) -> S:
    """``text`` as ``schema``, or :class:`Retry` with the parse or validation problems."""
    try:
        return schema.model_validate(parse_json_object(text))
    except ValidationError as exc:
        raise Retry(*validation_messages(exc)) from exc
    except ValueError as exc:
        raise Retry(f"reply: {exc}; answer with one JSON object only") from exc


def generate(
    model: BaseChatModel | None,
    messages: Sequence[BaseMessage],
    schema: type[S],
    *,
    check: Callable[[S], R],
    fallback: Callable[[], R],
    attempts: int = 2,
    guard: Callable[[R], str | None] | None = None,
    raise_errors: bool = False,
) -> Generation[R]:
    """Run the pipeline; see the module docstring. ``model=None`` goes straight to the fallback.

    ``raise_errors`` lets a backend failure propagate instead of falling back (for callers that report it).
    """
    record: list[Attempt] = []
    if model is None:
        return Generation(value=fallback(), source="fallback")
    convo = list(messages)
    problems: list[str] = []
    try:
        for _ in range(max(1, attempts)):
            text = structured_text(model, convo, schema)
            try:
                value = check(parse(schema, text))
            except Retry as retry:
                problems = retry.problems
                record.append(Attempt(raw=text, problems=problems))
                convo += [AIMessage(content=text), HumanMessage(content=REASK.format(problems="\n- ".join(problems)))]
                continue
            record.append(Attempt(raw=text))
            note = guard(value) if guard else None
            if note:
                return Generation(
                    value=fallback(),
                    source="fallback",
                    attempts=len(record),
                    problems=[f"guard: {note}"],
                    guard_note=note,
                    record=record,
                )
            return Generation(value=value, source="model", attempts=len(record), record=record)
    except KickcoachError as exc:
        if raise_errors:
            raise
        return _failed(fallback, record, str(exc))
    except Exception as exc:  # noqa: BLE001 - a failing backend still leaves the user the fallback
        if raise_errors:
            raise
        worded = as_backend_error(exc, _label(model))
        return _failed(fallback, record, str(worded) if worded else f"{type(exc).__name__}: {exc}")
    return Generation(value=fallback(), source="fallback", attempts=len(record), problems=problems, record=record)


def _label(model: BaseChatModel) -> str:
    from kickcoach.llm import model_label

    return str(getattr(model, "label", "") or model_label(model))


def _failed(fallback: Callable[[], Any], record: list[Attempt], error: str) -> Generation[Any]:
    return Generation(value=fallback(), source="fallback", attempts=len(record), error=error, record=record)


class Streamed(BaseModel):
    """Free text streamed from the model (the chat's rewording): the text, its token counts and when it began."""

    text: str
    tokens_in: int
    tokens_out: int
    first_token_s: float | None  # seconds from ``started`` to the first chunk (None: nothing came)


def stream_text(model: BaseChatModel, messages: Sequence[BaseMessage], *, started: float) -> Streamed:
    """The streaming variant of the call: the model's whole reply (shown to no one until the caller's checks
    pass it). A backend failure propagates: the caller keeps its own reply and words the error."""
    from kickcoach.core import tokens

    first: float | None = None
    raw = ""
    for chunk in model.stream(list(messages)):
        first = first or time.perf_counter() - started
        raw += str(chunk.content)
    return Streamed(text=raw, tokens_in=tokens.count_messages(list(messages)), tokens_out=tokens.count(raw),
                    first_token_s=first)


def complete_text(model: BaseChatModel, messages: Sequence[BaseMessage], **options: Any) -> str:
    """Free text from one model call (the rehearsal's boss lines and tips: the caller checks and guards it).
    ``options`` are the call's settings (``max_tokens``, ``temperature``); a backend failure propagates."""
    return str(model.invoke(list(messages), **options).content)
