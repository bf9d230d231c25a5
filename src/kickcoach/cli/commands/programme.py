"""``kickcoach programme …``: run a peer-mentoring programme from the command line.

The command line acts as the local administrator of the data folder, so it is the facilitator
(``programme.access.is_facilitator``). Typical run::

    kickcoach programme create "Spring 2027"                  # defaults: 12-week trial, agreement due in 4 weeks, monthly
    kickcoach programme import "Spring 2027" cohort.csv       # header: name,email,team,manager,offers,needs
    kickcoach programme match "Spring 2027" --json            # pairs (a, b, score, why) and unpaired (email, reason)
    kickcoach programme swap "Spring 2027" ada@x.org ben@x.org
    kickcoach programme lock "Spring 2027" ada@x.org
    kickcoach programme publish "Spring 2027"                 # pair records + draft agreements
    kickcoach programme dashboard "Spring 2027" --csv out.csv
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Any

import typer

from kickcoach.core.paths import write_private

programme_app = typer.Typer(help="Run a peer-mentoring programme: cohort, inventory, pairing, follow-up, dashboard.",
                            no_args_is_help=True)
Today = Annotated[dt.datetime | None, typer.Option("--today", formats=["%Y-%m-%d"], help="Act as if today were this date")]
Json = Annotated[bool, typer.Option("--json", help="Machine-readable output")]
DateOpt = Annotated[dt.datetime | None, typer.Option(formats=["%Y-%m-%d"])]
Name = Annotated[str, typer.Argument(help="Programme name or id")]
IcsFile = Annotated[Path | None, typer.Option(help="Also write the due dates as an .ics calendar file")]
CsvFile = Annotated[Path | None, typer.Option(help="Write one row per pair to this CSV file")]


def register(app: typer.Typer) -> None:
    app.add_typer(programme_app, name="programme")


def _svc() -> Any:
    from kickcoach.cli.support import services
    from kickcoach.programme.service import ProgrammeService

    return ProgrammeService(services(prepared=False))


def _programme(name: str) -> tuple[Any, Any]:
    """The programme service and the programme called (or with the id) ``name``."""
    svc = _svc()
    return svc, svc.store.get(name)


def _day(value: dt.datetime | None) -> dt.date | None:
    return value.date() if value else None


def _settings(start: dt.datetime | None, end: dt.datetime | None, due: dt.datetime | None, frequency: str | None,
              team_rule: str | None) -> dict[str, Any]:
    return {"trial_start": _day(start), "trial_end": _day(end), "agreement_due": _day(due),
            "meeting_frequency": frequency, "team_rule": team_rule}


def _show(as_json: bool, data: Any, lines: Iterable[str]) -> None:
    """``data`` as JSON with ``--json``, else ``lines`` for a person to read."""
    from kickcoach.cli.support import emit_json

    if as_json:
        emit_json(data)
        return
    for line in lines:
        typer.echo(line)


def _describe(p: Any) -> str:
    return (f"{p.name} (id {p.id}): trial {p.trial_start} to {p.trial_end}, agreement due {p.agreement_due}, "
            f"meet at least {p.meeting_frequency}, team rule: {p.team_rule}")


@programme_app.command("create")
def create(
    name: Annotated[str, typer.Argument(help="The programme's name, e.g. 'Spring 2027'")],
    start: Annotated[dt.datetime | None, typer.Option(formats=["%Y-%m-%d"], help="Kick-off (default today)")] = None,
    end: Annotated[dt.datetime | None, typer.Option(formats=["%Y-%m-%d"], help="End of the trial (default +12 weeks)")] = None,
    due: Annotated[dt.datetime | None, typer.Option(formats=["%Y-%m-%d"], help="Agreement due (default kick-off + 4 weeks)")] = None,
    frequency: Annotated[str | None, typer.Option(help="weekly | fortnightly | monthly (default)")] = None,
    team_rule: Annotated[str | None, typer.Option(help="any (default) | different | same")] = None,
    today: Today = None,
) -> None:
    """Create a programme; every setting but the name has a default and can be changed with `set`."""
    programme = _svc().create(name, today=_day(today), **_settings(start, end, due, frequency, team_rule))
    typer.echo(f"Created {_describe(programme)}")


@programme_app.command("set")
def set_(
    name: Annotated[str, typer.Argument(help="Programme name or id")],
    start: DateOpt = None, end: DateOpt = None, due: DateOpt = None,
    frequency: Annotated[str | None, typer.Option(help="weekly | fortnightly | monthly")] = None,
    team_rule: Annotated[str | None, typer.Option(help="any | different | same")] = None,
    rename: Annotated[str | None, typer.Option(help="A new name (the id stays)")] = None,
) -> None:
    """Change a programme's settings."""
    programme = _svc().update(name, name=rename, **_settings(start, end, due, frequency, team_rule))
    typer.echo(f"Updated {_describe(programme)}")


