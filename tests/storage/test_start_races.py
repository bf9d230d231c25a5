"""Two UI processes starting at once both seed the same rows (the demo pair, its first contract version):
the one that loses the race finds the other's row instead of failing."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from kickcoach.storage.models import Pair


def lose_the_first_check(monkeypatch: pytest.MonkeyPatch, method: str) -> None:
    """The first lookup answers "not there" although another process has just written the row."""
    real = getattr(Session, method)
    calls = {"n": 0}

    def racing(self, *args, **kwargs):
        calls["n"] += 1
        return None if calls["n"] == 1 else real(self, *args, **kwargs)

    monkeypatch.setattr(Session, method, racing)


def test_ensure_pair_keeps_the_pair_another_process_just_added(services, monkeypatch):
    services.storage.ensure_pair("p9", "added by the other process")
    lose_the_first_check(monkeypatch, "get")
    services.storage.ensure_pair("p9", "ours")
    monkeypatch.undo()
    with services.storage.session() as s:
        assert s.get(Pair, "p9").name == "added by the other process"


def test_saving_a_contract_version_another_process_just_saved_updates_it(services, monkeypatch):
    services.storage.ensure_pair("p9", "p9")
    repo = services.storage.for_pair("p9")
    repo.save_contract_yaml(1, "draft", "title: same\n")
    lose_the_first_check(monkeypatch, "scalar")
    repo.save_contract_yaml(1, "draft", "title: same\n")
    monkeypatch.undo()
    assert repo.contract_versions() == [(1, "draft")] and repo.contract_yaml(1) == "title: same\n"
