"""``kickcoach notify``: email each participant a short digest of what is due (each item once); for cron or a
systemd timer. ``--dry-run`` prints what would be sent; ``--unsubscribe NAME`` / ``--subscribe NAME`` set a
person's opt-out."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    app.command("notify")(notify)


def notify(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print what would be sent; send and record nothing")] = False,
    today: Annotated[str | None, typer.Option("--today", help="Count due dates from this day (YYYY-MM-DD)")] = None,
    unsubscribe: Annotated[str | None, typer.Option("--unsubscribe", help="Stop reminder emails for this account")] = None,
    subscribe: Annotated[str | None, typer.Option("--subscribe", help="Restart reminder emails for this account")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the digests as JSON")] = False,
) -> None:
    """Email each participant what is due for them (agreement, action plan, meetings, open commitments)."""
    from kickcoach.cli.support import emit_json, out, settings
    from kickcoach.core.errors import InputInvalid
    from kickcoach.programme.notify import notify as run
    from kickcoach.programme.notify import set_opt_out
    from kickcoach.storage import Storage

    s = settings()
    s.ensure_home()
    storage = Storage(s.db_url)
    if unsubscribe or subscribe:
        set_opt_out(storage, str(unsubscribe or subscribe), opted_out=bool(unsubscribe))
        out.print(f"Reminder emails {'stopped' if unsubscribe else 'restarted'} for {unsubscribe or subscribe}.", highlight=False)
        return
    try:
        day = dt.date.fromisoformat(today) if today else s.today_date
    except ValueError as exc:
        raise InputInvalid(f"--today {today!r} is not a date", "write it as YYYY-MM-DD") from exc
    digests = run(storage, s, day, dry_run=dry_run)
    if as_json:
        emit_json([d.model_dump() for d in digests])
        return
    for d in digests:
        out.print(f"{d.person} <{d.email}>: {d.status}", highlight=False, soft_wrap=True)
        if d.status in ("sent", "would send"):
            for line in d.items:
                out.print(f"  - {line}", highlight=False, soft_wrap=True)
    if not digests:
        out.print("No participant has an email address yet (kickcoach users add … --email).", highlight=False)
