"""The programme's workflow: create, enrol, match, review (swap, lock), publish, accept or decline, sign.

``ProgrammeService(services)`` is what the CLI and the UI call. A published pair gets a pair record and
a draft contract pre-filled with each side's offers and needs; a decline closes that draft and frees both
people for the next match (the same two are never proposed again).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kickcoach.core.errors import InputInvalid
from kickcoach.core.inputs import strip_controls
from kickcoach.programme import matching, scoring
from kickcoach.programme.cohorts import Programme, new_programme
from kickcoach.programme.drafts import draft_contract, pair_slug
from kickcoach.programme.inventory import Participant, check_fields, normal_email, parse_csv
from kickcoach.programme.space import cohort_vectors
from kickcoach.programme.store import ProgrammeStore
from kickcoach.programme.tables import ProgrammePairRow

if TYPE_CHECKING:
    from langchain_core.embeddings import Embeddings

    from kickcoach.contracts.models import Contract
    from kickcoach.core.person import PartnerId, Person
    from kickcoach.services import Services

LATE_PUBLISH_WEEKS = 4
"""A pair published less than a week before the programme's agreement due date gets this long instead."""


@dataclass
class MatchReport:
    pairs: list[dict[str, Any]] = field(default_factory=list)
    unpaired: list[dict[str, str]] = field(default_factory=list)
    total: float = 0.0
    greedy_total: float = 0.0
    candidates: int = 0

    def as_json(self) -> dict[str, Any]:
        return {"pairs": self.pairs, "unpaired": self.unpaired, "total_score": round(self.total, 4),
                "greedy_total_score": round(self.greedy_total, 4), "candidate_edges": self.candidates}


def pair_json(row: ProgrammePairRow) -> dict[str, Any]:
    return {"id": row.id, "a": row.a_email, "b": row.b_email, "score": round(row.score, 4), "why": row.why,
            "locked": row.locked, "state": row.state, "pair_id": row.pair_id,
            "responses": {"a": row.a_response, "b": row.b_response}}


