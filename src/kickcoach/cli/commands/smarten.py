"""``kickcoach smarten "VAGUE GOAL"``: a specific, measurable, time-bound goal, or the questions to get there."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    @app.command()
    def smarten(
        goal: Annotated[str, typer.Argument(help='The goal in your own words, e.g. "Grow my network."')],
        as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output")] = False,
        need: Annotated[list[str] | None, typer.Option("--need", help="A need the goal should serve (repeatable)")] = None,
        answer: Annotated[
            list[str] | None, typer.Option("--answer", help='Answer to a question, "criterion: text", e.g. "time_bound: by March"')
        ] = None,
    ) -> None:
        """Turn a vague goal into a SMART one (the model drafts, the SMART checker decides)."""
        from kickcoach.cli.support import emit_json, err, out, services
        from kickcoach.flows.smarten import smarten as run

        answers = dict(a.split(":", 1) for a in answer or [] if ":" in a)
        svc = services(prepared=False)
        result = run(svc.model, goal, today=dt.date.today(), needs=need or (), attempts=svc.settings.attempts,
                     answers={k.strip(): v.strip() for k, v in answers.items()} or None)
        if as_json:
            emit_json(result.model_dump(include={"goal", "what", "how", "target", "deadline", "indicators", "criteria",
                                                 "questions", "source", "attempts", "error"}))
            return
        out.print(f"[bold]{result.goal}[/]", highlight=False)
        out.print(f"  how: {'; '.join(result.how)}\n  target: {result.target}\n  deadline: {result.deadline}\n"
                  f"  indicators: {'; '.join(result.indicators)}", highlight=False)
        for name, c in result.criteria.items():
            out.print(f"  {'[green]✓[/]' if c.ok else '[red]✗[/]'} {name}: {c.reason}", highlight=False)
        for question in result.questions:
            out.print(f"  [yellow]?[/] {question}", highlight=False)
        if result.error:
            err.print(f"  [dim]model unavailable, used the template: {result.error}[/]", highlight=False)
