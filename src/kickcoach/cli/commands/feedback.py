"""``kickcoach feedback "CRITICISM"``: turn a criticism of a person into feedback about a behaviour."""

from __future__ import annotations

from typing import Annotated

import typer

from kickcoach.cli.support import emit_json, err, out, services

KIND_NAMES = {
    "trait_label": "label",
    "you_are_judgement": "judgement",
    "absolute": "absolute",
    "mind_reading": "mind-reading",
}


def register(app: typer.Typer) -> None:
    @app.command()
    def feedback(
        criticism: Annotated[str, typer.Argument(help="What you want to say, in your own words")],
        as_json: Annotated[
            bool, typer.Option("--json", help="Print rewrite, flags, questions, verified, source, attempts as JSON")
        ] = False,
        request: Annotated[
            bool, typer.Option("--request", help="Also suggest a request (only when you want one)")
        ] = False,
        context: Annotated[
            str | None, typer.Option(help='When and where it happened, e.g. "in Tuesday\'s stand-up"')
        ] = None,
        pair: Annotated[str | None, typer.Option("--pair", help="Pair id (default: KICKCOACH_PAIR_ID)")] = None,
    ) -> None:
        """Rephrase a criticism as situation, behaviour and impact; labels, absolutes and mind-reading are removed."""
        from kickcoach.flows.feedback import check_input, rephrase_and_save

        check_input(criticism)  # a clear error before anything is loaded
        svc = services()
        saved = rephrase_and_save(svc, pair or svc.settings.pair_id, criticism, want_request=request, context=context)
        if saved.safety is not None:  # the help reply, before (and instead of) any rewrite
            if as_json:
                emit_json({"safety": saved.safety.category, "help": saved.safety.text, "record_id": saved.id})
            else:
                out.print(saved.safety.text, highlight=False, soft_wrap=True)
            return
        result = saved.result
        assert result is not None
        if as_json:
            emit_json({**result.public(), "record_id": saved.id})
            return
        for flag in result.flags:
            err.print(f"  [yellow]{KIND_NAMES[flag.kind]}[/]: “{flag.text}”", highlight=False)
        out.print(result.rewrite, highlight=False, soft_wrap=True)
        if result.questions:
            out.print("\nTo make it stronger, answer:", highlight=False)
            for question in result.questions:
                out.print(f"  - {question}", highlight=False, soft_wrap=True)
        badge = "[green]verified[/]" if result.verified else "[red]not verified[/]"
        err.print(f"  [dim]{badge} · {result.source} · {result.attempts} model call(s)[/]")
        if result.error:
            err.print(f"  [dim]model unavailable, used the template: {result.error}[/]")
        if result.guard_note:
            err.print(f"  [dim]ⓘ {result.guard_note}[/]")
