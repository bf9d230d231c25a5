"""``kickcoach review``: the weekly review in the terminal, from an answers file, history and export.

Usage::

    kickcoach review --pair demo [--date 2026-11-26]           # step by step; Ctrl-C / Ctrl-D and re-run resumes
    kickcoach review --pair demo --answers answers.yaml [--json] # answer from a file, print the summary
    kickcoach review --pair demo --history [--json]              # past reviews, progress, cadence, fairness
    kickcoach review --pair demo --export REVIEW_ID              # one review as Markdown
    kickcoach review --pair demo --seed-demo-history             # add labelled demo reviews (for a demo)

In the step-by-step mode each answer is saved as it is typed (a step's fields as a draft, the step when
complete). Type ``:back`` at any prompt to go back a step, ``:skip`` to skip the step; Enter keeps a value
shown in [brackets], ``-`` clears it. ``--no-model`` leaves out the coach's model-written lines (templates
are used instead).

Answers file (YAML). Every key is optional; a step the file leaves out stays as it was (an unfinished
review resumes there), and the review is finished only when the file has ``summary``::

    checkin:
      note: Both a bit tired after the release, but keen.   # how you arrive
      commitments:              # last review's commitments by id: done / not done
        a-g1-1: done            # id = partner-goal-number, as listed at the check-in and in --history
        b-g1-1: not done        # or write `commitments: all done` / `commitments: none done`
    a:                          # partner a's turn: one entry per goal id (a partner without goals: the fields directly)
      g1:
        progress: 3             # a number in the goal's unit; left out = not reported
        wins: Finished the talk outline.
        waste: Two hours in status meetings.
        blockers: Fear of sounding unprepared.       # fear, procrastination, distractions
        commitments:            # for next week: a list, or one text with items separated by ';'
          - Rehearse the opening with Tom.
      g2: skip                  # `skip` skips a step (or a whole partner: `b: skip`)
    b:
      g1: {progress: 4, wins: Wrote two queries myself., commitments: [Write the churn query.]}
    fairness:                   # what each gave and got this period, hours given, fair: yes / mostly / no
      a: {gave: SQL review, got: Talk rehearsal, hours: 1.5, fair: yes}
      b: {gave: Talk rehearsal, got: SQL review, hours: 1, fair: mostly}
    summary:
      note: Next meeting as usual.                  # finishes the review

``--json`` prints the summary as JSON: ``goals`` (per goal ``progress``, ``planned``, ``behind``,
``status``, ``text``), ``commitments`` (``checked``, ``kept``, ``marked``, ``next``), ``fairness``,
``lines`` and ``coach``.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from kickcoach.cli.commands.review_output import print_summary
from kickcoach.cli.support import emit_json, err, out, services
from kickcoach.core.errors import InputInvalid, KickcoachError

BACK, SKIP_WORD, CLEAR = ":back", ":skip", "-"


class _Stop(Exception):
    """Input ended (Ctrl-D / end of the piped input)."""


class _Move(Exception):
    """The person typed :back or :skip; ``draft`` is what they had typed on the step so far."""

    def __init__(self, where: str, draft: dict[str, Any]) -> None:
        super().__init__(where)
        self.where = where
        self.draft = draft


def register(app: typer.Typer) -> None:
    @app.command()
    def review(
        pair: Annotated[str | None, typer.Option("--pair", help="Pair id (default: KICKCOACH_PAIR_ID)")] = None,
        date: Annotated[str | None, typer.Option("--date", help="Review date, YYYY-MM-DD (default: today)")] = None,
        answers: Annotated[Path | None, typer.Option("--answers", help="Answer the steps from this YAML file")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print the summary (or history) as JSON")] = False,
        history: Annotated[bool, typer.Option("--history", help="Show past reviews and progress")] = False,
        export: Annotated[str | None, typer.Option("--export", help="Print this review id as Markdown")] = None,
        seed_demo_history: Annotated[
            bool,
            typer.Option("--seed-demo-history", help="Add finished demo reviews on past meeting dates (labelled demo)"),
        ] = False,
        no_model: Annotated[
            bool, typer.Option("--no-model", help="Use templates instead of the model's lines")
        ] = False,
    ) -> None:
        """Run the weekly review step by step (Ctrl-C and re-run resumes), or from an answers file."""
        modes = [
            m
            for m, on in (
                ("--answers", answers),
                ("--history", history),
                ("--export", export),
                ("--seed-demo-history", seed_demo_history),
            )
            if on
        ]
        try:
            if len(modes) > 1:
                raise InputInvalid(f"{' and '.join(modes)} cannot be combined", "use one of them per run")
            day = _parse_date(date)
            svc = services(prepared=False)
            from kickcoach.contracts.service import ensure_demo
            from kickcoach.flows.review.flow import ReviewFlow

            ensure_demo(svc)
            pair_id = pair or svc.settings.pair_id
            flow = ReviewFlow(svc, use_model=not no_model)
            if history:
                _history(svc, flow, pair_id, as_json)
            elif export:
                from kickcoach.flows.review.history import export_markdown

                sys.stdout.write(export_markdown(export, flow.load(pair_id, export)))
            elif seed_demo_history:
                _seed(svc, pair_id)
            elif answers:
                _from_file(flow, pair_id, day, answers, as_json)
            else:
                _interactive(flow, pair_id, day, as_json)
        except KickcoachError as exc:
            _say(f"Error: {exc}", "red")
            raise typer.Exit(2) from None


def _parse_date(text: str | None) -> dt.date:
    if not text:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise InputInvalid(
            f"--date {text!r} is not a date", "write it as YYYY-MM-DD, e.g. 2026-11-26", field="date"
        ) from None


# --- from a file ---------------------------------------------------------------------------------------
def _from_file(flow: Any, pair_id: str, day: dt.date, path: Path, as_json: bool) -> None:
    from kickcoach.flows.review.answers_file import parse_answers

    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputInvalid(
            f"Cannot read the answers file {path} ({exc.strerror})", "check the path", field="answers"
        ) from exc
    view = flow.start(pair_id, day)
    try:
        parsed = parse_answers(text, flow.load(pair_id, view.review_id))
    except InputInvalid as exc:
        if exc.line:
            exc.message = f"{path}, line {exc.line}: {exc.message}"
        raise
    summary = flow.apply_answers(pair_id, day, parsed)
    print_summary(summary, as_json)


# --- step by step ------------------------------------------------------------------------------------
def _interactive(flow: Any, pair_id: str, day: dt.date, as_json: bool) -> None:
    view = flow.start(pair_id, day)
    names = " & ".join(view.partners.values())
    _say(f"Weekly review: {names} · {day.isoformat()} · review id {view.review_id}", "bold")
    if view.status == "done":
        _say("This review is finished. Enter to leave, or a step number to edit it.")
        choice = _read("step › ").strip()
        if not choice.isdigit() or not 1 <= int(choice) <= view.total:
            print_summary(flow.summary(pair_id, view.review_id), as_json)
            return
        review = flow.load(pair_id, view.review_id)
        view = flow.goto(pair_id, view.review_id, review.steps[int(choice) - 1])
    elif view.resumed:
        _say(f"Resuming at {view.progress_label.lower()}: everything you answered before is kept.")
    _say(
        f"{BACK} goes back, {SKIP_WORD} skips a step, Enter keeps a [bracketed] value, {CLEAR} clears it; "
        "Ctrl-D or Ctrl-C stops (answers are saved).",
        "dim",
    )
    try:
        while True:
            _show_step(view)
            try:
                values = _ask_step(flow, pair_id, view)
            except _Move as move:
                was_summary = view.kind == "summary"
                view = (flow.back if move.where == BACK else flow.skip)(
                    pair_id, view.review_id, move.draft, step=view.step
                )
                if move.where == SKIP_WORD and was_summary:
                    break
                continue
            try:
                finished = view.kind == "summary"
                view = flow.answer(pair_id, view.review_id, values, step=view.step)
            except InputInvalid as exc:
                _say(str(exc), "red")
                continue
            if finished:
                break
    except _Stop:
        _stopped(0)
    except KeyboardInterrupt:
        _stopped(130)
    print_summary(flow.summary(pair_id, view.review_id), as_json)


def _stopped(code: int) -> None:
    _say("\nStopped. Everything answered is saved; run the same command to resume.")
    raise typer.Exit(code)


def _show_step(view: Any) -> None:
    if view.safety:  # the help reply, before anything else
        _say(f"\n{view.safety}", "bold")
    _say(f"\n{view.progress_label} · {view.title}", "bold")
    for note in view.coach:
        _say(f"{note.label}: {note.text}", "italic")
        if note.note:
            _say(f"  ⓘ {note.note}", "dim")
    _say(view.intro)
    if view.goal is not None and view.goal.planned is not None:
        from kickcoach.history.progress import number

        _say(f"On the agreed path you'd be at {number(view.goal.planned)} on this date.", "dim")
    if view.kind == "summary" and view.summary is not None:
        for line in view.summary.lines:
            _say(f"  • {line}")


def _ask_step(flow: Any, pair_id: str, view: Any) -> dict[str, Any]:
    """Ask each question of the step; every field is saved as a draft as soon as it is given."""
    values: dict[str, Any] = _copy(view.values)
    for question in view.questions:
        if question.kind == "marks":
            marks = dict(values.get("commitments") or {})
            for c in view.carried:
                kept = marks.get(c.id)
                shown = "" if kept is None else f" [{'done' if kept else 'not done'}]"
                answer = _field(values, f"{c.partner_name}: {c.text} — done? (y/n){shown}")
                if answer == CLEAR:
                    marks.pop(c.id, None)
                elif answer:
                    marks[c.id] = answer.lower() in ("y", "yes", "done", "true")
                values["commitments"] = marks
                flow.save_draft(pair_id, view.review_id, view.step, values)
            continue
        current = _get(values, question.name)
        shown = _display(current)
        hint = f" ({'/'.join(question.choices)})" if question.choices else ""
        hint += " (separate items with ';')" if question.kind == "lines" else ""
        while True:
            answer = _field(values, f"{question.label}{hint}{f' [{shown}]' if shown else ''}")
            if answer == "":
                break
            if answer == CLEAR:
                _set(values, question.name, None)
                break
            if question.kind == "number":
                from kickcoach.flows.review.steps import parse_number

                try:
                    parse_number(answer)
                except ValueError as exc:
                    _say(str(exc), "red")
                    continue
            if question.choices and answer.lower() not in question.choices:
                _say(f"Answer one of: {', '.join(question.choices)}", "red")
                continue
            _set(values, question.name, answer)
            break
        flow.save_draft(pair_id, view.review_id, view.step, values)
    return values


def _field(values: dict[str, Any], label: str) -> str:
    _say(label)
    answer = _read("› ").strip()
    if answer in (BACK, SKIP_WORD):
        raise _Move(answer, values)
    return answer


def _say(text: str, style: str | None = None, end: str = "\n") -> None:
    """A line for the person at the terminal (stderr): their own words are never read as markup."""
    err.print(text, style=style, end=end, markup=False, highlight=False, soft_wrap=True)


def _show(text: str) -> None:
    """A line of the command's result (stdout), unwrapped so it can be piped."""
    out.print(text, markup=False, highlight=False, soft_wrap=True)


