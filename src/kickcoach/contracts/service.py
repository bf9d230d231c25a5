"""Saving and loading a pair's contract: every version kept in storage, the current one indexed for chat."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kickcoach.contracts.files import demo_contract, dump_yaml, load_yaml
from kickcoach.contracts.models import Contract

if TYPE_CHECKING:
    from kickcoach.services import Services

DEMO_PAIR = "demo"


def load_contract(services: Services, pair_id: str, version: int | None = None) -> Contract | None:
    text = services.pair(pair_id).contract_yaml(version)
    return load_yaml(text) if text else None


def _terms(contract: Contract) -> Contract:
    return contract.model_copy(update={"status": "draft", "signatures": []})


def save_contract(services: Services, contract: Contract) -> Contract:
    """Store ``contract`` as a version (earlier versions stay) and re-index its clauses for chat.

    Signing updates the current version in place; any other change to the stored text is saved as a new
    version, so every change can be looked back on. (``Contract.edited`` already bumps the version of a
    signed contract; an unsigned draft edited in place gets its bump here.)
    """
    from kickcoach.knowledge.ingest import sync_contract

    services.storage.ensure_pair(contract.pair_id, contract.title)
    current = load_contract(services, contract.pair_id)
    if current is not None and current.version >= contract.version and _terms(current) != _terms(contract):
        contract = contract.model_copy(update={"version": current.version + 1, "status": "draft", "signatures": []})
    services.pair(contract.pair_id).save_contract_yaml(contract.version, contract.status, dump_yaml(contract))
    sync_contract(services.store, contract)
    return contract


def ensure_demo(services: Services) -> None:
    """Seed the demo pair on first start, so a newcomer sees a filled-in contract; make sure the served pair exists."""
    pair_id = services.settings.pair_id
    if pair_id == DEMO_PAIR and load_contract(services, DEMO_PAIR) is None:
        save_contract(services, demo_contract())
    services.storage.ensure_pair(pair_id, pair_id)
