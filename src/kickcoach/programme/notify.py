"""``kickcoach notify``: a short email digest per person of what is due, each item sent once, through a real
SMTP server (host, port, STARTTLS or TLS, credentials: ``Settings.smtp_*``). Made for cron or a systemd timer.

A person gets an email when they have an account with an email, have not opted out, and have due items not
emailed to them before. The items sent are recorded (``reminders_sent``) in the same transaction as the send:
a failed send records nothing, and two runs at once cannot both send an item (the unique constraint).
"""

from __future__ import annotations

import datetime as dt
import smtplib
import ssl
from email.message import EmailMessage
from typing import TYPE_CHECKING

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from kickcoach.core.errors import ConfigError, NotFound
from kickcoach.history.due import DueItem
from kickcoach.history.wording import when as due_when
from kickcoach.history.wording import wording
from kickcoach.people.accounts import person_of
from kickcoach.programme.reminders import due_for
from kickcoach.storage.models import Account, ReminderSent, ReminderSetting

if TYPE_CHECKING:
    from kickcoach.core.config import Settings
    from kickcoach.core.person import Person
    from kickcoach.storage import Storage


class Digest(BaseModel):
    person: str  # login name
    email: str
    items: list[str]  # the lines of the email
    keys: list[str]
    status: str  # "sent", "would send", "opted out", "nothing new", "already sent by another run"


def set_opt_out(storage: Storage, name: str, opted_out: bool) -> None:
    """Stop (or restart) reminder emails for the account ``name``."""
    with storage.session() as s:
        account = s.scalar(select(Account).where(Account.name_key == name.strip().casefold()))
        if account is None:
            raise NotFound(f"No account {name!r}", "list accounts with `kickcoach users list`")
        row = s.get(ReminderSetting, account.id)
        if row is None:
            s.add(ReminderSetting(person_id=account.id, email_opt_out=opted_out))
        else:
            row.email_opt_out = opted_out


def _people(storage: Storage) -> list[tuple[Person, bool]]:
    with storage.session() as s:
        rows = s.execute(select(Account, ReminderSetting.email_opt_out)
                         .outerjoin(ReminderSetting, ReminderSetting.person_id == Account.id)
                         .where(Account.role == "participant", Account.pair_id.is_not(None), Account.email.is_not(None))
                         .order_by(Account.name_key))
        return [(person_of(account), bool(opted)) for account, opted in rows]


def _sent(storage: Storage, person_id: str) -> set[str]:
    with storage.session() as s:
        return set(s.scalars(select(ReminderSent.item_key).where(ReminderSent.person_id == person_id)))


def message(settings: Settings, person: Person, items: list[DueItem], today: dt.date) -> EmailMessage:
    w = wording().email
    lines = [f"- {i.text} ({due_when(i.date, today) if i.date else wording().due['overdue'] if i.overdue else '…'})"
             for i in items]
    body = "\n".join([w["greeting"].format(name=person.display_name or person.name), "", w["intro"], "", *lines, "",
                      w["footer"].format(account=person.name)])
    msg = EmailMessage()
    msg["Subject"], msg["From"], msg["To"] = w["subject"], settings.smtp_from, str(person.email)
    msg.set_content(body)
    return msg


def connect(settings: Settings) -> smtplib.SMTP:
    """An SMTP connection as the settings say: TLS from the start, STARTTLS, or plain; logged in if a user is set."""
    if not settings.smtp_host:
        raise ConfigError("No SMTP server is set", "set KICKCOACH_SMTP_HOST (and _PORT, _SECURITY, _USER, _PASSWORD)")
    try:
        context = ssl.create_default_context(cafile=str(settings.smtp_ca_file) if settings.smtp_ca_file else None)
        if settings.smtp_security == "tls":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout_s,
                                                  context=context)
        else:
            smtp = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout_s)
            if settings.smtp_security == "starttls":
                smtp.starttls(context=context)
        if settings.smtp_user:
            password = settings.smtp_password.get_secret_value() if settings.smtp_password else ""
            smtp.login(settings.smtp_user, password)
    except (OSError, smtplib.SMTPException) as exc:
        raise ConfigError(f"Cannot reach the SMTP server {settings.smtp_host}:{settings.smtp_port} ({exc})",
                          "check KICKCOACH_SMTP_HOST, _PORT, _SECURITY, _CA_FILE and the credentials") from exc
    return smtp


def notify(storage: Storage, settings: Settings, today: dt.date, *, dry_run: bool = False) -> list[Digest]:
    """Email each person their new due items (``dry_run``: send nothing, record nothing, say what would go)."""
    digests: list[Digest] = []
    smtp: smtplib.SMTP | None = None
    try:
        for person, opted_out in _people(storage):
            items = [i for i in due_for(storage, person, today) if i.key not in _sent(storage, person.person_id)]
            digest = Digest(person=person.name, email=str(person.email), items=[i.text for i in items],
                            keys=[i.key for i in items], status="opted out" if opted_out else "nothing new")
            if opted_out or not items:
                digests.append(digest)
                continue
            if dry_run:
                digests.append(digest.model_copy(update={"status": "would send"}))
                continue
            smtp = smtp or connect(settings)
            digests.append(_send(storage, smtp, message(settings, person, items, today), person, items, digest))
    finally:
        if smtp is not None:
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                pass
    return digests


def _send(storage: Storage, smtp: smtplib.SMTP, msg: EmailMessage, person: Person, items: list[DueItem],
          digest: Digest) -> Digest:
    try:
        with storage.session() as s:  # recorded and sent together: a failed send rolls the record back
            s.add_all([ReminderSent(person_id=person.person_id, item_key=i.key) for i in items])
            s.flush()
            smtp.send_message(msg)
    except IntegrityError:
        return digest.model_copy(update={"status": "already sent by another run"})
    return digest.model_copy(update={"status": "sent"})
