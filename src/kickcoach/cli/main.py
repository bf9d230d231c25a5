"""The ``kickcoach`` command line. Every command prints a clear message instead of a traceback."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from kickcoach.cli.commands import contract, db, evals, feedback, notify, programme, rehearse, review, smarten, users
from kickcoach.cli.support import emit_json, err, out, overrides, services
from kickcoach.core.errors import KickcoachError

app = typer.Typer(help="kickcoach: a peer-mentoring coach, offline by default.", no_args_is_help=True, add_completion=False)
guard_app = typer.Typer(help="Check the suggestion guard by hand or in batches.", no_args_is_help=True)
app.add_typer(guard_app, name="guard")


@app.callback()
def _global(
    backend: Annotated[str | None, typer.Option(help='Model backend: "embedded", "openai:<model>" or "fake"')] = None,
) -> None:
    if backend:
        overrides["backend"] = backend


@app.command()
def ui(
    host: Annotated[str | None, typer.Option(help="Interface to bind (default 127.0.0.1)")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default 7860)")] = None,
) -> None:
    """Start the web UI."""
    if host:
        overrides["ui_host"] = host
    if port:
        overrides["ui_port"] = port
    svc = services(prepared=False)
    from kickcoach.ui.identity import Identity

    Identity(svc.settings, svc.storage).check_exposure(svc.settings.ui_host, svc.settings.ui_share)  # before any slow start
    from kickcoach.bootstrap import prepare

    prepare(svc, progress=True)
    from kickcoach.ui.app import launch

    s = svc.settings
    err.print(f"kickcoach: backend [bold]{s.backend}[/], data in {s.home}; open http://{s.ui_host}:{s.ui_port}")
    launch(svc)


@app.command()
def ingest() -> None:
    """Index the guidance in knowledge/ (only changed sections are embedded); contracts are indexed when saved."""
    svc = services(prepared=False)
    from kickcoach.bootstrap import prepare

    counts = prepare(svc, progress=True, strict=True)
    out.print(f"Guidance: {counts['added']} embedded, {counts['unchanged']} unchanged, {counts['deleted']} removed.")


@app.command()
def chat(
    message: Annotated[str | None, typer.Option("-m", "--message", help="Answer one message and exit")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the answer as JSON")] = False,
    pair: Annotated[str | None, typer.Option("--pair", help="Pair id (default: KICKCOACH_PAIR_ID)")] = None,
    conversation: Annotated[str | None, typer.Option(help="Continue this conversation id")] = None,
    as_name: Annotated[str | None, typer.Option("--as", help="Speak as this account (default: the local owner, partner a)")] = None,
) -> None:
    """Chat with the coach: one message with -m, else an interactive session (Ctrl-D to leave)."""
    svc = services()
    from kickcoach.cli.commands.users import speaking_as
    from kickcoach.flows.chat import CoachChat, context_for

    scoped = speaking_as(svc, pair or svc.settings.pair_id, as_name)
    pair_id = scoped.speaker.pair_id if as_name else pair or svc.settings.pair_id
    ctx = context_for(scoped, pair_id)  # who is speaking, once
    coach = CoachChat(svc)
    if message is not None:
        result = coach.answer(ctx, conversation, message)
        if as_json:
            emit_json(
                {
                    "reply": result.reply,
                    "sources": [{"source": s.source, "heading": s.heading} for s in result.sources],
                    "model": result.model,
                    "latency_s": result.latency_s,
                    "asked": result.asked,
                    "guard_note": result.guard_note,
                    "conversation_id": result.conversation_id,
                    "error": result.error,
                    "retrieval_note": result.retrieval_note,
                }
            )
        else:
            _print_result(result)
        raise typer.Exit(1 if result.error else 0)
    err.print("Chat with your coach. Ctrl-D to leave.")
    while True:
        try:
            text = input("you › ").strip()
        except (EOFError, KeyboardInterrupt):
            err.print()
            return
        if not text:
            continue
        out.print("coach › ", end="")
        shown = ""
        for update in coach.run(ctx, conversation, text):
            if update.result is None:
                out.print(update.text[len(shown):], end="", highlight=False)
                shown = update.text
            else:
                out.print(update.result.reply[len(shown):] if update.result.reply.startswith(shown) else "\n" + update.result.reply, highlight=False)
                _print_meta(update.result)
                conversation = update.result.conversation_id


def _print_result(result) -> None:
    out.print(result.reply, highlight=False)
    _print_meta(result)


def _print_meta(result) -> None:
    if result.error:
        err.print(f"[red]{result.error}[/]", soft_wrap=True)  # one line, whatever the terminal's width
    for s in result.sources:
        err.print(f"  [dim]source: {s.citation()}[/]")
    if result.guard_note:
        err.print(f"  [dim]ⓘ {result.guard_note}[/]")


@guard_app.command("classify")
def guard_classify(
    as_json: Annotated[bool, typer.Option("--json", help="JSON lines (the default output)")] = True,
    strict: Annotated[bool, typer.Option("--strict", help="the guard's recall-favouring threshold")] = False,
) -> None:
    """Read sentences, one per line, from stdin; print {"text", "is_suggestion", "detector"} for each."""
    from kickcoach.core.config import get_settings
    from kickcoach.guard import detector_info, is_suggestion, use_encoder

    settings = get_settings()
    if settings.embeddings == "minilm":  # the stacked detector, as in the app (hashed words alone otherwise)
        use_encoder(settings.cache_dir)
    detector = detector_info()["detector"]
    for line in sys.stdin:
        text = line.rstrip("\n")
        if text.strip():
            emit_json({"text": text, "is_suggestion": is_suggestion(text, strict=strict), "detector": detector})


@guard_app.command("asked")
def guard_asked(
    message: Annotated[str | None, typer.Argument(help="A message; without it, each line of stdin")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON lines (the default output)")] = True,
) -> None:
    """Did the user ask for suggestions? Each message is judged as a fresh conversation."""
    from kickcoach.guard import asked

    lines = [message] if message is not None else [line.rstrip("\n") for line in sys.stdin if line.strip()]
    for text in lines:
        emit_json({"message": text, "asked": asked([], text).asked})


COMMAND_MODULES = (contract, db, evals, feedback, notify, programme, rehearse, review, smarten, users)  # each has register(app)


def _register_commands() -> None:
    for module in COMMAND_MODULES:
        module.register(app)


_register_commands()


def main() -> None:
    try:
        app()
    except KickcoachError as exc:
        err.print(f"[red]Error:[/] {exc}")
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
