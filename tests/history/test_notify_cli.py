"""``kickcoach notify`` on the command line: a dry run with an account that has an email lists what would be
sent and sends nothing; an unknown account to unsubscribe is a clear error."""

from __future__ import annotations

from typer.testing import CliRunner

from kickcoach.cli.main import app
from kickcoach.contracts.files import demo_contract
from kickcoach.contracts.service import save_contract
from kickcoach.core.config import get_settings
from kickcoach.people.accounts import Accounts
from kickcoach.services import Services


def test_dry_run_lists_the_digest_and_unknown_accounts_are_refused(cli_home, fast_hashes):
    services = Services(get_settings())
    save_contract(services, demo_contract())
    Accounts(services.storage).add("priya", "priya-password-1", pair_id="demo", partner="a", email="priya@example.org")
    result = CliRunner().invoke(app, ["notify", "--dry-run", "--today", "2026-12-07"])
    assert result.exit_code == 0, result.output
    assert "priya <priya@example.org>: would send" in result.output
    assert "Contract review date: Monday 7 December 2026" in result.output
    refused = CliRunner().invoke(app, ["notify", "--unsubscribe", "nobody"])
    assert refused.exit_code != 0