@programme_app.command("list")
def list_() -> None:
    """Every programme with its settings."""
    for programme in _svc().store.programmes():
        typer.echo(_describe(programme))


@programme_app.command("import")
def import_(
    name: Annotated[str, typer.Argument(help="Programme name or id")],
    file: Annotated[Path, typer.Argument(help="CSV with header name,email,team,manager,offers,needs")],
) -> None:
    """Enrol participants from a CSV file (offers and needs: items separated by ';'). A bad row imports nothing."""
    from kickcoach.core.errors import InputInvalid

    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputInvalid(f"Cannot read {file} ({exc})", "check the path; save the file as UTF-8 CSV") from exc
    added, updated = _svc().import_csv(name, text)
    typer.echo(f"Imported {added + updated} participants ({added} new, {updated} updated).")


@programme_app.command("participants")
def participants(name: Annotated[str, typer.Argument(help="Programme name or id")], as_json: Json = False) -> None:
    """The enrolled participants and their inventories."""
    svc = _svc()
    people = svc.store.participants(svc.store.get(name).id)
    _show(as_json, [p.model_dump() for p in people],
          (f"{p.email}\t{p.name}\t{p.team}\toffers: {'; '.join(p.offers)}\tneeds: {'; '.join(p.needs)}" for p in people))


def _print_pairs(pairs: list[dict[str, Any]]) -> None:
    from kickcoach.programme.scoring import why_text

    for p in pairs:
        lock = " [locked]" if p.get("locked") else ""
        typer.echo(f"{p['a']} + {p['b']}  score {p['score']:.3f}{lock}")
        typer.echo(f"    {why_text(p['why'], p['a'], p['b'])}")


@programme_app.command("match")
def match(
    name: Annotated[str, typer.Argument(help="Programme name or id")],
    as_json: Json = False,
    top_k: Annotated[int, typer.Option(help="Candidates kept per person before matching")] = 15,
) -> None:
    """Propose an optimal pairing of everyone not yet in a locked or published pair (replaces unlocked proposals)."""
    from kickcoach.cli.support import emit_json

    report = _svc().match(name, top_k=top_k)
    if as_json:
        emit_json(report.as_json())
        return
    _print_pairs(report.pairs)
    for u in report.unpaired:
        typer.echo(f"unpaired: {u['email']}: {u['reason']}")
    typer.echo(f"{len(report.pairs)} pairs, total score {report.total:.3f} (greedy baseline {report.greedy_total:.3f}).")


@programme_app.command("pairs")
def pairs(name: Annotated[str, typer.Argument(help="Programme name or id")], as_json: Json = False) -> None:
    """Proposed and published pairs with their state and responses."""
    from kickcoach.programme.service import pair_json

    svc = _svc()
    rows = [pair_json(r) for r in svc.store.pairs(svc.store.get(name).id, ("proposed", "published", "declined"))]
    _show(as_json, rows, (f"{r['id']}\t{r['state']}\t{r['pair_id'] or '-'}\t{r['a']} ({r['responses']['a']})\t"
                          f"{r['b']} ({r['responses']['b']})\t{r['score']:.3f}" for r in rows))


@programme_app.command("swap")
def swap(name: Annotated[str, typer.Argument()], first: Annotated[str, typer.Argument(help="Email")],
         second: Annotated[str, typer.Argument(help="Email")]) -> None:
    """Exchange two people between proposed pairs (or put an unpaired person in someone's place)."""
    made = _svc().swap(name, first, second)
    for row in made:
        typer.echo(f"now {row.a_email} + {row.b_email} (score {row.score:.3f})")


@programme_app.command("lock")
def lock(name: Annotated[str, typer.Argument()], email: Annotated[str, typer.Argument()]) -> None:
    """Keep this person's proposed pair when matching again."""
    row = _svc().lock(name, email, True)
    typer.echo(f"Locked {row.a_email} + {row.b_email}")


@programme_app.command("unlock")
def unlock(name: Annotated[str, typer.Argument()], email: Annotated[str, typer.Argument()]) -> None:
    """Let matching change this person's proposed pair again."""
    row = _svc().lock(name, email, False)
    typer.echo(f"Unlocked {row.a_email} + {row.b_email}")


@programme_app.command("publish")
def publish(name: Annotated[str, typer.Argument()], today: Today = None) -> None:
    """Publish the proposed pairs: each gets a pair record and a draft agreement with both sides' offers and needs."""
    rows = _svc().publish(name, today=_day(today))
    for row in rows:
        typer.echo(f"{row.pair_id}\t{row.a_email}\t{row.b_email}\tagreement due {row.agreement_due}")


