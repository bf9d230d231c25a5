"""Accounts: argon2id hashes only, roles and partner slots, password changes, constant-work verification."""

import pytest

from kickcoach.core.errors import InputInvalid, NotFound
from kickcoach.people.accounts import MIN_PASSWORD_CHARS, Accounts
from tests.support.stored import stored_bytes


@pytest.fixture
def accounts(services, fast_hashes):
    return Accounts(services.storage)


def test_add_verify_and_only_a_hash_is_stored(accounts, services):
    priya = accounts.add("Priya", "correct horse battery", pair_id="demo", partner="a")
    assert (priya.role, priya.pair_id, priya.partner, priya.other_partner) == ("participant", "demo", "a", "b")
    assert accounts.verify("priya", "correct horse battery") == priya  # names are case-insensitive
    assert accounts.verify("Priya", "correct horse batterY") is None
    assert accounts.verify("nobody", "correct horse battery") is None
    data = stored_bytes(services)
    assert b"correct horse battery" not in data and b"$argon2id$" in data


def test_slots_roles_and_names_are_checked(accounts):
    accounts.add("priya", "p" * MIN_PASSWORD_CHARS, pair_id="demo", partner="a")
    with pytest.raises(InputInvalid, match="already has an account"):
        accounts.add("impostor", "p" * MIN_PASSWORD_CHARS, pair_id="demo", partner="a")
    with pytest.raises(InputInvalid, match="already an account"):
        accounts.add("PRIYA", "p" * MIN_PASSWORD_CHARS, pair_id="demo", partner="b")
    with pytest.raises(InputInvalid, match="needs a pair"):
        accounts.add("tom", "p" * MIN_PASSWORD_CHARS)
    with pytest.raises(InputInvalid, match="belongs to no pair"):
        accounts.add("fay", "p" * MIN_PASSWORD_CHARS, role="facilitator", pair_id="demo")
    with pytest.raises(InputInvalid, match="usable account name"):
        accounts.add("x y", "p" * MIN_PASSWORD_CHARS, pair_id="demo", partner="b")
    fay = accounts.add("fay", "p" * MIN_PASSWORD_CHARS, role="facilitator")
    assert fay.is_facilitator and fay.pair_id is None and fay.partner is None


def test_password_length_boundary(accounts):
    with pytest.raises(InputInvalid, match="at least"):
        accounts.add("tom", "p" * (MIN_PASSWORD_CHARS - 1), pair_id="demo", partner="b")
    assert accounts.add("tom", "p" * MIN_PASSWORD_CHARS, pair_id="demo", partner="b").name == "tom"


def test_passwd_and_remove(accounts):
    tom = accounts.add("tom", "first password", pair_id="demo", partner="b")
    accounts.set_password("tom", "second password")
    assert accounts.verify("tom", "first password") is None and accounts.verify("tom", "second password") == tom
    assert accounts.partner_of(tom) is None
    accounts.remove("tom")
    assert accounts.verify("tom", "second password") is None and accounts.list() == []
    with pytest.raises(NotFound):
        accounts.remove("tom")


def test_unknown_names_cost_one_verification_too(accounts, monkeypatch):
    accounts.add("tom", "first password", pair_id="demo", partner="b")
    calls = []
    real = accounts.hasher

    class Spy:
        def verify(self, digest, password):
            calls.append(digest)
            return real.verify(digest, password)

        def __getattr__(self, name):
            return getattr(real, name)

    monkeypatch.setattr(accounts, "hasher", Spy())
    accounts.verify("tom", "wrong")
    accounts.verify("nobody-at-all", "wrong")
    assert len(calls) == 2 and calls[1] == accounts._dummy  # same work whether or not the name exists


def test_users_file_is_imported_once_and_never_overwrites(accounts, tmp_path):
    path = tmp_path / "users.yaml"
    path.write_text("alice: {password: pw1, pair_id: p1}\nbob: {password: pw2, pair_id: p1}\nfay: {password: f, role: facilitator}\n")
    assert accounts.import_users_file(path) == ["alice", "bob", "fay"]
    accounts.set_password("alice", "a new long password")
    assert accounts.import_users_file(path) == []  # second run: nothing new, alice's new password stays
    assert accounts.verify("alice", "a new long password") and [p.partner for p in accounts.list() if p.pair_id] == ["a", "b"]
    path.write_text("alice: &x {password: pw1}\nbob: *x\n")
    with pytest.raises(InputInvalid, match="anchor or alias"):
        accounts.import_users_file(path)


# --- chats made before accounts existed (the local owner's) go to the account for that slot ----------------
def _local_chat(storage, partner, text):
    from kickcoach.core.person import local_owner

    repo = storage.for_person(local_owner("demo", partner), "demo")
    cid = repo.new_conversation("chat")
    repo.add_turn(cid, "user", text)
    repo.put_record("rehearsal", {"said": text})
    return cid


def _seen(storage, person):
    repo = storage.for_person(person, "demo")
    chats = [t.content for c in repo.conversations("chat") for t in repo.turns(c.id)]
    return chats, [r.data["said"] for r in repo.records("rehearsal")]


def test_chats_made_before_the_account_existed_are_the_account_holders(accounts, services):
    from kickcoach.core.person import local_owner

    storage = services.storage
    storage.ensure_pair("demo", "demo")
    _local_chat(storage, "a", "Priya's words before accounts")
    _local_chat(storage, "b", "Tom's words before accounts")
    priya = accounts.add("priya", "priya-password-1", pair_id="demo", partner="a")
    assert _seen(storage, priya) == (["Priya's words before accounts"], ["Priya's words before accounts"])
    _local_chat(storage, "a", "the local owner, after the account")  # e.g. the CLI without --as
    assert _seen(storage, priya) == (["Priya's words before accounts"], ["Priya's words before accounts"])
    assert _seen(storage, local_owner("demo", "a")) == (["the local owner, after the account"],) * 2
    tom = accounts.add("tom", "tom-password-1", pair_id="demo", partner="b")
    assert _seen(storage, tom) == (["Tom's words before accounts"], ["Tom's words before accounts"])
    assert "Tom's words before accounts" not in _seen(storage, priya)[0]  # each slot's rows to its own holder


def test_a_participant_who_joins_the_pair_gets_that_slots_earlier_chats(accounts, services):
    storage = services.storage
    storage.ensure_pair("pair-7", "pair-7")
    from kickcoach.core.person import local_owner

    repo = storage.for_person(local_owner("pair-7", "b"), "pair-7")
    repo.add_turn(repo.new_conversation("chat"), "user", "before the pairing")
    ada = accounts.add("ada", "ada-password-1", email="ada@example.org")
    joined = accounts.join_pair(ada.person_id, "pair-7", "b")
    mine = storage.for_person(joined, "pair-7")
    assert [t.content for c in mine.conversations("chat") for t in mine.turns(c.id)] == ["before the pairing"]
    assert accounts.join_pair(ada.person_id, "pair-8", "a").pair_id == "pair-7"  # a pair once, kept
