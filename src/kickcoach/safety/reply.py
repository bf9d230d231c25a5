"""The help reply: heard → beyond a peer-mentoring coach → real help (the programme's contacts) → still here.

Fixed text from ``banks/help.yaml``: no coaching move, no idea, no model wording. A programme configures its own
contacts (employee-assistance programme, HR or ombuds, a local crisis line) in a YAML file named by the
``KICKCOACH_HELP_CONTACTS`` setting; without one, general defaults that name the local emergency number.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

from kickcoach.core.errors import ConfigError
from kickcoach.safety.detect import Category, SafetyVerdict, signals_version

BANK = Path(__file__).with_name("banks") / "help.yaml"


class HelpContacts(BaseModel):
    """Where a person gets real help. Every value is one line shown as it is."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    emergency: str
    crisis_line: str
    eap: str
    hr: str
    ombuds: str
    abuse_line: str
    legal: str


class _HelpBank(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int
    heard: dict[Category, str]
    beyond_us: dict[Category, str]
    contacts_for: dict[Category, list[str]]
    still_here: str
    again: str
    still_here_again: str
    reminders: list[str] = Field(min_length=1)
    # harassment and discrimination: the reminder names who handles it at work, not a crisis line "day and night"
    reminders_at_work: list[str] = Field(min_length=1)
    reminders_urgent: list[str] = Field(min_length=1)  # a medical emergency or a threat: call now, not "day and night"
    unsure_again: str = Field(min_length=1)  # a second unsure reading: one line, then the conversation goes on
    check_in: str
    misread: str
    private: str
    default_contacts: HelpContacts


class SafetyNotice(BaseModel):
    """What a flow shows (first) and stores when the check heard risk."""

    model_config = ConfigDict(frozen=True)

    category: Category
    text: str
    matched: str = Field(description="the words that decided it (stored privately with the turn, never shown)")
    signals_version: int
    help_version: int
    certain: bool = True  # False: the gentle check-in (only the learned head heard it)

    def record(self) -> dict[str, object]:
        return {"category": self.category, "matched": self.matched, "signals": self.signals_version,
                "help": self.help_version, "certain": self.certain}


@cache
def _bank() -> _HelpBank:
    return _HelpBank.model_validate(yaml.safe_load(BANK.read_text(encoding="utf-8")))


def default_contacts() -> HelpContacts:
    return _bank().default_contacts


def load_contacts(path: Path | None) -> HelpContacts:
    """The programme's contacts from ``path`` (YAML: any of the keys of :class:`HelpContacts`), over the defaults."""
    if path is None:
        return default_contacts()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"Cannot read the help contacts file {path}: {exc}",
                          "fix the file, or unset KICKCOACH_HELP_CONTACTS to use the defaults") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"The help contacts file {path} is not a mapping", "write one `key: line` per contact")
    unknown = sorted(set(data) - set(HelpContacts.model_fields))
    if unknown:
        raise ConfigError(f"The help contacts file {path} has unknown keys: {', '.join(map(str, unknown))}",
                          f"use only: {', '.join(HelpContacts.model_fields)}")
    return default_contacts().model_copy(update={k: str(v).strip() for k, v in data.items() if str(v).strip()})


def help_reply(category: Category, contacts: HelpContacts | None = None, *, private: bool = True,
               certain: bool = True, again: bool = False) -> str:
    """The reply; ``private`` adds that the partner does not see it (not so in the shared weekly review);
    ``certain=False`` (only the learned head heard it) checks in gently, with the same real help;
    ``again``: a help reply was given earlier in the conversation, so the same help without the same words."""
    bank, contacts = _bank(), contacts or default_contacts()
    keys = bank.contacts_for[category] if certain else ["crisis_line", "eap", "hr"]
    listed = "\n".join(f"- {line}" for line in [getattr(contacts, key) for key in keys] + [contacts.emergency])
    if again:
        return f"{bank.again}\n{listed}\n\n{bank.still_here_again}"
    closing = f"{bank.still_here} {bank.private}" if private else bank.still_here
    if not certain:
        return f"{bank.check_in}\n{listed}\n\n{bank.misread} {closing}"
    return f"{bank.heard[category]} {bank.beyond_us[category]}\n{listed}\n\n{closing}"


def unsure_again() -> str:
    """The line before a coached reply when only the learned head, unsure again, heard something."""
    return _bank().unsure_again


_URGENT = frozenset({"medical_emergency", "harm_to_others"})
_AT_WORK = frozenset({"harassment_at_work", "discrimination"})


def reminder(said: str = "", category: str | None = None) -> str:
    """One line for the replies after a help reply in the same conversation: the first not in ``said`` (the
    conversation's earlier replies), so none repeats; for harassment or discrimination, who handles it at work."""
    bank = _bank()
    lines = bank.reminders_at_work if category in _AT_WORK else bank.reminders_urgent if category in _URGENT else bank.reminders
    return next((line for line in lines if line not in said), lines[-1])


def notice_for(verdict: SafetyVerdict, contacts: HelpContacts | None = None, *,
               private: bool = True, again: bool = False) -> SafetyNotice | None:
    """The notice for a flagged verdict, else None (``again``: see :func:`help_reply`)."""
    if verdict.category is None:
        return None
    text = help_reply(verdict.category, contacts, private=private, certain=verdict.certain, again=again)
    return SafetyNotice(category=verdict.category, text=text, certain=verdict.certain,
                        matched=verdict.matched, signals_version=verdict.version or signals_version(),
                        help_version=_bank().version)
