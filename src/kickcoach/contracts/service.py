"""Saving, loading and signing a pair's contract: every version kept in storage, the current one indexed for chat.

Storage and the index are reached through the ``Services`` handed in (``services.pair``,
``services.index_contract``), so this domain package imports neither.

A version's text holds its content only. Its status and signatures come from storage: signatures are
append-only rows (who, which partner, when, which version, a hash of the text signed), written only
by ``sign_contract`` for the speaker's own partner slot. Signatures or a status inside a saved file are
ignored (``ignored_lifecycle`` says when, for a note), and a version anyone has signed is never rewritten.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from kickcoach.contracts.files import demo_contract, dump_yaml, load_yaml
from kickcoach.contracts.models import Contract, Signature
from kickcoach.core.errors import NotFound

if TYPE_CHECKING:
    from kickcoach.services import Services
    from kickcoach.storage import PairRepo

DEMO_PAIR = "demo"
LIFECYCLE_NOTE = (
    "The signatures and status in the YAML were ignored: a contract is signed only by each partner "
    "pressing Sign for themselves (or `kickcoach contract sign`)."
)


def load_contract(services: Services, pair_id: str, version: int | None = None) -> Contract | None:
    return read_contract(services.pair(pair_id), version)


def read_contract(repo: PairRepo, version: int | None = None) -> Contract | None:
    """The pair's contract (``version``, else the latest) as ``repo``'s person sees it, with its signatures."""
    row = repo.contract_row(version)
    if row is None:
        return None
    contract = load_yaml(row.yaml)
    signed = repo.signatures(row.version)
    if not signed:  # a version stored before signatures had their own rows keeps what its text said
        return contract if contract.signatures else contract.model_copy(update={"status": row.status})
    signatures = [Signature(partner=s.partner, signed_at=s.signed_at, version=s.version) for s in signed]
    return contract.model_copy(update={"status": row.status, "signatures": signatures})


def _terms(contract: Contract) -> Contract:
    return contract.model_copy(update={"status": "draft", "signatures": []})


def ignored_lifecycle(given: Contract, current: Contract | None) -> bool:
    """Did ``given`` (e.g. an edited file) carry signatures or a status that saving will ignore?"""
    if current is None:
        return bool(given.signatures) or given.status != "draft"
    same_version = given.version == current.version
    return (given.signatures and given.signatures != (current.signatures if same_version else [])) or (
        given.status not in ("draft", current.status if same_version else "draft")
    )


def save_contract(services: Services, contract: Contract) -> Contract:
    """Store ``contract``'s content as a version (earlier versions stay) and re-index its clauses for chat.

    Unchanged content saves nothing; changed content is a new draft version. Status and signatures in
    ``contract`` are ignored: only ``sign_contract`` adds a signature.
    """
    services.storage.ensure_pair(contract.pair_id, contract.title)
    current = load_contract(services, contract.pair_id)
    if current is not None and _terms(current) == _terms(contract.model_copy(update={"version": current.version})):
        return current
    version = contract.version if current is None or contract.version > current.version else current.version + 1
    content = _terms(contract.model_copy(update={"version": version}))
    services.pair(contract.pair_id).save_contract_yaml(version, "draft", dump_yaml(content))
    services.index_contract(content)
    return content


def sign_contract(services: Services, pair_id: str, at: dt.datetime | None = None) -> Contract:
    """Sign the current version as the speaker of ``services`` (their own partner slot, never another)."""
    repo = services.pair(pair_id)
    current = load_contract(services, pair_id)
    if current is None:
        raise NotFound(f"Pair {pair_id!r} has no contract yet", "save a contract before signing")
    assert repo.person is not None and repo.person.partner is not None  # for_person guarantees both
    current.sign(repo.person.partner, at or dt.datetime.now().replace(microsecond=0))  # the model's rules first
    repo.add_signature(current.version, at or dt.datetime.now().replace(microsecond=0))
    if {s.partner for s in repo.signatures(current.version)} >= {"a", "b"}:
        repo.set_contract_status(current.version, "signed")
    signed = load_contract(services, pair_id)
    assert signed is not None
    services.index_contract(signed)
    return signed


def close_contract(services: Services, pair_id: str) -> Contract:
    """Close the current version (a declined pairing, or a partnership that ended); the text stays as it was."""
    current = load_contract(services, pair_id)
    if current is None:
        raise NotFound(f"Pair {pair_id!r} has no contract yet", "nothing to close")
    current.close()  # the model's lifecycle rules first
    services.pair(pair_id).set_contract_status(current.version, "closed")
    closed = load_contract(services, pair_id)
    assert closed is not None
    services.index_contract(closed)
    return closed


def ensure_demo(services: Services) -> None:
    """Seed the demo pair on first start, so a newcomer sees a filled-in contract; make sure the served pair exists."""
    pair_id = services.settings.pair_id
    if pair_id == DEMO_PAIR and load_contract(services, DEMO_PAIR) is None:
        save_contract(services, demo_contract())
    services.storage.ensure_pair(pair_id, pair_id)
