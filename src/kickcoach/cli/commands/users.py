"""``kickcoach users add|list|email|passwd|remove|import``: accounts for the web UI (argon2id hashes, no secrets shown).

An account's ``--email`` links it to the programme enrolments with that address (case-insensitive), now and
whenever the facilitator imports or the person opts in later (``programme.links``).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Literal

import typer

users_app = typer.Typer(help="Accounts: who may log in to the web UI, as which partner of which pair.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="users")


def _accounts():
    from kickcoach.cli.support import services
    from kickcoach.people.accounts import Accounts

    return Accounts(services(prepared=False).storage)


def _linked(accounts, person) -> str:
    """Link ``person`` to their enrolments by email; a note on how many, for the confirmation line."""
    from kickcoach.programme.links import link_account

    if not person.email:
        return ""
    count = link_account(accounts.storage, person)
    return f"; email {person.email}, linked to {count} programme enrolment(s)"


def read_password(from_stdin: bool, prompt: str = "Password") -> str:
    """One line from stdin with ``--password-stdin`` (never an argument: it would show in `ps`), else a prompt."""
    from kickcoach.core.errors import InputInvalid

    if from_stdin:
        line = sys.stdin.readline()
        password = line.removesuffix("\n")
    else:
        password = typer.prompt(prompt, hide_input=True, confirmation_prompt=True)
    if not password:
        raise InputInvalid("No password given", "pipe it in: `printf %s \"$PW\" | kickcoach users add … --password-stdin`")
    return password


@users_app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="Login name")],
    pair: Annotated[str | None, typer.Option("--pair", help="The pair a participant belongs to")] = None,
    partner: Annotated[Literal["a", "b"] | None, typer.Option("--partner", help="Partner slot in the pair: a or b")] = None,
    role: Annotated[Literal["participant", "facilitator"], typer.Option(help="participant or facilitator")] = "participant",
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the password from stdin")] = False,
    email: Annotated[str | None, typer.Option("--email", help="The person's email: links their programme enrolments")] = None,
    display_name: Annotated[str | None, typer.Option("--name", help="The person's name as shown (default: the login)")] = None,
) -> None:
    """Add an account (the password is stored only as an argon2id hash)."""
    from kickcoach.cli.support import out

    accounts = _accounts()
    person = accounts.add(name, read_password(password_stdin), role=role, pair_id=pair, partner=partner, email=email,
                          display_name=display_name)
    out.print(f"Added {person.label()}{_linked(accounts, person)}", highlight=False, soft_wrap=True)


@users_app.command("list")
def list_(as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output")] = False) -> None:
    """Accounts: name, role, pair, partner (never a password or hash)."""
    from kickcoach.cli.support import emit_json, out

    people = _accounts().list()
    rows = [{"name": p.name, "role": p.role, "pair_id": p.pair_id, "partner": p.partner, "email": p.email,
             "display_name": p.display_name} for p in people]
    if as_json:
        emit_json(rows)
        return
    for row in rows:
        out.print(f"{row['name']}\t{row['role']}\t{row['pair_id'] or '-'}\t{row['partner'] or '-'}\t{row['email'] or '-'}",
                  highlight=False)


@users_app.command("email")
def email_(
    name: Annotated[str, typer.Argument(help="Login name")],
    address: Annotated[str, typer.Argument(help="The person's email; \"\" clears it")],
    display_name: Annotated[str | None, typer.Option("--name", help="Also set the name shown")] = None,
) -> None:
    """Set an account's email (and name): it links the account to the programme enrolments with that email."""
    from kickcoach.cli.support import out
    from kickcoach.programme.links import link_account

    accounts = _accounts()
    person = accounts.set_email(name, address, display_name)
    count = link_account(accounts.storage, person)
    shown = f"email {person.email}" if person.email else "no email"
    out.print(f"{person.name} now has {shown}; linked to {count} programme enrolment(s)", highlight=False, soft_wrap=True)


@users_app.command("passwd")
def passwd(
    name: Annotated[str, typer.Argument(help="Login name")],
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the new password from stdin")] = False,
) -> None:
    """Set a new password; the account's open browser sessions end."""
    from kickcoach.cli.support import out

    _accounts().set_password(name, read_password(password_stdin, "New password"))
    out.print(f"Password changed for {name}; their sessions have ended.", highlight=False)


@users_app.command("remove")
def remove(name: Annotated[str, typer.Argument(help="Login name")]) -> None:
    """Remove an account (their private chats and rehearsals stay in the database, unreadable by others)."""
    from kickcoach.cli.support import out

    person = _accounts().remove(name)
    out.print(f"Removed {person.label()}", highlight=False)


@users_app.command("import")
def import_(file: Annotated[Path, typer.Argument(
        help="An old users YAML: name: {password, pair_id[, partner, role, email, display_name]}")]) -> None:
    """Import an old plaintext users file once, hashed; existing names are left alone. Delete the file afterwards."""
    from kickcoach.cli.support import err, out

    accounts = _accounts()
    names = accounts.import_users_file(file)
    for imported in names:
        _linked(accounts, accounts.require(imported))
    out.print(f"Imported {len(names)} account(s): {', '.join(names) or 'none new'}", highlight=False)
    err.print(f"The passwords in {file} are plaintext: delete the file now that they are hashed.")


def speaking_as(svc, pair_id: str, name: str | None, partner: Literal["a", "b"] = "a"):
    """``svc`` as account ``name`` (its own pair), or as the local owner, partner ``partner`` of ``pair_id``."""
    from kickcoach.core.errors import InputInvalid
    from kickcoach.core.person import local_owner
    from kickcoach.people.accounts import Accounts

    if name is None:
        return svc.as_speaker(local_owner(pair_id, partner))
    person = Accounts(svc.storage).require(name)
    if person.pair_id is None:
        what = "is a facilitator" if person.is_facilitator else "has no pair yet"
        raise InputInvalid(f"{person.name} {what}", "only a partner of a pair has pair chats; use a participant account")
    return svc.as_speaker(person)
