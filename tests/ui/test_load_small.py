"""The load test, small: 4 simulated users × 3 turns at once through the documented API against a real
`kickcoach ui` process (fake model, hashing embeddings), one turn at a time so the others queue; no errors
and no lost turns."""

from __future__ import annotations

import pytest

from tests.support import load, ui_server

pytestmark = pytest.mark.integration


def test_simultaneous_users_get_every_turn_answered_and_stored(tmp_path):
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    accounts = load.accounts_for(4)
    ui_server.add_accounts(url, [(a.name, a.password, a.pair, a.partner) for a in accounts])
    server = ui_server.start_ui(tmp_path / "home", {"KICKCOACH_DATABASE_URL": url, "KICKCOACH_UI_CHAT_CONCURRENCY": "1"})
    try:
        report = load.drive(server.url, accounts, 3)
    finally:
        server.stop()
    load.check_storage(report, url)
    assert report.errors == [] and report.lost == []
    assert len(report.latencies) == 12 and report.summary()["p95_s"] > 0
