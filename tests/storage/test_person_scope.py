"""The person-scoped choke point: private rows are their owner's, shared rows the pair's, across pairs nothing."""

import datetime as dt

import pytest
import sqlalchemy as sa

from kickcoach.core.errors import InputInvalid, IsolationError, NotFound
from kickcoach.people import Person, local_owner
from kickcoach.storage import SHARED_KINDS, Storage

PRIYA = Person("p-priya", "Priya", pair_id="demo", partner="a")
TOM = Person("p-tom", "Tom", pair_id="demo", partner="b")
ANA = Person("p-ana", "Ana", pair_id="pair-2", partner="a")
FAY = Person("p-fay", "Fay", role="facilitator")


@pytest.fixture
def storage(services):
    for pair_id in ("demo", "pair-2"):
        services.storage.ensure_pair(pair_id, pair_id)
    return services.storage


def test_conversations_are_private_to_their_person(storage):
    mine = storage.for_person(PRIYA)
    cid = mine.new_conversation()
    mine.add_turn(cid, "user", "partner Tom is lazy")
    partner = storage.for_person(TOM)
    assert partner.conversations() == []
    with pytest.raises(NotFound):
        partner.turns(cid)
    with pytest.raises(NotFound):
        partner.add_turn(cid, "user", "let me in")
    assert [t.content for t in mine.turns(cid)] == ["partner Tom is lazy"]


def test_private_records_hidden_shared_kinds_visible_and_shared_drafts_read_only(storage):
    mine, partner = storage.for_person(PRIYA), storage.for_person(TOM)
    draft = mine.put_record("feedback", {"criticism": "Tom is lazy"})
    review = mine.put_record("review", {"date": "2026-11-26"})
    assert "review" in SHARED_KINDS and "feedback" not in SHARED_KINDS
    assert partner.records("feedback") == [] and [r.id for r in partner.records("review")] == [review]
    for attempt in (lambda: partner.get_record(draft), lambda: partner.put_record("feedback", {"x": 1}, draft),
                    lambda: partner.share_record(draft)):
        with pytest.raises(NotFound):
            attempt()
    partner.put_record("review", {"date": "2026-11-26", "b": "my turn"}, review)  # each partner writes their turn
    mine.share_record(draft)  # Priya chooses to share this one
    assert [r.id for r in partner.shared_with_me("feedback")] == [draft]
    with pytest.raises(NotFound):
        partner.put_record("feedback", {"criticism": "edited"}, draft)  # shared is readable, not writable
    assert mine.shared_with_me("feedback") == []


def test_other_pairs_and_facilitators_get_nothing_private(storage):
    mine = storage.for_person(PRIYA)
    cid = mine.new_conversation()
    rid = mine.put_record("rehearsal", {"secret": 1})
    with pytest.raises(NotFound):
        storage.for_person(ANA, "demo")  # another pair is not found
    other = storage.for_person(ANA)
    with pytest.raises(NotFound):
        other.turns(cid)
    with pytest.raises(NotFound):
        other.get_record(rid)
    with pytest.raises(IsolationError):
        storage.for_person(FAY)
    shared_only = storage.for_pair("demo")  # programme code: shared data only
    with pytest.raises(IsolationError):
        shared_only.conversations()
    with pytest.raises(IsolationError):
        shared_only.records("rehearsal")
    with pytest.raises(NotFound):
        shared_only.get_record(rid)


def test_signatures_are_append_only_and_a_signed_version_is_never_rewritten(storage):
    mine, partner = storage.for_person(PRIYA), storage.for_person(TOM)
    mine.save_contract_yaml(1, "draft", "title: v1\n")
    mine.save_contract_yaml(1, "draft", "title: v1 fixed\n")  # unsigned draft: fixed in place
    at = dt.datetime(2026, 12, 1, 9, 30)
    sig = mine.add_signature(1, at)
    assert (sig.partner, sig.person_id, sig.version) == ("a", "p-priya", 1)
    with pytest.raises(InputInvalid):
        mine.add_signature(1, at)  # once per partner and version
    with pytest.raises(InputInvalid):
        partner.save_contract_yaml(1, "draft", "title: rewritten after signing\n")
    partner.add_signature(1, at)
    assert [s.partner for s in mine.signatures(1)] == ["a", "b"]
    assert mine.contract_yaml(1) == "title: v1 fixed\n"
    with pytest.raises(IsolationError):
        storage.for_pair("demo").add_signature(1, at)  # a signature always has a person


def test_an_old_database_gains_the_new_columns_and_its_rows_go_to_the_local_owner(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = sa.create_engine(url)
    with engine.begin() as c:
        c.execute(sa.text("CREATE TABLE pairs (id VARCHAR(64) PRIMARY KEY, name VARCHAR(200), created_at DATETIME)"))
        c.execute(sa.text("CREATE TABLE conversations (id VARCHAR(36) PRIMARY KEY, pair_id VARCHAR(64), flow VARCHAR(20), "
                          "title VARCHAR(200), created_at DATETIME)"))
        c.execute(sa.text("INSERT INTO pairs VALUES ('demo', 'demo', '2026-01-01')"))
        c.execute(sa.text("INSERT INTO conversations VALUES ('c1', 'demo', 'chat', 'old chat', '2026-01-01')"))
    storage = Storage(url)
    assert [c.id for c in storage.for_person(local_owner("demo")).conversations()] == ["c1"]
    assert storage.for_person(TOM).conversations() == []
