"""``kickcoach contract import|export|check|list|sign``: contracts as files, SMART verdicts, signatures."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Literal

import typer

contract_app = typer.Typer(help="Peer-mentor contracts: import, export, check, list, sign.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(contract_app, name="contract")


def _require(svc, pair_id: str):
    from kickcoach.contracts.service import load_contract
    from kickcoach.core.errors import NotFound

    contract = load_contract(svc, pair_id)
    if contract is None:
        raise NotFound(f"No contract for pair {pair_id!r}", "see `kickcoach contract list`, or import one")
    return contract


@contract_app.command("import")
def import_(file: Annotated[Path, typer.Argument(help="A contract YAML file (see README: contract format)")]) -> None:
    """Validate and store a contract file; prints the pair id. A bad file changes nothing."""
    from kickcoach.cli.support import err, services
    from kickcoach.contracts.files import load_yaml
    from kickcoach.contracts.service import save_contract
    from kickcoach.core.errors import InputInvalid
    from kickcoach.core.yamlfile import MAX_USER_YAML_BYTES, check_user_yaml

    try:
        with file.open("rb") as handle:
            raw = handle.read(MAX_USER_YAML_BYTES + 1)  # never more than the limit is read
    except OSError as exc:
        raise InputInvalid(f"Cannot read {file} ({exc.strerror})", "check the path") from exc
    contract = load_yaml(check_user_yaml(raw, f"contract file {file.name}"))  # raises before anything is stored
    svc = services()
    from kickcoach.contracts.service import LIFECYCLE_NOTE, ignored_lifecycle, load_contract

    if ignored_lifecycle(contract, load_contract(svc, contract.pair_id)):
        err.print(f"Note: {LIFECYCLE_NOTE}")
    saved = save_contract(svc, contract)
    if saved.version != contract.version:
        err.print(f"Pair {saved.pair_id} already had that version: saved as version {saved.version}.")
    typer.echo(saved.pair_id)


@contract_app.command("export")
def export(
    pair_id: Annotated[str, typer.Argument(help="Pair id")],
    fmt: Annotated[Literal["yaml", "md", "ics"], typer.Option("--format", help="yaml (lossless), md (printable), ics (calendar)")] = "yaml",
    version: Annotated[int | None, typer.Option(help="An earlier version (default: current)")] = None,
) -> None:
    """Print a pair's contract as YAML, Markdown or an .ics calendar of the agreed meetings."""
    from kickcoach.cli.support import services
    from kickcoach.contracts.files import dump_yaml, to_ics, to_markdown
    from kickcoach.contracts.service import load_contract
    from kickcoach.core.errors import NotFound

    svc = services()
    contract = load_contract(svc, pair_id, version) if version else _require(svc, pair_id)
    if contract is None:
        raise NotFound(f"Pair {pair_id!r} has no contract version {version}", "see `kickcoach contract list`")
    render = {"yaml": dump_yaml, "md": to_markdown, "ics": to_ics}[fmt]
    typer.echo(render(contract), nl=False)


@contract_app.command("check")
def check(
    pair_id: Annotated[str, typer.Argument(help="Pair id")],
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output")] = False,
) -> None:
    """The SMART verdict for every goal in the pair's contract."""
    from kickcoach.cli.support import emit_json, out, services
    from kickcoach.contracts.smart import check_goal

    contract = _require(services(), pair_id)
    today = dt.date.today()
    rows = []
    for partner, goal in contract.all_goals():
        verdict = check_goal(goal, today=today, needs=partner.needs, aims=partner.aims)
        rows.append({"partner": partner.name, "goal_id": goal.id, "goal": goal.what, "passed": verdict.passed,
                     "criteria": {k: v.model_dump() for k, v in verdict.criteria.items()}})
    if as_json:
        emit_json(rows)
        return
    for row in rows:
        out.print(f"[bold]{row['partner']} · {row['goal_id']}[/] {row['goal']}")
        for name, c in row["criteria"].items():
            mark = "[green]✓[/]" if c["ok"] else "[red]✗[/]"
            out.print(f"   {mark} {name.replace('_', '-'):10} {c['reason']}", highlight=False)


@contract_app.command("list")
def list_() -> None:
    """Pairs with a contract: id, status, version, title."""
    from kickcoach.cli.support import out, services
    from kickcoach.contracts.service import load_contract

    svc = services()
    for pair_id in svc.storage.pair_ids():
        contract = load_contract(svc, pair_id)
        if contract:
            out.print(f"{pair_id}\t{contract.status}\tv{contract.version}\t{contract.title}", highlight=False)


@contract_app.command("sign")
def sign(
    pair_id: Annotated[str, typer.Argument(help="Pair id")],
    partner: Annotated[Literal["a", "b"] | None, typer.Option(help="Sign as the local owner of this slot (no account holds it)")] = None,
    as_name: Annotated[str | None, typer.Option("--as", help="Sign as this account (needs its password)")] = None,
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the account's password from stdin")] = False,
) -> None:
    """Sign the current version as yourself; when both partners have signed, the contract is signed.

    A slot that has an account is signed only by that account, with its password (``--as NAME``).
    """
    from kickcoach.cli.commands.users import read_password
    from kickcoach.cli.support import out, services
    from kickcoach.contracts.service import sign_contract
    from kickcoach.core.errors import InputInvalid
    from kickcoach.core.person import local_owner
    from kickcoach.people.accounts import Accounts

    svc = services()
    _require(svc, pair_id)
    accounts = Accounts(svc.storage)
    if as_name:
        person = accounts.verify(as_name, read_password(password_stdin))
        if person is None or person.pair_id != pair_id:
            raise InputInvalid(f"Cannot sign pair {pair_id!r} as {as_name!r}: wrong name, password or pair", "check them")
    else:
        if partner is None:
            raise InputInvalid("Say who signs", "use --as NAME --password-stdin, or --partner a|b for a slot without an account")
        holder = next((p for p in accounts.list() if p.pair_id == pair_id and p.partner == partner), None)
        if holder is not None:
            raise InputInvalid(
                f"Partner {partner.upper()} of {pair_id!r} has an account ({holder.name}); only they can sign for that slot",
                f"sign with --as {holder.name} --password-stdin, or in the web UI",
            )
        person = local_owner(pair_id, partner)
    contract = sign_contract(svc.as_speaker(person), pair_id, dt.datetime.now().replace(microsecond=0))
    assert person.partner is not None
    out.print(f"{contract.partner(person.partner).name} signed version {contract.version}; status: {contract.status}")
