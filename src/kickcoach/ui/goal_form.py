"""The Contract tab's goal form as plain data: load a goal into the form, read the form back, and say what is
wrong in one plain sentence per field (never a validation library's wording).

Saving changes only what the person changed: the form remembers what it loaded (``original``), and a field
left as it was keeps the goal's stored value (indicators, the "Serves" line, status and dates included).
An empty number stays empty (``target_value`` None, so *Measurable* can fail), never 0.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import ValidationError

from kickcoach.contracts.dates import parse_when
from kickcoach.contracts.models import Contract, Goal, validation_problems

FIELDS = ("what", "how", "target", "target_value", "unit", "deadline", "indicators")
NEW = ""  # the goal picker's "new goal" choice

NUMBER_HINT = "Target number: enter a number, for example 10 (or leave it empty)."
DEADLINE_HINT = "Deadline: use a date such as 2027-03-31, or 'end of March'."
WHAT_HINT = "What: write the goal in a few words."
TARGET_HINT = "Target: say what done looks like, for example '4 talks given'."
# Plain words for the field names a stored goal's rules may name.
FIELD_NAMES = {"what": "What", "how": "How", "target": "Target", "target_value": "Target number", "unit": "Unit",
               "deadline": "Deadline", "indicators": "Indicators", "id": "Goal id", "start_date": "Start date"}


class FormProblem(ValueError):
    """One plain sentence about one field of the form."""


def lines(text: str | None) -> list[str]:
    return [line.strip(" -•\t") for line in (text or "").splitlines() if line.strip(" -•\t")]


def choice_id(partner_id: str, goal_id: str) -> str:
    return f"{partner_id}/{goal_id}"


def goal_choices(contract: Contract | None) -> list[tuple[str, str]]:
    """("New goal", "") then one (label, "a/g1") per goal, labelled with its partner's first name."""
    found = [("New goal", NEW)]
    for partner, goal in contract.all_goals() if contract else []:
        words = goal.what.split()
        short = " ".join(words[:7]) + ("…" if len(words) > 7 else "")
        found.append((f"{partner.name.split()[0]} · {goal.id}: {short}", choice_id(partner.id, goal.id)))
    return found


def form_values(goal: Goal | None) -> dict[str, str]:
    """The form's text for ``goal`` (all empty for a new goal)."""
    if goal is None:
        return dict.fromkeys(FIELDS, "")
    number = "" if goal.target_value is None else f"{goal.target_value:g}"
    return {"what": goal.what, "how": "\n".join(goal.how), "target": goal.target, "target_value": number,
            "unit": goal.unit or "", "deadline": goal.deadline.isoformat() if goal.deadline else "",
            "indicators": "\n".join(goal.indicators)}


def parse_number(text: str) -> float | None:
    text = (text or "").strip().replace(",", "")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise FormProblem(NUMBER_HINT) from None
    if value != value or value in (float("inf"), float("-inf")):
        raise FormProblem(NUMBER_HINT)
    return value


def parse_deadline(text: str, today: dt.date) -> dt.date | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    found = parse_when(text, today)
    if found is None:
        raise FormProblem(DEADLINE_HINT)
    return found


def changed(form: dict[str, str], original: dict[str, str] | None) -> dict[str, str]:
    """The fields the person changed since the form was loaded (a form loaded with nothing: the filled ones)."""
    before = original or dict.fromkeys(FIELDS, "")
    return {k: v for k, v in form.items() if (v or "").strip() != (before.get(k) or "").strip()}


def build_goal(old: Goal | None, goal_id: str, form: dict[str, str], original: dict[str, str] | None,
               today: dt.date) -> Goal:
    """The goal to save: ``old`` with the changed fields applied (a new goal from the whole form)."""
    edits = changed(form, original) if old is not None else form
    values: dict[str, Any] = {}
    for key, text in edits.items():
        if key in ("how", "indicators"):
            values[key] = lines(text)
        elif key == "target_value":
            values[key] = parse_number(text)
        elif key == "deadline":
            values[key] = parse_deadline(text, today)
        elif key == "unit":
            values[key] = (text or "").strip() or None
        else:
            values[key] = (text or "").strip()
    merged = {**(old.model_dump() if old else {"id": goal_id, "start_date": today}), **values}
    if not (merged.get("what") or "").strip():
        raise FormProblem(WHAT_HINT)
    if not (merged.get("target") or "").strip():
        raise FormProblem(TARGET_HINT)
    try:
        return Goal.model_validate(merged)
    except ValidationError as exc:
        raise FormProblem(plain(exc)) from None


def plain(exc: ValidationError) -> str:
    """One sentence for the first problem: the field's plain name and our own rule's words (or a hint)."""
    path, message, kind = validation_problems(exc)[0]
    name = next((FIELD_NAMES[str(p)] for p in reversed(path) if str(p) in FIELD_NAMES), "This goal")
    if kind == "value_error":  # our own rules (FieldProblem) speak plainly already
        return f"{name}: {message.removeprefix('Value error, ')}."
    if name == "Goal id":
        return "Goal id: use lower-case letters, digits and dashes, for example g3."
    return f"{name}: please check this value."
