"""``kickcoach rehearse``: rehearse a conversation with your boss (the coach plays the boss), then a debrief.

Interactive by default (``/pause``, ``/resume``, ``/end``; Ctrl-D ends too). With ``--turns FILE`` the
user's lines are read from the file, one per line (``/end`` is implied at the end; lines after an ``/end``
are questions for after the debrief, e.g. "any tips?"; scene lines left when the boss ends the talk are
skipped), and the transcript and debrief are printed. ``--level hard`` asks for more before the boss concedes
and gives it less patience; ``--replay ID`` plays a saved rehearsal's set-up again (hard unless ``--level``
says otherwise) and the debrief compares with that attempt.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    app.command("rehearse")(rehearse)


def rehearse(
    scenario: Annotated[str | None, typer.Option("--scenario", help="A ready scenario (see --list), or 'custom' with --describe")] = None,
    style: Annotated[str, typer.Option("--style", help="Boss style: supportive, busy, sceptical or defensive")] = "supportive",
    describe: Annotated[str | None, typer.Option("--describe", help="What you want from the conversation (your own scenario, or details)")] = None,
    goal: Annotated[str | None, typer.Option("--goal", help="A contract goal to seed it, as PARTNER/GOAL_ID, e.g. a/g1")] = None,
    turns: Annotated[Path | None, typer.Option("--turns", help="Play your lines from this file, one per line")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the transcript and debrief as JSON")] = False,
    pair: Annotated[str | None, typer.Option("--pair", help="Pair id (default: KICKCOACH_PAIR_ID)")] = None,
    list_: Annotated[bool, typer.Option("--list", help="List the ready scenarios and boss styles")] = False,
    export: Annotated[str | None, typer.Option("--export", help="Print a saved rehearsal (by id) as Markdown")] = None,
    level: Annotated[str | None, typer.Option("--level", help="normal, or hard: more objections, less patience")] = None,
    replay: Annotated[str | None, typer.Option("--replay", help="Replay a saved rehearsal (by id), hard unless --level says otherwise")] = None,
    boss: Annotated[str | None, typer.Option("--boss", help="Your boss in your own words; picks the style")] = None,
) -> None:
    """Rehearse a conversation with your boss; the coach plays the boss, then debriefs your turns."""
    from kickcoach.cli.support import emit_json
    from kickcoach.flows.rehearsal import CUSTOM, library

    if list_:
        lib = library()
        if as_json:
            emit_json(
                {
                    "scenarios": [{"id": s.id, "title": s.title} for s in lib.scenarios.values()],
                    "styles": [{"id": s.id, "title": s.title} for s in lib.styles.values()],
                }
            )
            return
        typer.echo("Scenarios:")
        for s in lib.scenarios.values():
            typer.echo(f"  {s.id:<12} {s.title}")
        typer.echo(f"  {CUSTOM:<12} your own: --scenario custom --describe \"what you want\"")
        typer.echo("Boss styles:")
        for st in lib.styles.values():
            typer.echo(f"  {st.id:<12} {st.title}")
        return

    from kickcoach.cli.support import services
    from kickcoach.flows.rehearsal import RehearsalFlow

    svc = services()
    pair_id = pair or svc.settings.pair_id
    flow = RehearsalFlow(svc)
    if export:
        typer.echo(flow.get(pair_id, export).markdown(), nl=False)
        return
    lines = _read_turns(turns) if turns is not None else None
    if replay:
        step = flow.replay(pair_id, replay, level or "hard")
    else:
        step = _start(flow, pair_id, scenario, style, describe, goal, level or "normal", boss)
    if lines is None:
        _interactive(flow, pair_id, step)
        return
    first_end = next((i for i, line in enumerate(lines) if line.lower() == "/end"), len(lines))
    for index, text in enumerate(lines):
        if step.rehearsal.status == "ended" and index < first_end:
            continue  # the boss ended the talk: the rest of the scene is not played
        step = flow.say(pair_id, step.rehearsal.id, text)
    if step.rehearsal.status != "ended":
        step = flow.end(pair_id, step.rehearsal.id)
    _print_result(step.rehearsal, as_json)


def _start(
    flow, pair_id: str, scenario: str | None, style: str, describe: str | None, goal: str | None, level: str,
    boss: str | None = None,
):
    from kickcoach.core.errors import InputInvalid
    from kickcoach.flows.rehearsal import CUSTOM

    if scenario is None:
        if not describe and not goal:
            raise InputInvalid("Name a scenario to rehearse", "use --scenario NAME (see `kickcoach rehearse --list`) or --describe", field="scenario")
        scenario = CUSTOM
    return flow.start(pair_id, scenario, style, description=describe, goal=goal, level=level, boss=boss)


def _read_turns(path: Path) -> list[str]:
    from kickcoach.core.errors import InputInvalid

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputInvalid(f"Cannot read the turns file {path} ({exc})", "give a UTF-8 text file, one line per turn") from exc
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        raise InputInvalid(f"The turns file {path} has no lines", "write what you would say to your boss, one line per turn")
    return lines


def _print_result(rehearsal, as_json: bool) -> None:
    from kickcoach.cli.support import emit_json

    if as_json:
        emit_json(
            {
                "rehearsal_id": rehearsal.id,
                "scenario": rehearsal.scenario,
                "style": rehearsal.style,
                "level": rehearsal.level,
                "attempt": rehearsal.attempt,
                "transcript": rehearsal.public_transcript(),
                "debrief": rehearsal.debrief.public() if rehearsal.debrief else [],
                "outcome": rehearsal.debrief.model_dump(mode="json", include={"next_step", "conceded", "ended_by_boss", "ask_turn", "concerns"})
                if rehearsal.debrief
                else {},
                "followups": [{"role": n.role, "text": n.text} for n in rehearsal.followups],
            }
        )
        return
    for line in rehearsal.transcript:
        who = f"{rehearsal.boss_name} (boss)" if line.role == "boss" else "you"
        typer.echo(f"{who} › {line.text}")
    typer.echo()
    typer.echo(rehearsal.debrief.markdown() if rehearsal.debrief else "")
    for note in rehearsal.followups[1:]:  # the first is the offer already printed with the debrief
        typer.echo(f"{'you' if note.role == 'user' else 'coach'} › {note.text}")
    typer.echo(f"\nSaved as rehearsal {rehearsal.id}.")


def _interactive(flow, pair_id: str, step) -> None:
    from kickcoach.cli.support import err
    from kickcoach.core.errors import InputInvalid

    rehearsal = step.rehearsal
    err.print(
        f"Rehearsal: {rehearsal.title}, {rehearsal.style_title.lower()} boss. {rehearsal.boss_name} is your boss. "
        "/pause to step out, /resume to go back, /end (or Ctrl-D) to finish and get the debrief."
    )
    _show(step, rehearsal.boss_name)
    while True:
        try:
            text = input("you › ").strip()
        except (EOFError, KeyboardInterrupt):
            err.print()
            if step.rehearsal.status != "ended":
                _show(flow.end(pair_id, step.rehearsal.id), rehearsal.boss_name)
            err.print(f"Saved as rehearsal {step.rehearsal.id}.")
            return
        if not text:
            continue
        was_playing = step.rehearsal.status != "ended"
        try:
            step = flow.say(pair_id, step.rehearsal.id, text)
        except InputInvalid as exc:
            err.print(str(exc), style="red", markup=False)
            continue
        _show(step, rehearsal.boss_name)
        if was_playing and step.rehearsal.status == "ended":  # /end, or the boss ran out of patience
            err.print("Ask for tips if you'd like them, or press Ctrl-D to leave.")


def _show(step, boss_name: str) -> None:
    from kickcoach.cli.support import err

    for item in step.shown:
        if item.role == "note":
            err.print(item.text, style="dim", markup=False, highlight=False)
        else:
            who = boss_name if item.role == "boss" else "coach"
            typer.echo(f"{who} › {item.text}")
