"""The model's wording of the boss's move: the persona card with the move, one re-ask, and the line kept only when
:func:`boss.model_fits` finds nothing wrong (else the caller speaks from the bank)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage

from kickcoach.core import prompts, tokens
from kickcoach.flows.rehearsal.boss import Move, directive, model_fits
from kickcoach.flows.rehearsal.checks import clean_boss_line
from kickcoach.flows.rehearsal.facts import AskFacts
from kickcoach.flows.rehearsal.library import library
from kickcoach.flows.rehearsal.models import Line, Rehearsal
from kickcoach.flows.rehearsal.scene import persona_card, persona_variables
from kickcoach.flows.rehearsal.tips import as_user_error
from kickcoach.llm import model_label
from kickcoach.llm.generate import complete_text

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from kickcoach.core.config import Settings

MAX_TOKENS = 60  # a boss's turn is short; a 135M model also drifts less in 60 tokens than in 200
REASK_TEMPERATURE = 0.8  # the re-ask must not come back with the same rejected reply
HISTORY_LINES = 6  # the last three exchanges: enough for the scene, small enough for a 2k context


def model_line(
    settings: Settings, model: BaseChatModel, rehearsal: Rehearsal, move: Move, user_text: str, said: list[str], line: Line, facts: AskFacts
) -> None:
    """Ask the model to word ``move``; keep its line only if :func:`model_fits` finds nothing (else leave it empty)."""
    lib = library()
    style = lib.styles[rehearsal.style]
    boss_prompt = prompts.load("rehearse/boss")
    variables = persona_variables(rehearsal, " " + directive(move, lib, rehearsal.boss_name))
    earlier = [
        AIMessage(x.text) if x.role == "boss" else HumanMessage(x.text) for x in rehearsal.transcript[:-1][-HISTORY_LINES:]
    ]
    fixed = boss_prompt.render(**variables, history=[], message=user_text)
    budget = max(0, settings.token_budget - tokens.count_messages(fixed))
    messages = boss_prompt.render(**variables, history=tokens.fit_history(earlier, budget), message=user_text)
    attempts: list[list[BaseMessage]] = [
        messages,
        messages + prompts.load("rehearse/reask").render(boss_name=rehearsal.boss_name),
    ][: settings.attempts]
    card = persona_card(rehearsal)
    for source, attempt in zip(("model", "reask"), attempts, strict=False):
        options: dict[str, Any] = {"max_tokens": MAX_TOKENS} | ({"temperature": REASK_TEMPERATURE} if source == "reask" else {})
        try:
            raw = complete_text(model, attempt, **options)
        except Exception as exc:  # noqa: BLE001 - any backend failure: keep the scene going, say why
            line.error = str(as_user_error(exc, model_label(model)))
            return
        text = clean_boss_line(raw, style.max_sentences)
        problems = model_fits(
            text, move, lib, user_text=user_text, code=rehearsal.code, card=card, previous=said, boss_name=rehearsal.boss_name,
            facts=facts,
        )
        line.raw.append(raw)
        line.problems.append(problems)
        if not problems:
            line.text, line.source = text, source  # type: ignore[assignment]
            return

