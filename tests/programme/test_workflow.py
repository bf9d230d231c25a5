"""Match → review (swap, lock) → publish (pair record + draft agreement) → accept/decline → sign → dashboard."""

import datetime as dt

import pytest

from kickcoach.contracts.service import load_contract
from kickcoach.core.errors import InputInvalid
from kickcoach.programme.dashboard import build_dashboard
from kickcoach.programme.followup import sync_agreements

KICKOFF = dt.date(2027, 1, 4)


@pytest.fixture
def enrolled(programme_service, spring, small_csv):
    programme_service.import_csv("Spring 2027", small_csv)
    return programme_service


def _pairs(report):
    return {frozenset((p["a"], p["b"])) for p in report.pairs}


def test_match_pairs_complements_and_respects_the_manager_rule(enrolled):
    report = enrolled.match("Spring 2027")
    assert _pairs(report) == {frozenset({"ada@example.org", "ben@example.org"}),
                              frozenset({"chloe@example.org", "dev@example.org"})}
    ada_ben = next(p for p in report.pairs if "ada@example.org" in (p["a"], p["b"]))
    assert ada_ben["why"]["a_meets_b"] and ada_ben["why"]["b_meets_a"] and ada_ben["score"] > 0.5
    assert report.unpaired == [] and report.total >= report.greedy_total - 1e-9


def test_swap_lock_and_rematch(enrolled):
    enrolled.match("Spring 2027")
    with pytest.raises(InputInvalid, match="cannot be paired"):  # dev's manager is ben
        enrolled.swap("Spring 2027", "ada@example.org", "dev@example.org")
    made = enrolled.swap("Spring 2027", "ada@example.org", "chloe@example.org")
    assert {frozenset((r.a_email, r.b_email)) for r in made} == {frozenset({"ben@example.org", "chloe@example.org"}),
                                                                  frozenset({"dev@example.org", "ada@example.org"})}
    enrolled.lock("Spring 2027", "chloe@example.org")
    again = enrolled.match("Spring 2027")
    assert frozenset({"ben@example.org", "chloe@example.org"}) in _pairs(again)
    locked = [p for p in again.pairs if p["locked"]]
    assert len(locked) == 1
    with pytest.raises(InputInvalid, match="locked"):
        enrolled.swap("Spring 2027", "ben@example.org", "ada@example.org")


def test_publish_creates_pair_records_and_prefilled_drafts(enrolled, services):
    enrolled.match("Spring 2027")
    rows = enrolled.publish("Spring 2027", today=KICKOFF)
    assert len(rows) == 2 and all(r.state == "published" and r.agreement_due == dt.date(2027, 2, 1) for r in rows)
    row = next(r for r in rows if "ada@example.org" in (r.a_email, r.b_email))
    assert row.pair_id in services.storage.pair_ids()
    contract = load_contract(services, row.pair_id)
    assert contract.status == "draft"
    ada = next(p for p in contract.partners if p.name == "Ada Lovelace")
    assert ada.offers == ["SQL queries", "Python scripts"] and ada.needs == ["public speaking practice"]
    assert [g.what for g in ada.goals] == ["public speaking practice"]
    with pytest.raises(InputInvalid, match="no proposed pairs"):
        enrolled.publish("Spring 2027", today=KICKOFF)


def test_late_publication_gets_its_own_due_date(enrolled):
    enrolled.match("Spring 2027")
    rows = enrolled.publish("Spring 2027", today=dt.date(2027, 1, 28))
    assert rows[0].agreement_due == dt.date(2027, 1, 28) + dt.timedelta(weeks=4)


def test_accept_sign_and_dashboard_sees_the_signature(enrolled, services):
    enrolled.match("Spring 2027")
    rows = enrolled.publish("Spring 2027", today=KICKOFF)
    with pytest.raises(InputInvalid, match="Accept"):
        enrolled.sign("Spring 2027", "ada@example.org")
    for email in ("ada@example.org", "ben@example.org"):
        enrolled.respond("Spring 2027", email, accept=True)
    assert enrolled.sign("Spring 2027", "ada@example.org", now=dt.datetime(2027, 1, 20, 9)) == "draft"
    assert enrolled.sign("Spring 2027", "ben@example.org", now=dt.datetime(2027, 1, 21, 9)) == "signed"
    programme = enrolled.store.get("Spring 2027")
    board = build_dashboard(enrolled.store, programme, dt.date(2027, 2, 2))
    assert board.metrics["signed"] == 1 and board.metrics["signed_on_time"] == 1 and board.metrics["agreements_due"] == 2
    assert board.metrics["matched_share"] == 1.0
    other = next(r for r in rows if "chloe@example.org" in (r.a_email, r.b_email))
    assert "agreement unsigned past its due date (2027-02-01)" in board.pairs.set_index("pair_id").loc[other.pair_id, "risks"]


def test_sync_copies_signatures_made_in_the_contract_tab(enrolled, services):
    from kickcoach.contracts.service import sign_contract
    from kickcoach.core.person import local_owner

    enrolled.match("Spring 2027")
    row = enrolled.publish("Spring 2027", today=KICKOFF)[0]
    for side, day in (("a", 10), ("b", 12)):  # each partner signs as themselves, as in the Contract tab
        sign_contract(services.as_speaker(local_owner(row.pair_id, side)), row.pair_id, dt.datetime(2027, 1, day, 9))
    programme = enrolled.store.get("Spring 2027")
    assert sync_agreements(services, enrolled.store, programme) == 1
    assert enrolled.store.pair(programme.id, row.pair_id).agreement_signed_on == dt.date(2027, 1, 12)
    assert sync_agreements(services, enrolled.store, programme) == 0


def test_decline_closes_the_draft_and_the_pair_is_never_proposed_again(enrolled, services):
    enrolled.match("Spring 2027")
    rows = enrolled.publish("Spring 2027", today=KICKOFF)
    row = next(r for r in rows if "ada@example.org" in (r.a_email, r.b_email))
    declined = enrolled.respond("Spring 2027", "ben@example.org", accept=False)
    assert declined.state == "declined" and load_contract(services, row.pair_id).status == "closed"
    again = enrolled.match("Spring 2027")
    assert frozenset({"ada@example.org", "ben@example.org"}) not in _pairs(again)
    assert {u["email"] for u in again.unpaired} == {"ada@example.org", "ben@example.org"}
