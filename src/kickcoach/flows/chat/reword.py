"""Reword (optional): a model rewords the engine's reply within its moves, kept only through the quality gate.

The model is called through ``llm.generate.stream_text``; a backend failure is a message and the engine's
reply stands (a partial model reply is never shown).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage

from kickcoach import guard
from kickcoach.core import prompts, tokens
from kickcoach.core.errors import BackendUnavailable, KickcoachError
from kickcoach.flows.coach import gate
from kickcoach.llm import model_label
from kickcoach.llm.generate import stream_text

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from kickcoach.flows.coach.engine import EngineReply
    from kickcoach.knowledge.retrieve import Source

ENGINE_STOOD = "(the reply is the coach's own wording)"  # appended to a backend error: the engine's reply was shown
BANK = Path(__file__).with_name("banks") / "reword.yaml"


@cache
def permission_lines() -> dict[str, str]:
    """The prompt's permission line, by whether the person asked (``asked`` / ``not_asked``)."""
    return dict(yaml.safe_load(BANK.read_text(encoding="utf-8"))["permission"])


@dataclass
class Reworded:
    label: str  # the backend's label (the engine's when the model was not asked)
    text: str  # the model's reply when the gate passed it, else the engine's
    used: bool = False
    candidate: str = ""  # what the model wrote (judged by the guard when the gate found advice)
    prompt_id: str = "coach-engine"
    tokens_in: int = 0
    tokens_out: int = 0
    model_first_s: float | None = None
    gate_failed: list[str] = field(default_factory=list)
    error: str | None = None


def reword(model: Any, backend: str, token_budget: int, history: list[dict[str, Any]], message: str,
           drafted: EngineReply, sources: list[Source], started: float) -> Reworded:
    """Ask the model (``model``: a callable giving the chat model, built on first use) to reword ``drafted``."""
    out = Reworded(label=backend, text=drafted.text)
    u = drafted.understanding
    try:
        chat_model: BaseChatModel = model()
        out.label = model_label(chat_model)
        prompt, messages = reword_messages(history, message, drafted, token_budget)
        out.prompt_id = prompt.id
        out.tokens_in = tokens.count_messages(messages)
        streamed = stream_text(chat_model, messages, started=started)
        out.model_first_s, out.tokens_out = streamed.first_token_s, streamed.tokens_out
        out.candidate = streamed.text.strip()
        verdict = gate.check(
            out.candidate, message=message, draft=drafted.text, given=[s.text for s in sources],
            asked=u.asked, negative=u.valence in ("negative", "mixed"),
            said_before={s.strip() for t in history if t["role"] == "assistant"
                         for s in guard.split_sentences(str(t["content"])) if s.strip()},
            max_questions=max(1, drafted.text.count("?")),
        )
        out.gate_failed = verdict.failed
        if verdict.passed:
            out.text, out.used = out.candidate, True
    except Exception as exc:  # noqa: BLE001 - a backend failure is a message; the engine's reply stands
        out.error = f"{_as_user_error(exc, out.label)} {ENGINE_STOOD}"  # a partial model reply is never shown
        out.gate_failed = ["backend"]
    return out


def _history_messages(turns: list[dict[str, Any]]) -> list[BaseMessage]:
    return [HumanMessage(t["content"]) if t["role"] == "user" else AIMessage(t["content"]) for t in turns]


def reword_messages(history: list[dict[str, Any]], message: str, drafted: EngineReply,
                    token_budget: int) -> tuple[prompts.Prompt, list[BaseMessage]]:
    prompt = prompts.load("coach/reword")
    variables = {
        "moves": ", ".join(drafted.moves),
        "permission": permission_lines()["asked" if drafted.understanding.asked else "not_asked"], "max_sentences": str(gate.MAX_SENTENCES),
        "valence": drafted.understanding.valence, "message": message, "draft": drafted.text,
    }
    fixed = prompt.render(history=[], **variables)
    budget = max(0, token_budget - tokens.count_messages(fixed))
    kept = tokens.fit_history(_history_messages(history), budget)
    return prompt, prompt.render(history=kept, **variables)


def _as_user_error(exc: Exception, label: str) -> KickcoachError:
    if isinstance(exc, KickcoachError):
        return exc
    from kickcoach.llm.openai_compat import as_backend_error

    return as_backend_error(exc, label) or BackendUnavailable(
        f"The model failed: {type(exc).__name__}: {exc}", "try again; if it keeps failing, check the backend setting"
    )