def _read(prompt: str) -> str:
    _say(prompt, end="")
    line = sys.stdin.readline()
    if not line:
        raise _Stop
    return line.rstrip("\n")


def _get(values: dict[str, Any], name: str) -> Any:
    node: Any = values
    for part in name.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return node


def _set(values: dict[str, Any], name: str, value: Any) -> None:
    *parents, last = name.split(".")
    node = values
    for part in parents:
        node = node.setdefault(part, {})
    node[last] = value


def _copy(values: dict[str, Any]) -> dict[str, Any]:
    return {k: _copy(v) if isinstance(v, dict) else v for k, v in values.items()}


def _display(value: Any) -> str:
    if value is None or value == "" or value == []:
        return ""
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


def _history(svc: Any, flow: Any, pair_id: str, as_json: bool) -> None:
    from kickcoach.flows.review.history import build_history

    history = build_history(svc, pair_id, dt.date.today(), flow)
    if as_json:
        emit_json(history.model_dump(mode="json"))
        return
    if not history.reviews:
        _show(f"No reviews yet for pair {pair_id}. Start one with: kickcoach review --pair {pair_id}")
        return
    for row in history.reviews:
        demo = " (demo)" if row.demo else ""
        _show(
            f"{row.date.isoformat()}  {row.status:<11} {row.answered}/{row.total} steps  {row.behind} behind  "
            f"kept {row.commitments_kept}/{row.commitments_marked}  id {row.review_id}{demo}"
        )
    for line in history.lines():
        _show(line)
    if history.demo:
        _show("Includes demo data seeded by `kickcoach review --seed-demo-history` (marked (demo) above).")


def _seed(svc: Any, pair_id: str) -> None:
    from kickcoach.flows.review.demo import seed_demo_history

    made = seed_demo_history(svc, pair_id, dt.date.today())
    if made:
        _say(f"Seeded {len(made)} demo reviews for pair {pair_id}; the UI and --history label them as demo data.")
    else:
        _say(f"No demo reviews added: pair {pair_id} already has reviews on those dates.")
