"""Enrolment and the skills inventory: a participant's offers and needs, from the opt-in form or a CSV file.

The CSV has the header ``name,email,team,manager,offers,needs`` (any column order). ``offers`` and
``needs`` are free text, several items separated by ``;``; ``manager`` is another participant's email
(in the file or already enrolled) or empty. Every row is checked before anything is stored, and every
problem names its line (the header is line 1) and column, so a bad file changes nothing.
"""

from __future__ import annotations

import csv
import io
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

from kickcoach.core.errors import InputInvalid

COLUMNS = ("name", "email", "team", "manager", "offers", "needs")
ITEM_SEPARATOR = ";"
MAX_ITEMS = 12
MAX_ITEM_CHARS = 300
MAX_PROBLEMS_SHOWN = 10
MAX_CSV_BYTES = 1024 * 1024  # a cohort of 5,000 people is about 600 kB
MAX_ROWS = 5000
MAX_FIELD_CHARS = 8192  # no cell needs more (12 items of 300 characters at most)
PARSE_BUDGET_S = 2.0
_EMAIL = re.compile(r"^[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+$")


class Participant(BaseModel):
    """A programme participant, keyed by email. Each person both offers (mentor) and needs (mentee)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    email: str
    name: str
    team: str = ""
    manager: str = ""
    offers: tuple[str, ...] = Field(min_length=1)
    needs: tuple[str, ...] = Field(min_length=1)
    consent: bool = True
    source: str = "form"


@dataclass(frozen=True)
class Problem:
    line: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}, column {self.column}" if self.line else f"field {self.column}"
        return f"{where}: {self.message}"


def split_items(text: str) -> tuple[str, ...]:
    """``"SQL; public speaking ;"`` → ``("SQL", "public speaking")``."""
    return tuple(item.strip() for item in (text or "").split(ITEM_SEPARATOR) if item.strip())


def normal_email(text: str) -> str:
    return (text or "").strip().lower()


def check_fields(fields: dict[str, str], line: int | None = None) -> tuple[Participant | None, list[Problem]]:
    """Validate one person's fields (a CSV row or the form); return the participant or the problems."""
    problems: list[Problem] = []

    def problem(column: str, message: str) -> None:
        problems.append(Problem(line, column, message))

    name = " ".join((fields.get("name") or "").split())
    email = normal_email(fields.get("email", ""))
    manager = normal_email(fields.get("manager", ""))
    team = " ".join((fields.get("team") or "").split())
    if not name:
        problem("name", "the name is empty; write the person's full name")
    elif len(name) > 200:
        problem("name", "the name is longer than 200 characters")
    if not email:
        problem("email", "the email is empty; every participant is identified by their email")
    elif not _EMAIL.match(email):
        problem("email", f"{email!r} is not an email address (name@example.org)")
    if manager:
        if not _EMAIL.match(manager):
            problem("manager", f"{manager!r} is not an email address; write the manager's email or leave it empty")
        elif manager == email:
            problem("manager", "a person cannot be their own manager; leave it empty or write the manager's email")
    items: dict[str, tuple[str, ...]] = {}
    for column, role in (("offers", "can offer"), ("needs", "wants to acquire")):
        values = split_items(fields.get(column, ""))
        items[column] = values
        if not values:
            problem(column, f"no {column}: list what this person {role}, several items separated by ';'")
        elif len(values) > MAX_ITEMS:
            problem(column, f"{len(values)} items; keep to {MAX_ITEMS} at most")
        for value in values:
            if len(value) > MAX_ITEM_CHARS:
                problem(column, f"the item {value[:40]!r}… is longer than {MAX_ITEM_CHARS} characters")
    if problems:
        return None, problems
    return Participant(email=email, name=name, team=team, manager=manager, offers=items["offers"],
                       needs=items["needs"], source="csv" if line else "form"), []


def _bounded_lines(text: str) -> Iterable[str]:
    """The text's lines for ``csv.reader``, refusing a field longer than ``MAX_FIELD_CHARS`` early."""
    for number, line in enumerate(io.StringIO(text, newline=""), start=1):
        if len(line) > MAX_FIELD_CHARS * 6:
            raise InputInvalid(f"line {number}: the line is {len(line):,} characters long", "one participant per line",
                               line=number)
        yield line


