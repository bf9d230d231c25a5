"""Programme tabs' handlers without a browser: the facilitator seam, the flow, and My programme acting only
for the logged-in account (its email's enrolments), never for a typed email."""

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import pytest

from kickcoach.core.errors import KickcoachError
from kickcoach.programme.access import CLI, is_facilitator
from kickcoach.programme.service import ProgrammeService
from kickcoach.ui.identity import Identity
from kickcoach.ui.programme_participant_tab import ParticipantHandlers
from kickcoach.ui.programme_tab import NOT_ALLOWED, ProgrammeHandlers

TODAY = dt.date(2027, 1, 4)
LOCAL = SimpleNamespace(username=None)


def test_facilitator_seam(settings, tmp_path):
    assert is_facilitator(CLI, settings) and is_facilitator(None, settings)
    users = tmp_path / "users.yaml"
    users.write_text("fay: {password: x, pair_id: demo}\nada: {password: y, pair_id: demo, email: Ada@Example.org}\n")
    with_logins = settings.model_copy(update={"users_file": users})
    assert not is_facilitator(None, with_logins) and not is_facilitator("fay", with_logins)
    with_logins = with_logins.model_copy(update={"facilitator": "Fay, someone"})
    assert is_facilitator("fay", with_logins) and not is_facilitator("ada", with_logins)


def test_only_the_facilitator_can_act(services, tmp_path):
    users = tmp_path / "users.yaml"
    users.write_text("ada: {password: y, pair_id: demo}\n")
    services.settings = services.settings.model_copy(update={"users_file": users})
    handlers = ProgrammeHandlers(services, today=TODAY)
    assert NOT_ALLOWED in handlers.create("Spring", SimpleNamespace(username="ada"))
    assert handlers.service.store.programmes() == []


@pytest.fixture
def cohort_accounts(services, fast_hashes, login):
    """Accounts for the small CSV's four people (emails in other cases than the CSV's) and a facilitator."""
    from kickcoach.people.accounts import Accounts

    accounts = Accounts(services.storage)
    for i, name in enumerate(("ada", "ben", "chloe", "dev")):
        accounts.add(name, f"{name}-password-1", pair_id=f"home-{i}", partner="a", email=f"{name.upper()}@Example.org")
    accounts.add("fay", "fay-password-1", role="facilitator", email="fay@example.org")
    identity = Identity(services.settings, services.storage)
    return identity, {name: login(name) for name in ("ada", "ben", "chloe", "dev", "fay")}


def test_facilitator_and_participant_walk(services, tmp_path, small_csv, cohort_accounts):
    identity, as_ = cohort_accounts
    fac = ProgrammeHandlers(services, today=TODAY, identity=identity)
    me = ParticipantHandlers(services, fac)
    fay = as_["fay"]
    assert "✅" in fac.create("Spring 2027", fay)
    csv = tmp_path / "c.csv"
    csv.write_text(small_csv)
    assert "4 new" in fac.import_csv("Spring 2027", str(csv), fay)
    status, rows, unpaired = fac.match("Spring 2027", fay)
    assert "2 pairs proposed" in status and len(rows) == 2 and unpaired == "Everyone is paired."
    assert "being prepared" in me.my_pair("Spring 2027", as_["ada"])[0]
    assert "Published 2 pairs" in fac.publish("Spring 2027", fay)
    assert "No programme enrolment is linked" in me.accept("", fay)  # the facilitator is not enrolled
    row = fac.service.store.pair(fac.service.store.get("Spring 2027").id, "ada@example.org")
    partner = "ben" if row.b_email == "ben@example.org" or row.a_email == "ben@example.org" else "chloe"
    pairing, agreement, version = me.my_pair("", as_["ada"])  # empty programme box: her only programme
    assert f"{partner}@example.org" in pairing and version == 1 and "version 1" in agreement and "## Signatures" in agreement
    assert "Read the agreement" in me.sign("Spring 2027", None, as_["ada"])  # not shown yet: not signed
    assert [b["visible"] for b in me.buttons("", as_["ada"])] == [True, True, True]  # Accept, Decline, Sign
    for name in ("ada", partner):
        assert "Accepted" in me.accept("Spring 2027", as_[name])
    assert "Your answer: accepted." in me.my_pair("", as_["ada"])[0]  # the label follows the answer
    assert [b["visible"] for b in me.buttons("", as_["ada"])] == [False, False, True]  # answered: no Accept
    assert "not the version 9 you read" in me.sign("Spring 2027", 9, as_["ada"])
    assert "now draft" in me.sign("Spring 2027", version, as_["ada"])
    assert [b["visible"] for b in me.buttons("", as_["ada"])] == [False, False, False]  # signed: no Sign
    assert "now signed" in me.sign("Spring 2027", me.my_pair("", as_[partner])[2], as_[partner])
    assert "recorded" in me.meeting("Spring 2027", "", True, as_["ada"])
    assert "never to your partner" in me.checkin("Spring 2027", 4, 5, "Good", "More time", as_["ada"])
    assert f"**Your partner: {partner.capitalize()} " in pairing and "Ada's" in pairing  # names, not emails
    summary, at_risk, risks, trend, csv_path = fac.dashboard("Spring 2027", fay)
    assert "1 signed in all" in summary and len(trend) == 2 and len(risks) == 4 and list(at_risk.columns)
    assert Path(csv_path).read_text().startswith("pair_id") and Path(csv_path).stat().st_mode & 0o777 == 0o600
    table, ics_path = fac.nudges_file("Spring 2027", fay)
    assert Path(ics_path).read_text().startswith("BEGIN:VCALENDAR") and "Meet by" in " ".join(table["nudge"])
    assert Path(ics_path).stat().st_mode & 0o777 == 0o600


