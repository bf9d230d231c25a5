"""The peer-mentor contract: two partners, their goals, how they meet, and the terms they agree.

Every model forbids unknown fields (a typo in a YAML file is an error, not a silently ignored key),
strips surrounding whitespace from text and is frozen: lifecycle methods return new ``Contract``
objects, so a contract read from storage is never changed behind the storage layer's back.

Cross-field rules raise :class:`FieldProblem`, a ``ValueError`` that remembers which field it is
about; :func:`validation_problems` joins that to pydantic's location, so a person (or a model) is
told ``partners.0.goals.1.deadline`` rather than just "the contract is invalid".

Lifecycle: ``draft`` → (both partners sign the current version) → ``signed`` → ``activate()`` →
``active`` → ``close()`` → ``closed``. Editing a contract that anyone has signed returns it to
``draft`` with the version bumped and the signatures cleared; the storage layer keeps old versions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    FiniteFloat,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

from kickcoach.core.banks import text_bank
from kickcoach.core.errors import InputInvalid, NotFound

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Slug = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=64)]
PartnerId = Literal["a", "b"]
Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
GoalStatus = Literal["not_started", "on_track", "behind", "done", "dropped"]
ContractStatus = Literal["draft", "signed", "active", "closed"]

DEFAULT_FEEDBACK_RULES: tuple[str, ...] = tuple(
    text_bank(Path(__file__).with_name("defaults.yaml")).group("feedback_rules").values()
)
"""The feedback rules of a new contract, in the order of ``defaults.yaml``."""


class FieldProblem(ValueError):
    """A validation problem about ``path`` (field names/indexes relative to the model that raised it)."""

    def __init__(self, path: Sequence[str | int], message: str) -> None:
        super().__init__(message)
        self.path = tuple(path)


def validation_problems(exc: ValidationError) -> list[tuple[tuple[str | int, ...], str, str]]:
    """``(path, message, error type)`` for each error, with paths of :class:`FieldProblem` joined in."""
    problems = []
    for err in exc.errors():
        path = tuple(err["loc"])
        cause = (err.get("ctx") or {}).get("error")
        message = str(cause) if isinstance(cause, FieldProblem) else err["msg"]
        if isinstance(cause, FieldProblem):
            path += cause.path
        problems.append((path, message, err["type"]))
    return problems


def dotted(path: Sequence[str | int]) -> str:
    """``("partners", 0, "goals")`` → ``"partners.0.goals"``."""
    return ".".join(str(p) for p in path)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Goal(_Model):
    """One goal of one partner: what, how, target, when, and how they will know they are there."""

    id: Slug
    what: Text
    how: list[Text] = Field(default_factory=list)
    target: Text
    target_value: FiniteFloat | None = None
    unit: Text | None = None
    start_value: FiniteFloat = 0.0
    start_date: dt.date | None = None
    deadline: dt.date | None = None
    timeframe: Text | None = None
    indicators: list[Text] = Field(default_factory=list)
    relevant_to: Text | None = None
    status: GoalStatus = "not_started"

    @model_validator(mode="after")
    def _dates_in_order(self) -> Goal:
        if self.start_date and self.deadline and self.deadline < self.start_date:
            raise FieldProblem(
                ["deadline"],
                f"deadline {self.deadline} is before the goal's start_date {self.start_date}; move one of them",
            )
        return self


class Partner(_Model):
    """One of the two peers; each is both mentor (``offers``) and mentee (``needs``, ``goals``)."""

    id: PartnerId
    name: Text
    role: Text | None = None
    organisation: Text | None = None
    goals: list[Goal] = Field(default_factory=list)
    offers: list[Text] = Field(default_factory=list)
    needs: list[Text] = Field(default_factory=list)
    aims: Text | None = None

    @field_validator("goals")
    @classmethod
    def _unique_goal_ids(cls, goals: list[Goal]) -> list[Goal]:
        seen: set[str] = set()
        for index, goal in enumerate(goals):
            if goal.id in seen:
                raise FieldProblem(
                    [index, "id"], f"goal id {goal.id!r} is used twice; give each goal its own id (g1, g2, …)"
                )
            seen.add(goal.id)
        return goals


class Cadence(_Model):
    """How often and where the pair meets. ``time`` is local wall-clock time, HH:MM."""

    frequency: Literal["weekly", "fortnightly", "monthly"]
    weekday: Weekday | None = None
    time: dt.time | None = None
    duration_minutes: int = Field(default=45, ge=5, le=480)
    channel: Text | None = None

    @field_validator("weekday", mode="before")
    @classmethod
    def _lowercase_weekday(cls, value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("time", mode="before")
    @classmethod
    def _time_is_text(cls, value: Any) -> Any:
        # pydantic would read a number as seconds after midnight; a meeting time is written "12:30".
        if isinstance(value, int | float) and not isinstance(value, bool):
            raise ValueError("write the meeting time as HH:MM in quotes, e.g. '12:30'")
        return value

    @field_validator("time")
    @classmethod
    def _whole_minutes(cls, value: dt.time | None) -> dt.time | None:
        if value is not None and (value.second or value.microsecond or value.tzinfo):
            raise ValueError("give the meeting time as HH:MM local time, without seconds or time zone")
        return value

    def summary(self) -> str:
        """ "weekly on Thursdays at 12:30 for 45 minutes, video call"."""
        text: str = self.frequency
        if self.weekday:
            text += f" on {self.weekday.capitalize()}s"
        if self.time:
            text += f" at {self.time:%H:%M}"
        text += f" for {self.duration_minutes} minutes"
        return text + (f", {self.channel}" if self.channel else "")


class Terms(_Model):
    """How the pair holds each other accountable, keeps confidences and gives feedback."""

    accountability: Text
    confidentiality: Text
    feedback_rules: list[Text] = Field(default_factory=lambda: list(DEFAULT_FEEDBACK_RULES), min_length=1)


class Signature(_Model):
    partner: PartnerId
    signed_at: dt.datetime
    version: int = Field(ge=1)


class Contract(_Model):
    """The whole agreement of one pair. Construct it, then move it with the lifecycle methods."""

    pair_id: Slug
    title: Text
    version: int = Field(default=1, ge=1)
    status: ContractStatus = "draft"
    partners: tuple[Partner, Partner]
    cadence: Cadence
    terms: Terms
    start_date: dt.date
    review_date: dt.date | None = None
    signatures: list[Signature] = Field(default_factory=list)

    @field_validator("partners")
    @classmethod
    def _partners_a_then_b(cls, partners: tuple[Partner, Partner]) -> tuple[Partner, Partner]:
        for index, expected in enumerate(("a", "b")):
            if partners[index].id != expected:
                raise FieldProblem(
                    [index, "id"], f"partner {index + 1} must have id {expected!r} (list partner a first, then b)"
                )
        return partners

    @model_validator(mode="after")
    def _consistent(self) -> Contract:
        if self.review_date and self.review_date <= self.start_date:
            raise FieldProblem(
                ["review_date"], f"review_date {self.review_date} must come after start_date {self.start_date}"
            )
        seen: set[str] = set()
        for index, sig in enumerate(self.signatures):
            if sig.version != self.version:
                raise FieldProblem(
                    ["signatures", index, "version"],
                    f"this signature is for version {sig.version} but the contract is version {self.version}; "
                    "signatures belong to the version they signed, so remove it",
                )
            if sig.partner in seen:
                raise FieldProblem(
                    ["signatures", index, "partner"], f"partner {sig.partner!r} has signed twice; keep one"
                )
            seen.add(sig.partner)
        if self.status in ("signed", "active") and seen != {"a", "b"}:
            missing = " and ".join(p.name for p in self.partners if p.id not in seen)
            raise FieldProblem(["status"], f"status {self.status!r} needs both signatures; not signed yet by {missing}")
        return self

    # --- look-ups --------------------------------------------------------------------------------
    def partner(self, partner_id: str) -> Partner:
        for p in self.partners:
            if p.id == partner_id:
                return p
        raise NotFound(f"No partner {partner_id!r} in contract {self.pair_id!r}", "partner ids are 'a' and 'b'")

    def goal(self, partner_id: str, goal_id: str) -> Goal:
        partner = self.partner(partner_id)
        for g in partner.goals:
            if g.id == goal_id:
                return g
        known = ", ".join(g.id for g in partner.goals) or "none yet"
        raise NotFound(f"{partner.name} has no goal {goal_id!r}", f"goal ids for {partner.name}: {known}")

    def all_goals(self) -> list[tuple[Partner, Goal]]:
        """Every goal with its owner, partner a's first."""
        return [(p, g) for p in self.partners for g in p.goals]

    def has_signed(self, partner_id: str) -> bool:
        return any(s.partner == partner_id for s in self.signatures)

    # --- lifecycle -------------------------------------------------------------------------------
    def sign(self, partner_id: str, at: dt.datetime) -> Contract:
        """Add ``partner_id``'s signature to the current version; ``signed`` once both have signed.

        Only a draft can be signed, and only when each partner has at least one goal: a contract
        without goals has nothing to hold each other to.
        """
        partner = self.partner(partner_id)
        if self.status != "draft":
            raise _state_error(
                f"Version {self.version} is already {self.status}; only a draft can be signed",
                "edit it to start a new version",
            )
        if self.has_signed(partner_id):
            raise _state_error(
                f"{partner.name} has already signed version {self.version}", "wait for the other partner to sign"
            )
        empty = [p.name for p in self.partners if not p.goals]
        if empty:
            raise InputInvalid(
                f"No goals yet for {' and '.join(empty)}",
                "add at least one goal per partner before signing",
                field="partners",
            )
        signatures = [*self.signatures, Signature(partner=partner.id, signed_at=at, version=self.version)]
        both = {s.partner for s in signatures} == {"a", "b"}
        return self._replace(signatures=signatures, status="signed" if both else "draft")

    def activate(self) -> Contract:
        """Start working to a signed contract."""
        if self.status != "signed":
            raise _state_error(
                f"Only a signed contract can be activated; this one is {self.status}",
                "both partners sign the current version first",
            )
        return self._replace(status="active")

    def close(self) -> Contract:
        """End the partnership (or abandon a draft); a closed contract cannot change again."""
        if self.status == "closed":
            raise _state_error("This contract is already closed", "start a new contract for a new partnership")
        return self._replace(status="closed")

    def edited(self, **changes: Any) -> Contract:
        """Return the contract with ``changes`` applied and validated.

        If anyone has signed (status signed/active, or one signature on a draft), the result is a new
        draft version: version + 1, signatures cleared, because those signatures were for other text.
        An unsigned draft keeps its version. Changes equal to the current values return ``self``.
        ``version``, ``status``, ``signatures`` and ``pair_id`` change only through the lifecycle.
        """
        if self.status == "closed":
            raise _state_error("A closed contract cannot be edited", "start a new contract for a new partnership")
        for name in changes:
            if name in _LIFECYCLE_FIELDS:
                raise InputInvalid(f"{name} cannot be edited directly", "use sign(), activate() or close()", field=name)
            if name not in type(self).model_fields:
                raise InputInvalid(
                    f"Contract has no field {name!r}", f"fields: {', '.join(type(self).model_fields)}", field=name
                )
        candidate = self._replace(**changes)
        if candidate == self:
            return self
        if self.signatures or self.status != "draft":
            candidate = self._replace(**changes, version=self.version + 1, status="draft", signatures=[])
        return candidate

    def _replace(self, **changes: Any) -> Contract:
        data = {name: getattr(self, name) for name in type(self).model_fields}
        try:
            return type(self).model_validate(data | changes)
        except ValidationError as exc:
            path, message, _ = validation_problems(exc)[0]
            raise InputInvalid(
                f"{dotted(path)}: {message}", "correct that value and try again", field=dotted(path)
            ) from exc


_LIFECYCLE_FIELDS = frozenset({"version", "status", "signatures", "pair_id"})


def _state_error(message: str, fix: str) -> InputInvalid:
    return InputInvalid(message, fix, field="status")
