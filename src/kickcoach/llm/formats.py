"""Structured output that degrades instead of failing: ask a model server for JSON the strictest way it
accepts, found once per server (base URL + model) and remembered.

The ladder, strictest first:

1. ``json_schema``: OpenAI's ``response_format`` (OpenAI, vLLM, Ollama ≥ 0.5, llama.cpp's C++ server);
2. ``json_object+schema``: ``{"type": "json_object", "schema": …}``, llama-cpp-python's and llama.cpp's
   own spelling of a schema grammar (llama-cpp-python's server rejects rung 1 with a 500);
3. ``json_object``: plain JSON mode, the schema written into the instructions;
4. ``prompt``: no ``response_format`` at all, the schema in the instructions.

On every rung the reply is still parsed and validated with pydantic by :mod:`kickcoach.llm.generate`,
which re-asks within its bounded budget. A server's refusal of a ``response_format`` (an error status whose message names
it) moves one rung down at once, in the same call; the rung that answered is kept for
the process and, after a step down, in a small JSON file in the data folder (delete it to probe again).
Backends that are not servers (embedded, fake) always get rung 1, which they translate themselves.
"""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage, SystemMessage
from pydantic import BaseModel

Rung = Literal["json_schema", "json_object+schema", "json_object", "prompt"]
RUNGS: tuple[Rung, ...] = ("json_schema", "json_object+schema", "json_object", "prompt")
SCHEMA_INSTRUCTIONS = "Answer with one JSON object only, no other text. It must match this JSON schema:\n{schema}"
REFUSAL_WORDS = ("response_format", "json_schema", "json_object", "schema", "grammar")

_chosen: dict[tuple[str, str], Rung] = {}
_loaded: set[Path] = set()
_lock = threading.Lock()


def response_format(schema: type[BaseModel], rung: Rung = "json_schema") -> dict[str, Any] | None:
    """The ``response_format`` a rung sends (None for ``prompt``)."""
    if rung == "json_schema":
        return {"type": "json_schema", "json_schema": {"name": schema.__name__, "schema": schema.model_json_schema(), "strict": False}}
    if rung == "json_object+schema":
        return {"type": "json_object", "schema": schema.model_json_schema()}
    if rung == "json_object":
        return {"type": "json_object"}
    return None


def with_instructions(messages: Sequence[BaseMessage], schema: type[BaseModel], rung: Rung) -> list[BaseMessage]:
    """The messages for a rung: the lower two carry the schema in the system message (first, so that chat
    templates which insist on alternating user/assistant turns still accept it)."""
    convo = list(messages)
    if rung not in ("json_object", "prompt"):
        return convo
    note = SCHEMA_INSTRUCTIONS.format(schema=json.dumps(schema.model_json_schema(), separators=(",", ":")))
    if convo and isinstance(convo[0], SystemMessage):
        return [SystemMessage(content=f"{convo[0].content}\n\n{note}"), *convo[1:]]
    return [SystemMessage(content=note), *convo]


def is_refusal(exc: BaseException) -> bool:
    """Did the server refuse the request's form (not the model, key or load)? Any error status whose
    message names the format, except those that mean something else (key, model, busy)."""
    from kickcoach.llm.backend_errors import ServerRefused

    status = exc.status_code if isinstance(exc, ServerRefused) else None
    openai = sys.modules.get("openai")
    if status is None and openai is not None and isinstance(exc, openai.APIStatusError):
        status = exc.status_code
    if status is None or status in (401, 403, 404, 408, 409, 429):
        return False
    return any(word in str(exc).lower() for word in REFUSAL_WORDS)


def server_key(model: BaseChatModel) -> tuple[str, str] | None:
    key = getattr(model, "server_key", None)
    return key if isinstance(key, tuple) else None


def chosen(model: BaseChatModel) -> Rung:
    """The rung this model's server is known to accept (rung 1 until a refusal says otherwise)."""
    key = server_key(model)
    if key is None:
        return RUNGS[0]
    _load(getattr(model, "formats_file", None))
    return _chosen.get(key, RUNGS[0])


def structured_text(model: BaseChatModel, messages: Sequence[BaseMessage], schema: type[BaseModel]) -> str:
    """One model call asking for ``schema``, on the strictest rung the server accepts; the reply's text."""
    key = server_key(model)
    if key is None:
        return str(model.invoke(list(messages), response_format=response_format(schema)).content)
    start = RUNGS.index(chosen(model))
    for index in range(start, len(RUNGS)):
        rung = RUNGS[index]
        fmt = response_format(schema, rung)
        options: dict[str, Any] = {"response_format": fmt} if fmt else {}
        try:
            text = str(model.invoke(with_instructions(messages, schema, rung), **options).content)
        except Exception as exc:
            if fmt is None or not is_refusal(exc) or index == len(RUNGS) - 1:
                raise
            continue
        if index != start:
            _remember(key, rung, getattr(model, "formats_file", None))
        return text
    raise AssertionError("unreachable: the last rung returns or raises")  # pragma: no cover


def forget() -> None:
    """Forget every server's rung in this process (tests)."""
    with _lock:
        _chosen.clear()
        _loaded.clear()


def _load(path: Path | None) -> None:
    if path is None or path in _loaded:
        return
    with _lock:
        _loaded.add(path)
        try:
            saved = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        for entry in saved.get("servers", []) if isinstance(saved, dict) else []:
            if isinstance(entry, dict) and entry.get("rung") in RUNGS:
                _chosen.setdefault((str(entry.get("base_url")), str(entry.get("model"))), entry["rung"])


def _remember(key: tuple[str, str], rung: Rung, path: Path | None) -> None:
    with _lock:
        _chosen[key] = rung
        if path is None:
            return
        servers = [{"base_url": b, "model": m, "rung": r} for (b, m), r in sorted(_chosen.items())]
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps({"servers": servers}, indent=2) + "\n", encoding="utf-8")
        except OSError:  # a read-only data folder: remembered for this process only
            pass
