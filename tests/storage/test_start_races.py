"""Two UI processes starting at once both seed the same rows (the demo pair, its first contract version):
the one that loses the race finds the other's row instead of failing."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from kickcoach.core.errors import ConfigError
from kickcoach.storage import Storage
from kickcoach.storage.models import Pair
from kickcoach.storage.repo import START_ATTEMPTS


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


def _locked_error():
    import sqlite3

    from sqlalchemy.exc import OperationalError

    return OperationalError("SELECT 1", {}, sqlite3.OperationalError("database is locked"))


@pytest.mark.parametrize("failures", [START_ATTEMPTS - 1, START_ATTEMPTS])
def test_a_brief_lock_at_start_is_waited_out_but_a_lasting_one_is_an_error(tmp_path, monkeypatch, failures):
    """A SQLite file another process is setting up may be locked for a moment: the start retries up to
    START_ATTEMPTS times; a lock that outlasts them is the clear 'locked' error."""
    from kickcoach.storage import migrate, repo

    real, calls = migrate.upgrade, []

    def flaky(engine):
        calls.append(1)
        if len(calls) <= failures:
            raise _locked_error()
        return real(engine)

    monkeypatch.setattr(repo, "upgrade", flaky)
    monkeypatch.setattr(repo.time, "sleep", lambda s: None)
    url = f"sqlite:///{tmp_path / 'k.db'}"
    if failures < START_ATTEMPTS:
        storage = Storage(url)
        assert storage.migrated.changed and len(calls) == START_ATTEMPTS
        storage.engine.dispose()
    else:
        with pytest.raises(ConfigError, match="locked"):
            Storage(url)
        assert len(calls) == START_ATTEMPTS
