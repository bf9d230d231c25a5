"""Which account an organisation's verified ID token speaks for (``people.oidc_claims``)."""

from __future__ import annotations

import pytest

from kickcoach.people.accounts import Accounts
from kickcoach.people.oidc_claims import ClaimRules, OidcRefused, person_for_claims


@pytest.fixture
def accounts(services, people):
    accounts = Accounts(services.storage)
    accounts.set_email("priya", "Priya@Example.org")
    accounts.set_email("fay", "fay@example.org", display_name="Fay Facilitator")
    return accounts


def test_the_email_picks_the_account_which_keeps_its_pair_and_role(accounts):
    priya = person_for_claims(accounts, {"email": "PRIYA@example.org ", "name": "Priya Shah"}, ClaimRules())
    assert (priya.name, priya.pair_id, priya.partner, priya.role) == ("priya", "demo", "a", "participant")
    assert priya.display_name == "Priya Shah" and accounts.get("priya").display_name == "Priya Shah"
    fay = person_for_claims(accounts, {"email": "fay@example.org", "name": "Someone Else"}, ClaimRules())
    assert fay.role == "facilitator" and fay.display_name == "Fay Facilitator"  # a name already set stays


@pytest.mark.parametrize(("claims", "words"), [
    ({"email": "nobody@example.org"}, "No kickcoach account has the email nobody@example.org"),
    ({"name": "Priya"}, "did not give an email address"),
    ({"email": ["priya@example.org"]}, "did not give an email address"),
    ({"email": "priya@example.org", "email_verified": False}, "has not verified the address"),
])
def test_refusals_say_why(accounts, claims, words):
    with pytest.raises(OidcRefused, match=words):
        person_for_claims(accounts, claims, ClaimRules())


def test_a_configured_email_claim_is_the_one_read(accounts):
    rules = ClaimRules(email_claim="upn")
    assert person_for_claims(accounts, {"upn": "priya@example.org", "email": "x@y.z"}, rules).name == "priya"


def test_a_role_claim_must_agree_with_the_account(accounts):
    rules = ClaimRules(role_claim="groups", facilitator_value="coach-facilitators")
    assert person_for_claims(accounts, {"email": "fay@example.org", "groups": ["staff", "coach-facilitators"]},
                             rules).role == "facilitator"
    assert person_for_claims(accounts, {"email": "fay@example.org", "groups": "staff coach-facilitators"},
                             rules).role == "facilitator"
    assert person_for_claims(accounts, {"email": "priya@example.org", "groups": ["staff"]}, rules).role == "participant"
    with pytest.raises(OidcRefused, match="lists you as a participant, but this kickcoach account is a facilitator"):
        person_for_claims(accounts, {"email": "fay@example.org", "groups": ["staff"]}, rules)
    with pytest.raises(OidcRefused, match="lists you as a facilitator, but this kickcoach account is a participant"):
        person_for_claims(accounts, {"email": "priya@example.org", "groups": ["coach-facilitators"]}, rules)
    with pytest.raises(OidcRefused, match="as a participant"):
        person_for_claims(accounts, {"email": "fay@example.org"}, rules)  # no claim at all: not a facilitator
