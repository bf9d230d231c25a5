"""What is due for one person, for the in-app strip and the email digest: the pair's due items that concern
them (``history.read``, through their own repository), plus the programme's nudges for them when they are
enrolled (agreement due, action plan, monthly contact, the monthly check-in).

Only shared data and the person's own programme rows are read: nothing private of the partner can reach
another person's strip or email (the attack test in tests/programme/test_reminders_privacy.py).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from kickcoach.contracts.files import load_yaml
from kickcoach.contracts.models import Contract
from kickcoach.core.errors import KickcoachError
from kickcoach.history import read
from kickcoach.history.due import DueItem
from kickcoach.programme.followup import nudges_for, statuses
from kickcoach.programme.links import enrolments
from kickcoach.programme.store import ProgrammeStore

if TYPE_CHECKING:
    from kickcoach.core.person import Person
    from kickcoach.storage import PairRepo, Storage


def contract_of(repo: PairRepo) -> Contract | None:
    """The pair's current contract as stored (its status from the stored row)."""
    row = repo.contract_row()
    if row is None:
        return None
    try:
        return load_yaml(row.yaml).model_copy(update={"status": row.status})
    except KickcoachError:  # a stored text that no longer parses: no contract items, the rest still shown
        return None


def _programme_items(storage: Storage, person: Person, today: dt.date) -> list[DueItem]:
    if not person.email:
        return []
    store = ProgrammeStore(storage)
    found: list[DueItem] = []
    email = person.email.lower()
    for enrolment in enrolments(storage, person):
        programme = store.get(enrolment.programme_id)
        for status in statuses(store, programme, today):
            if email not in (status.row.a_email.lower(), status.row.b_email.lower()):
                continue
            for nudge in nudges_for(status, today):
                if email in (w.lower() for w in nudge.who) and nudge.kind != "meeting":  # meetings: from the cadence
                    found.append(DueItem(key=f"programme:{programme.id}:{nudge.kind}:{nudge.due}", kind="programme",
                                         partners=[person.partner or "a"], date=nudge.due,
                                         text=f"{programme.name}: {nudge.message}", overdue=nudge.overdue,
                                         source=f"programme:{programme.id}"))
    return found


def due_for(storage: Storage, person: Person, today: dt.date) -> list[DueItem]:
    """The items due for ``person`` (a partner of a pair): theirs and the pair's, overdue first."""
    if not person.pair_id or person.partner not in ("a", "b"):
        return []
    repo = storage.for_person(person, person.pair_id)
    history = read(repo, contract_of(repo), today, conversations=False)
    mine = [i for i in history.due if person.partner in i.partners]
    programme = _programme_items(storage, person, today)
    if any(":agreement:" in i.key for i in programme):  # the programme's agreement item has the due date
        mine = [i for i in mine if i.kind != "agreement"]
    return sorted([*mine, *programme], key=lambda i: (not i.overdue, i.date or today))