@programme_app.command("respond")
def respond(name: Annotated[str, typer.Argument()], email: Annotated[str, typer.Argument()],
            answer: Annotated[str, typer.Argument(help="accept | decline")]) -> None:
    """Record a participant's answer to their published pairing."""
    from kickcoach.core.errors import InputInvalid

    if answer not in ("accept", "decline"):
        raise InputInvalid(f"Unknown answer {answer!r}", "answer accept or decline")
    row = _svc().respond(name, email, accept=answer == "accept")
    typer.echo(f"{email}: {answer}ed; pair {row.pair_id} is {row.state}")


@programme_app.command("sign")
def sign(name: Annotated[str, typer.Argument()], email: Annotated[str, typer.Argument()]) -> None:
    """Sign the pair's agreement as this participant (after accepting)."""
    status = _svc().sign(name, email)
    typer.echo(f"{email} signed; agreement status: {status}")


@programme_app.command("meeting")
def meeting(
    name: Annotated[str, typer.Argument()],
    pair: Annotated[str, typer.Argument(help="Pair id, or either partner's email")],
    date: Annotated[dt.datetime | None, typer.Option(formats=["%Y-%m-%d"], help="When (default today)")] = None,
    action_plan: Annotated[bool, typer.Option("--action-plan", help="The action plan was agreed at this meeting")] = False,
    today: Today = None,
) -> None:
    """Record a meeting the pair held."""
    from kickcoach.programme.followup import record_meeting

    svc = _svc()
    day = _day(today) or dt.date.today()
    row = record_meeting(svc.store, svc.store.get(name), pair, _day(date) or day, action_plan=action_plan, today=day)
    typer.echo(f"Meeting recorded for {row.pair_id}")


@programme_app.command("checkin")
def checkin(
    name: Annotated[str, typer.Argument()], email: Annotated[str, typer.Argument()],
    going: Annotated[int, typer.Option(help="How is it going? 1 (badly) to 5 (very well)")],
    equal: Annotated[int, typer.Option(help="Are our contributions equal? 1 (not at all) to 5 (fully)")],
    text: Annotated[str, typer.Option(help="How is it going, in your words")] = "",
    improve: Annotated[str, typer.Option(help="What could improve?")] = "",
    today: Today = None,
) -> None:
    """Record this month's private check-in for one partner (never shown to the other partner)."""
    from kickcoach.programme.followup import record_checkin

    svc = _svc()
    row = record_checkin(svc.store, svc.store.get(name), email, going=going, equal=equal, going_text=text,
                         improve_text=improve, today=_day(today))
    typer.echo(f"Check-in for {row.month} saved for {email}")


@programme_app.command("nudges")
def nudges(name: Name, as_json: Json = False, ics: IcsFile = None, today: Today = None) -> None:
    """What each pair has due: agreement, action plan, next meeting, this month's check-in."""
    from kickcoach.programme.followup import nudges as all_nudges
    from kickcoach.programme.followup import nudges_ics

    svc, programme = _programme(name)
    items = all_nudges(svc.store, programme, _day(today) or dt.date.today())
    if ics:
        write_private(ics, nudges_ics(programme, items))
    _show(as_json, [{"pair_id": n.pair_id, "who": list(n.who), "kind": n.kind, "due": n.due.isoformat(),
                     "message": n.message, "overdue": n.overdue} for n in items],
          (f"{n.pair_id}\t{n.due}{' OVERDUE' if n.overdue else ''}\t{n.message}\t({', '.join(n.who)})" for n in items))


@programme_app.command("dashboard")
def dashboard(name: Name, as_json: Json = False, csv: CsvFile = None, today: Today = None) -> None:
    """Matched share, agreements signed on time, meetings against cadence, check-ins, fairness gap, pairs at risk."""
    from kickcoach.programme.dashboard import build_dashboard
    from kickcoach.programme.followup import sync_agreements

    svc, programme = _programme(name)
    sync_agreements(svc.services, svc.store, programme)
    board = build_dashboard(svc.store, programme, _day(today))
    if csv:
        write_private(csv, board.to_csv())
    _show(as_json, {"metrics": board.metrics, "at_risk": board.at_risk.to_dict(orient="records")},
          [board.summary_markdown(), *(f"  at risk: {r.pair_id} ({r.a}, {r.b}): {r.risks}" for r in board.at_risk.itertuples())])


@programme_app.command("example-csv")
def example_csv(
    size: Annotated[int, typer.Option(help="Participants (even)")] = 20,
    seed: Annotated[int, typer.Option(help="Random seed")] = 0,
) -> None:
    """Print a synthetic cohort CSV with a known complementary pairing (for a demo or a trial run)."""
    from kickcoach.programme.synthetic import generate

    typer.echo(generate(size, seed=seed).to_csv(), nl=False)
