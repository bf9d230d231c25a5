"""Contracts in and out of files: YAML (lossless, editable), Markdown (printable), iCalendar (meetings).

``load_yaml`` is pure: it either returns a valid ``Contract`` or raises ``InputInvalid`` naming the
field as a dotted path (``partners.0.goals.1.deadline``) and its line in the YAML. ``dump_yaml`` is
deterministic and lossless: ``load_yaml(dump_yaml(c)) == c`` and dumping again gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import difflib
import typing
from importlib import resources
from typing import Any

import yaml
from icalendar import Calendar, Event, vRecur
from pydantic import BaseModel, ValidationError
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.resolver import VersionedResolver

from kickcoach.contracts.cadence import first_meeting, rrule_text
from kickcoach.contracts.models import Contract, Goal, Partner, dotted, validation_problems
from kickcoach.core.errors import InputInvalid
from kickcoach.core.yamlfile import Node, line_of, parse


# --- YAML in -------------------------------------------------------------------------------------
def load_yaml(text: str) -> Contract:
    """Parse and validate a contract file; raise ``InputInvalid`` with field path and line on any problem."""
    root, data = parse(text, "contract file")
    if not isinstance(data, dict) or root is None:
        raise InputInvalid(
            "The contract file must be a mapping of fields (pair_id, title, partners, …)",
            "start from a file written by `dump_yaml` or the demo contract",
            line=root.start_mark.line + 1 if root is not None else None,
        )
    try:
        return Contract.model_validate(data)
    except ValidationError as exc:
        raise _as_input_invalid(exc, root) from exc


def _model_at(path: tuple[str | int, ...]) -> type[BaseModel] | None:
    """The model class whose fields live at ``path`` (``partners.0.goals.1`` → ``Goal``)."""
    model: type[BaseModel] | None = Contract
    for part in path:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part) if model else None
        if field is None:
            return None
        model = _inner_model(field.annotation)
    return model


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _inner_model(arg)
        if found:
            return found
    return None


def _fix_for(path: tuple[str | int, ...], kind: str) -> str:
    if kind == "extra_forbidden":
        model = _model_at(path[:-1])
        allowed = list(model.model_fields) if model else []
        close = difflib.get_close_matches(str(path[-1]), allowed, n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        return f"{hint}fields allowed here: {', '.join(allowed)}" if allowed else "remove it"
    if kind == "missing":
        return "add this field"
    if kind.startswith("date"):
        return "write dates as YYYY-MM-DD, e.g. 2027-03-31"
    if kind.startswith("datetime"):
        return "write date-times as 2026-11-20T10:00:00+00:00"
    if kind == "literal_error":
        return "use one of the values listed"
    if kind == "string_too_short":
        return "write something here, or remove the field if it is optional"
    return "correct this value"


def _as_input_invalid(exc: ValidationError, root: Node) -> InputInvalid:
    problems = validation_problems(exc)
    described = [
        f"{dotted(path) or 'contract'} (line {line_of(root, path)}): {message}" for path, message, _ in problems
    ]
    path, _, kind = problems[0]
    more = f" (and {len(described) - 1} more)" if len(described) > 1 else ""
    return InputInvalid(
        "; ".join(described[:3]) + (f"; …{more}" if len(described) > 3 else ""),
        _fix_for(path, kind),
        field=dotted(path) or None,
        line=line_of(root, path),
    )


# --- YAML out ------------------------------------------------------------------------------------
def dump_yaml(contract: Contract) -> str:
    """The contract as YAML: field order as in the models, ISO dates, meeting time as "HH:MM", no tags.

    Unset optional fields are left out (loading fills them back in as ``None``).
    """
    data = _plain(contract.model_dump(mode="python", exclude_none=True))
    return yaml.dump(
        data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100
    )


class _Dumper(yaml.SafeDumper):
    """PyYAML's safe dumper, quoting every string that the YAML 1.2 reader would take for something else
    ("08" is an integer in YAML 1.2 but a plain string to PyYAML's YAML 1.1 rules), and writing no
    anchors or aliases (one date object used twice would become ``&id001``, which user files may not hold)."""

    def ignore_aliases(self, data: object) -> bool:
        return True


_RESOLVER_1_2 = VersionedResolver(version=(1, 2))


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if _RESOLVER_1_2.resolve(ScalarNode, value, (True, False)) != "tag:yaml.org,2002:str":
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="'")
    return dumper.represent_str(value)


_Dumper.add_representer(str, _represent_str)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return value


# --- Markdown ------------------------------------------------------------------------------------
_STATUS_WORDS = {"not_started": "not started", "on_track": "on track"}


def to_markdown(contract: Contract) -> str:
    """A readable, printable contract: one section per partner and goal, then meetings, terms, signatures."""
    c = contract
    lines = [
        f"# {c.title}",
        "",
        f"**Version** {c.version} · **Status** {c.status} · **Start** {c.start_date.isoformat()}"
        + (f" · **Review** {c.review_date.isoformat()}" if c.review_date else ""),
        "",
    ]
    for partner in c.partners:
        lines += _partner_markdown(partner)
    meetings = c.cadence.summary()
    lines += ["## Meetings", "", meetings[:1].upper() + meetings[1:] + ".", ""]
    lines += ["## Accountability", "", c.terms.accountability, ""]
    lines += ["## Confidentiality", "", c.terms.confidentiality, ""]
    lines += ["## Feedback rules", "", *[f"- {rule}" for rule in c.terms.feedback_rules], ""]
    lines += ["## Signatures", ""]
    for partner in c.partners:
        sig = next((s for s in c.signatures if s.partner == partner.id), None)
        when = f"signed version {sig.version} on {sig.signed_at:%Y-%m-%d %H:%M}" if sig else "not signed yet"
        lines.append(f"- {partner.name}: {when}")
    return "\n".join(lines) + "\n"


def _partner_markdown(partner: Partner) -> list[str]:
    about = ", ".join(x for x in (partner.role, partner.organisation) if x)
    lines = [f"## {partner.name}" + (f" ({about})" if about else ""), ""]
    if partner.aims:
        lines += [f"**Aims:** {partner.aims}", ""]
    for number, goal in enumerate(partner.goals, start=1):
        lines += _goal_markdown(number, goal)
    lines += [f"### {partner.name} offers", "", *_bullets(partner.offers), ""]
    lines += [f"### {partner.name} needs", "", *_bullets(partner.needs), ""]
    return lines


def _goal_markdown(number: int, goal: Goal) -> list[str]:
    when = goal.deadline.isoformat() if goal.deadline else goal.timeframe or "not set yet"
    lines = [f"### Goal {number}: {goal.what}", ""]
    lines += ["**How:**", "", *_bullets(goal.how), ""]
    lines += [f"**Target:** {goal.target}  ", f"**Deadline:** {when}  "]
    if goal.relevant_to:
        lines.append(f"**Serves:** {goal.relevant_to}  ")
    lines += [f"**Status:** {_STATUS_WORDS.get(goal.status, goal.status)}", ""]
    lines += ["**Indicators:**", "", *_bullets(goal.indicators), ""]
    return lines


def _bullets(items: list[str]) -> list[str]:
    return [f"- {item}" for item in items] or ["- (none yet)"]


# --- iCalendar -----------------------------------------------------------------------------------
def to_ics(contract: Contract, *, count: int = 12) -> str:
    """An iCalendar file with one recurring event for the pair's meetings (``count`` occurrences).

    The first meeting is the first ``weekday`` on or after ``start_date``. Times are floating local
    time (no time zone), as the contract records them; without a time the events are all-day. The UID
    depends only on the pair id and SEQUENCE is the contract version, so re-importing updates the event.
    """
    if count < 1:
        raise InputInvalid(f"count must be at least 1, got {count}", "ask for 1 or more meetings", field="count")
    cadence = contract.cadence
    first = first_meeting(contract.start_date, cadence)
    rule = vRecur.from_ical(rrule_text(contract.start_date, cadence, count))

    names = " & ".join(p.name for p in contract.partners)
    event = Event()
    event.add("uid", f"peer-mentoring-{contract.pair_id}@kickcoach")
    event.add("dtstamp", dt.datetime.combine(contract.start_date, dt.time(), tzinfo=dt.UTC))
    event.add("sequence", contract.version)
    event.add("summary", f"Peer mentoring: {names}")
    if cadence.time:
        event.add("dtstart", dt.datetime.combine(first, cadence.time))
        event.add("duration", dt.timedelta(minutes=cadence.duration_minutes))
    else:
        event.add("dtstart", first)
        event.add("duration", dt.timedelta(days=1))
    event.add("rrule", rule)
    if cadence.channel:
        event.add("location", cadence.channel)
    event.add("description", f"{contract.title}: {cadence.summary()}.")

    calendar = Calendar()
    calendar.add("prodid", "-//kickcoach//peer mentoring//EN")
    calendar.add("version", "2.0")
    calendar.add_component(event)
    return calendar.to_ical().decode("utf-8")


# --- the demo ------------------------------------------------------------------------------------
def demo_contract() -> Contract:
    """The bundled demo pair (Priya and Tom), loaded and validated from ``demo_pair.yaml``."""
    text = resources.files("kickcoach.contracts").joinpath("demo_pair.yaml").read_text(encoding="utf-8")
    return load_yaml(text)
