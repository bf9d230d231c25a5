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