def test_swap_and_lock_name_the_people_not_their_emails(services, tmp_path, small_csv, cohort_accounts):
    identity, as_ = cohort_accounts
    fac = ProgrammeHandlers(services, today=TODAY, identity=identity)
    csv = tmp_path / "c.csv"
    csv.write_text(small_csv)
    fac.create("Spring 2027", as_["fay"]), fac.import_csv("Spring 2027", str(csv), as_["fay"])
    fac.match("Spring 2027", as_["fay"])
    swapped, _ = fac.swap("Spring 2027", "ada@example.org", "chloe@example.org", as_["fay"])
    assert swapped.startswith("✅ Now ") and "Ada Lovelace" in swapped and "Chloe Diaz" in swapped and "@" not in swapped
    locked, _ = fac.lock("Spring 2027", "ada@example.org", as_["fay"])
    assert locked.startswith("🔒 Locked ") and "Ada Lovelace" in locked and "@" not in locked


def test_signatures_carry_the_signing_account(services, tmp_path, small_csv, cohort_accounts):
    from kickcoach.storage.models import Account, ContractSignature

    identity, as_ = cohort_accounts
    fac = ProgrammeHandlers(services, today=TODAY, identity=identity)
    me = ParticipantHandlers(services, fac)
    csv = tmp_path / "c.csv"
    csv.write_text(small_csv)
    fac.create("Spring 2027", as_["fay"]), fac.import_csv("Spring 2027", str(csv), as_["fay"])
    fac.match("Spring 2027", as_["fay"]), fac.publish("Spring 2027", as_["fay"])
    me.accept("", as_["ada"])
    assert "now draft" in me.sign("", me.my_pair("", as_["ada"])[2], as_["ada"])
    with services.storage.session() as s:
        ada_id = s.query(Account.id).filter(Account.name == "ada").scalar()
        assert [r.person_id for r in s.query(ContractSignature).all()] == [ada_id]


def test_without_an_email_or_without_accounts_my_programme_says_so(services, fast_hashes, login):
    from kickcoach.people.accounts import Accounts

    local = ParticipantHandlers(services, ProgrammeHandlers(services, today=TODAY))
    assert "for logged-in participants" in local.my_pair("", LOCAL)[0]
    Accounts(services.storage).add("gus", "gus-password-1", pair_id="home-9", partner="a")
    me = ParticipantHandlers(services, ProgrammeHandlers(services, today=TODAY,
                                                         identity=Identity(services.settings, services.storage)))
    assert "has no email" in me.accept("", login("gus"))
    assert "not logged in" in me.checkin("", 3, 3, "", "", login(None))


def test_opt_in_enrols_the_logged_in_person_with_their_own_email(services, cohort_accounts):
    identity, as_ = cohort_accounts
    fac = ProgrammeHandlers(services, today=TODAY, identity=identity)
    me = ParticipantHandlers(services, fac)
    fac.create("Spring 2027", as_["fay"])
    joined = me.opt_in("Spring 2027", "", "Data", "", "SQL", "speaking", True, as_["ada"])
    assert "enrolled as ada@example.org" in joined
    people = fac.service.store.participants(fac.service.store.get("Spring 2027").id)
    assert [(p.email, p.name) for p in people] == [("ada@example.org", "ada")]
    assert "No programme enrolment" in me.my_pair("", as_["ben"])[0]


@pytest.mark.parametrize("bad", ["not-a-date", "2027-13-01"])
def test_a_meeting_date_that_is_no_date_says_what_is_accepted(services, bad, small_csv, cohort_accounts):
    identity, as_ = cohort_accounts
    fac = ProgrammeHandlers(services, today=TODAY, identity=identity)
    fac.create("Spring", as_["fay"])
    fac.service.import_csv("Spring", small_csv)
    me = ParticipantHandlers(services, fac)
    said = me.meeting("Spring", bad, False, as_["ada"])
    assert said.startswith("❌ Meeting date: use a date such as 2027-03-31"), said


def test_publishing_gives_waiting_accounts_their_programme_pair(services, small_csv, fast_hashes, login):
    """Accounts made with an email and no pair join their published pair as partner a or b; one that already
    has a pair keeps it. Then the Contract tab's pair is the programme's, and signing there counts here."""
    from kickcoach.people.accounts import Accounts

    accounts = Accounts(services.storage)
    for name in ("ada", "ben", "chloe"):
        accounts.add(name, f"{name}-password-1", email=f"{name}@example.org")
    accounts.add("dev", "dev-password-1", pair_id="home-dev", partner="a", email="dev@example.org")
    assert accounts.get("ada").label() == "ada (participant, no pair yet)"
    identity = Identity(services.settings, services.storage)
    with pytest.raises(KickcoachError, match="no pair yet"):
        identity.pair_id(login("ada"))
    service = ProgrammeService(services)
    service.create("Spring 2027", today=TODAY)
    service.import_csv("Spring 2027", small_csv)
    service.match("Spring 2027")
    rows = {r.a_email: r for r in service.publish("Spring 2027", today=TODAY)} | {
        r.b_email: r for r in service.store.pairs(service.store.get("Spring 2027").id, ("published",))}
    for name in ("ada", "ben", "chloe"):
        person, row = accounts.get(name), rows[f"{name}@example.org"]
        assert person.pair_id == row.pair_id and person.partner == ("a" if row.a_email == person.email else "b")
        assert identity.pair_id(login(name)) == row.pair_id
    assert accounts.get("dev").pair_id == "home-dev"  # already had a pair: kept
    with pytest.raises(KickcoachError, match="a pair and a partner slot"):
        accounts.add("gus", "gus-password-1")  # neither a pair nor an email
