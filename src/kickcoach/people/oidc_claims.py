"""Who an organisation's ID token speaks for: the kickcoach account with the token's email.

The identity provider vouches for an email address; kickcoach links it to the one account carrying that
email (``kickcoach users add … --email``, ``users import``, programme opt-in). The account decides the pair and
partner; the role comes from the account too, and, where ``KICKCOACH_OIDC_ROLE_CLAIM`` is set, the token's
roles or groups must agree with it (an organisation that takes the facilitator group away ends that access).
Every refusal is an ``OidcRefused`` whose message the login page shows as it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kickcoach.core.config import Settings
from kickcoach.core.errors import KickcoachError
from kickcoach.core.person import Person
from kickcoach.people.accounts import Accounts


class OidcRefused(KickcoachError):
    """The organisation's login worked but names no one this server may let in (or did not complete)."""


@dataclass(frozen=True)
class ClaimRules:
    email_claim: str = "email"
    name_claim: str = "name"
    role_claim: str | None = None
    facilitator_value: str = "kickcoach-facilitator"

    @classmethod
    def of(cls, settings: Settings) -> ClaimRules:
        return cls(settings.oidc_email_claim, settings.oidc_name_claim, settings.oidc_role_claim,
                   settings.oidc_facilitator_value)


def _values(claim: Any) -> set[str]:
    """A roles or groups claim as a set: a list of strings, or one string (space- or comma-separated)."""
    if isinstance(claim, str):
        return {v for v in claim.replace(",", " ").split() if v}
    if isinstance(claim, list | tuple):
        return {str(v) for v in claim if isinstance(v, str | int)}
    return set()


def person_for_claims(accounts: Accounts, claims: Mapping[str, Any], rules: ClaimRules) -> Person:
    """The account the verified ID-token ``claims`` speak for, or ``OidcRefused`` saying why not."""
    email = claims.get(rules.email_claim)
    if not isinstance(email, str) or "@" not in email or len(email) > 320:
        raise OidcRefused("Your organisation's login did not give an email address",
                          f"ask its administrator to release the {rules.email_claim!r} claim to kickcoach")
    if claims.get("email_verified") is False:
        raise OidcRefused(f"Your organisation has not verified the address {email}",
                          "verify it with your organisation, then log in again")
    person = accounts.by_email(email)
    if person is None:
        raise OidcRefused(f"No kickcoach account has the email {email.strip().lower()}",
                          "ask your programme's facilitator to add you with that email")
    if rules.role_claim is not None:
        facilitator = rules.facilitator_value in _values(claims.get(rules.role_claim))
        if facilitator != person.is_facilitator:
            said, kept = ("facilitator", "participant") if facilitator else ("participant", "facilitator")
            raise OidcRefused(f"Your organisation lists you as a {said}, but this kickcoach account is a {kept}",
                              "ask your programme's facilitator to correct one of them")
    name = claims.get(rules.name_claim)
    if person.display_name is None and isinstance(name, str) and name.strip():
        person = accounts.set_email(person.name, person.email, display_name=name)
    return person


__all__ = ["ClaimRules", "OidcRefused", "person_for_claims"]