class ProgrammeService:
    def __init__(self, services: Services) -> None:
        self.services = services
        self.store = ProgrammeStore(services.storage)
        self._vectors: dict[str, list[float]] = {}  # item text → raw embedding, kept across calls

    # --- programmes and enrolment --------------------------------------------------------------------
    def create(self, name: str, *, today: dt.date | None = None, **settings: Any) -> Programme:
        return self.store.create(new_programme(name, today=today, **settings))

    def update(self, programme: str, /, **changes: Any) -> Programme:
        """Change settings of ``programme`` (name or id); ``name=`` renames it."""
        return self.store.save(self.store.get(programme).changed(**changes))

    def import_csv(self, name: str, text: str) -> tuple[int, int]:
        programme = self.store.get(name)
        enrolled = [p.email for p in self.store.participants(programme.id)]
        return self.store.enrol(programme.id, parse_csv(text, enrolled))

    def opt_in(self, name: str, fields: dict[str, str], *, consent: bool) -> Participant:
        """A participant's own opt-in (the UI form): consent to the trial and to the facilitator seeing the inventory."""
        programme = self.store.get(name)
        if not consent:
            raise InputInvalid("Opting in needs your consent", "tick the box to join the trial period", field="consent")
        person, problems = check_fields({k: strip_controls(v or "") for k, v in fields.items()})
        if person is None:
            raise InputInvalid("; ".join(str(p) for p in problems), "correct the form and send it again",
                               field=problems[0].column)
        enrolled = {p.email for p in self.store.participants(programme.id)}
        if person.manager and person.manager not in enrolled:
            raise InputInvalid(f"field manager: {person.manager} is not enrolled in {programme.name}",
                               "leave it empty until your manager has joined, or ask the facilitator", field="manager")
        self.store.enrol(programme.id, [person])
        return person

    # --- matching ------------------------------------------------------------------------------------
    def _embeddings(self) -> Embeddings:
        return self.services.embeddings

    def _cache_dir(self) -> Path:
        return self.services.settings.cache_dir  # where the skills vocabulary's vectors are kept

    def match(self, name: str, *, top_k: int = matching.TOP_K) -> MatchReport:
        """Propose pairs for everyone not yet in a locked or published pair; earlier unlocked proposals are replaced."""
        programme = self.store.get(name)
        kept = [r for r in self.store.pairs(programme.id) if r.locked or r.state == "published"]
        busy = {e for r in kept for e in (r.a_email, r.b_email)}
        pool = [p for p in self.store.participants(programme.id) if p.consent and p.email not in busy]
        declined = [frozenset((r.a_email, r.b_email)) for r in self.store.pairs(programme.id, ("declined",))]
        report = MatchReport(pairs=[pair_json(r) for r in kept if r.state == "proposed"])
        if pool:
            vectors = cohort_vectors(self._embeddings(), pool, self._vectors, cache_dir=self._cache_dir())
            comp = scoring.complementarity(pool, vectors)
            allowed = matching.allowed_mask(pool, programme.team_rule, declined)
            found = matching.optimal_matching(pool, comp.score, allowed, top_k=top_k)
            report.greedy_total = matching.greedy_matching(pool, comp.score, allowed).total
            report.candidates = found.edges
            rows = [ProgrammePairRow(a_email=pool[p.a].email, b_email=pool[p.b].email, score=p.score,
                                     why=scoring.why(pool[p.a], pool[p.b], vectors)) for p in found.pairs]
            self.store.replace_proposals(programme.id, rows)
            report.total = found.total
            report.unpaired = [{"email": pool[u.index].email, "reason": u.reason} for u in found.unpaired]
            fresh = self.store.pairs(programme.id, ("proposed",))
            report.pairs = [pair_json(r) for r in fresh]
        report.total += sum(r.score for r in kept if r.state == "proposed" and r.locked)
        return report

    def proposals(self, name: str) -> list[ProgrammePairRow]:
        return self.store.pairs(self.store.get(name).id, ("proposed",))

    def _rescore(self, programme: Programme, a: Participant, b: Participant) -> tuple[float, dict[str, Any]]:
        declined = [frozenset((r.a_email, r.b_email)) for r in self.store.pairs(programme.id, ("declined",))]
        if not matching.allowed_mask([a, b], programme.team_rule, declined)[0, 1]:
            raise InputInvalid(f"{a.name} and {b.name} cannot be paired under the programme's rules "
                               "(manager, team rule, or they declined each other before)", "choose someone else")
        cohort = [p for p in self.store.participants(programme.id) if p.consent]
        vectors = cohort_vectors(self._embeddings(), cohort, self._vectors,
                                 cache_dir=self._cache_dir())  # the space the matching used
        return scoring.complementarity([a, b], vectors).pair_score(0, 1), scoring.why(a, b, vectors)

    def swap(self, name: str, first: str, second: str) -> list[ProgrammePairRow]:
        """Exchange two people between proposed pairs (or swap a proposed person for an unpaired one)."""
        programme = self.store.get(name)
        first, second = normal_email(first), normal_email(second)
        rows = {r.id: r for r in self.store.pairs(programme.id, ("proposed",))}
        where = {e: r for r in rows.values() for e in (r.a_email, r.b_email)}
        published = {e for r in self.store.pairs(programme.id, ("published",)) for e in (r.a_email, r.b_email)}
        for email in (first, second):
            self.store.participant(programme.id, email)
            if email in published:
                raise InputInvalid(f"{email} is already in a published pair", "only proposed pairs can be changed")
            if email in where and where[email].locked:
                raise InputInvalid(f"{email}'s pair is locked", f"unlock it first: `kickcoach programme unlock {name} {email}`")
        if first not in where and second not in where:
            raise InputInvalid("Neither person is in a proposed pair", "run `kickcoach programme match` first")
        if first in where and second in where and where[first].id == where[second].id:
            raise InputInvalid(f"{first} and {second} are already paired together", "swap with someone from another pair")
        def other(row: ProgrammePairRow, email: str) -> str:
            return row.b_email if row.a_email == email else row.a_email

        new = [(other(where[a], a), b) for a, b in ((first, second), (second, first)) if a in where]
        made = []
        for x, y in new:
            score, why = self._rescore(programme, self.store.participant(programme.id, x),
                                       self.store.participant(programme.id, y))
            made.append(ProgrammePairRow(a_email=x, b_email=y, score=score, why=why))
        self.store.delete_proposals([r.id for r in {where[e].id: where[e] for e in (first, second) if e in where}.values()])
        self.store.add_pairs(programme.id, made)
        return made

    def lock(self, name: str, email: str, locked: bool = True) -> ProgrammePairRow:
        programme = self.store.get(name)
        row = self.store.pair(programme.id, email)
        if row.state != "proposed":
            raise InputInvalid(f"{email}'s pair is already {row.state}", "only proposed pairs are locked or unlocked")
        return self.store.update_pair(row.id, locked=locked)

    # --- publishing and responses ----------------------------------------------------------------------
    def publish(self, name: str, *, today: dt.date | None = None) -> list[ProgrammePairRow]:
        """Publish every proposed pair: a pair record and a draft agreement each; participants then accept or decline."""
        from kickcoach.contracts.service import save_contract

        today = today or dt.date.today()
        programme = self.store.get(name)
        rows = self.store.pairs(programme.id, ("proposed",))
        if not rows:
            raise InputInvalid(f"{programme.name} has no proposed pairs", f"run `kickcoach programme match {name}` first")
        due = programme.agreement_due
        if today > due - dt.timedelta(days=7):
            due = today + dt.timedelta(weeks=LATE_PUBLISH_WEEKS)
        people = {p.email: p for p in self.store.participants(programme.id)}
        published = []
        for row in rows:
            pair_id = pair_slug(programme, row.id)
            a, b = people[row.a_email], people[row.b_email]
            save_contract(self.services, draft_contract(programme, pair_id, a, b, today))
            published.append(self.store.update_pair(row.id, state="published", pair_id=pair_id, published_on=today,
                                                     agreement_due=due, locked=False))
            self._join_accounts(programme.id, row, pair_id)
        return published

    def _join_accounts(self, programme_id: str, row: ProgrammePairRow, pair_id: str) -> None:
        """The two people's accounts (linked by email) work in the published pair: an account waiting for its
        pairing (no pair yet) becomes partner a or b of it, so contract, chat, reviews and agreement are one pair.
        An account that already belongs to a pair keeps it (moving it would leave its chats behind)."""
        from kickcoach.people.accounts import Accounts

        accounts = Accounts(self.services.storage)
        for side, email in (("a", row.a_email), ("b", row.b_email)):
            account_id = self.store.account_of(programme_id, email)
            if account_id:
                accounts.join_pair(account_id, pair_id, "a" if side == "a" else "b")

    def _published_row(self, name: str, email: str) -> tuple[Programme, ProgrammePairRow, str]:
        programme = self.store.get(name)
        row = self.store.pair(programme.id, email)
        if row.state != "published":
            raise InputInvalid(f"{email}'s pair is {row.state}, not published yet", "wait for the facilitator to publish")
        side = "a" if row.a_email == normal_email(email) else "b"
        return programme, row, side

    def respond(self, name: str, email: str, *, accept: bool) -> ProgrammePairRow:
        from kickcoach.contracts.service import close_contract, load_contract

        _, row, side = self._published_row(name, email)
        update: dict[str, Any] = {f"{side}_response": "accepted" if accept else "declined"}
        if not accept:
            update["state"] = "declined"
            contract = load_contract(self.services, row.pair_id or "")
            if contract is not None and contract.status != "closed":
                close_contract(self.services, row.pair_id or "")
        return self.store.update_pair(row.id, **update)

    def agreement(self, name: str, email: str) -> Contract | None:
        """The current agreement of ``email``'s published pair (what signing would sign), if it has one."""
        from kickcoach.contracts.service import load_contract

        _, row, _ = self._published_row(name, email)
        return load_contract(self.services, row.pair_id or "")

    def sign(self, name: str, email: str, *, now: dt.datetime | None = None, signer: Person | None = None,
             version: int | None = None) -> str:
        """Sign the pair's current agreement as this participant; returns the contract's status.

        ``signer``: the logged-in account (its id goes on the signature row; else the CLI's local owner).
        ``version``: the version the person was shown; a different current version is refused, so no one signs
        a text they have not seen.
        """
        from kickcoach.contracts.service import load_contract, sign_contract
        from kickcoach.core.person import Person, local_owner

        _, row, side = self._published_row(name, email)
        if getattr(row, f"{side}_response") != "accepted":
            raise InputInvalid("Accept the pairing before signing the agreement", "press Accept first")
        contract = load_contract(self.services, row.pair_id or "")
        if contract is None:
            raise InputInvalid(f"Pair {row.pair_id} has no agreement yet", "ask the facilitator to publish again")
        if version is not None and contract.version != version:
            raise InputInvalid(f"The agreement is now version {contract.version}, not the version {version} you read",
                               "show your pairing again, read the agreement, then sign")
        # Signed as that partner's slot: a signature is an append-only row, never client-written YAML.
        slot: PartnerId = "b" if side == "b" else "a"
        who = local_owner(row.pair_id or "", slot) if signer is None else Person(
            person_id=signer.person_id, name=signer.name, pair_id=row.pair_id, partner=slot, email=signer.email)
        signer_services = self.services.as_speaker(who)
        signed = sign_contract(signer_services, row.pair_id or "", (now or dt.datetime.now()).replace(microsecond=0))
        if signed.status == "signed":
            self.store.update_pair(row.id, agreement_signed_on=(now or dt.datetime.now()).date())
        return signed.status