def parse_csv(text: str, enrolled: Iterable[str] = ()) -> list[Participant]:
    """Every participant of the file, or ``InputInvalid`` listing every problem with its line and column.

    ``enrolled`` are the emails already in the programme (a manager may be one of them).
    """
    text = text.lstrip("\ufeff")
    if len(text.encode("utf-8", "surrogatepass")) > MAX_CSV_BYTES:
        raise InputInvalid(f"The CSV file is over the {MAX_CSV_BYTES // 1024} kB limit",
                           f"import at most {MAX_ROWS:,} participants per file")
    deadline = time.monotonic() + PARSE_BUDGET_S
    reader = csv.reader(_bounded_lines(text))
    try:
        header = next(reader)
    except StopIteration:
        raise InputInvalid("The CSV file is empty", f"start with the header line {','.join(COLUMNS)}", line=1) from None
    except csv.Error as exc:
        raise InputInvalid(f"line 1: {exc}", f"the header is {','.join(COLUMNS)}", line=1) from exc
    names = [h.strip().lower() for h in header]
    unknown = [h for h in names if h not in COLUMNS]
    missing = [c for c in COLUMNS if c not in names]
    if unknown or missing or len(set(names)) != len(names):
        detail = "; ".join(filter(None, [
            f"unknown column(s) {', '.join(map(repr, unknown))}" if unknown else "",
            f"missing column(s) {', '.join(missing)}" if missing else "",
            "a column appears twice" if len(set(names)) != len(names) else "",
        ]))
        raise InputInvalid(f"line 1 (header): {detail}", f"the header must be {','.join(COLUMNS)}", line=1,
                           field="header")
    people: list[Participant] = []
    problems: list[Problem] = []
    lines: dict[str, int] = {}
    managers: list[tuple[int, str]] = []
    line = reader.line_num
    try:
        for row in reader:
            start, line = line + 1, reader.line_num
            if start > MAX_ROWS + 1 or time.monotonic() > deadline:
                raise InputInvalid(f"The CSV file has more than {MAX_ROWS:,} rows, or takes too long to read (line {start})",
                                   f"import at most {MAX_ROWS:,} participants per file", line=start)
            if not any(cell.strip() for cell in row):
                continue  # blank lines are allowed
            if len(row) != len(names):
                problems.append(Problem(start, "(all)", f"{len(row)} values for {len(names)} columns; "
                                        "quote a value that contains a comma"))
                continue
            person, found = check_fields(dict(zip(names, row, strict=False)), start)
            problems += found
            if person is None:
                continue
            if person.email in lines:
                problems.append(Problem(start, "email", f"{person.email} is already on line {lines[person.email]}"))
                continue
            lines[person.email] = start
            people.append(person)
            if person.manager:
                managers.append((start, person.manager))
    except csv.Error as exc:
        problems.append(Problem(reader.line_num, "(all)", str(exc)))
    known = set(lines) | {normal_email(e) for e in enrolled}
    for start, manager in managers:
        if manager not in known:
            problems.append(Problem(start, "manager", f"{manager} is not a participant; the manager must be another "
                                    "participant's email (in this file or already enrolled) or empty"))
    if problems:
        problems.sort(key=lambda p: (p.line or 0, COLUMNS.index(p.column) if p.column in COLUMNS else -1))
        shown = "\n".join(f"  {p}" for p in problems[:MAX_PROBLEMS_SHOWN])
        more = f"\n  … and {len(problems) - MAX_PROBLEMS_SHOWN} more" if len(problems) > MAX_PROBLEMS_SHOWN else ""
        raise InputInvalid(f"{len(problems)} problem(s) in the CSV file; nothing was imported:\n{shown}{more}",
                           "fix these rows and import the file again", line=problems[0].line,
                           field=problems[0].column)
    if not people:
        raise InputInvalid("The CSV file has a header but no participants", "add one row per participant", line=2)
    return people
