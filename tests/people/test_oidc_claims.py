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


def test_the_settings_refuse_an_insecure_provider_or_scopes_without_openid():
    from pydantic import ValidationError

    from kickcoach.core.config import Settings

    ok = Settings(oidc_issuer="https://login.example.org/realms/staff/", oidc_client_id="kc", _env_file=None)
    assert ok.oidc_enabled and ok.oidc_discovery == "https://login.example.org/realms/staff/.well-known/openid-configuration"
    assert ok.oidc_issuer.endswith("/")  # kept as given: the token's iss must match it exactly
    assert not Settings(oidc_issuer="https://login.example.org", _env_file=None).oidc_enabled  # no client id
    assert Settings(oidc_issuer="http://127.0.0.1:8080", oidc_client_id="kc", _env_file=None).oidc_enabled
    for bad in ({"oidc_issuer": "http://login.example.org"}, {"oidc_redirect_url": "http://coach.example.org/oidc/callback"},
                {"oidc_discovery_url": "ftp://x"}, {"oidc_scopes": "email profile"}):
        with pytest.raises(ValidationError):
            Settings(**bad, _env_file=None)
