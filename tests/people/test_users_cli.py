"""``kickcoach users …``, signing from the CLI as yourself, ``chat --as``, and the UI's exposure refusal."""

import json

import pytest
from typer.testing import CliRunner

from kickcoach.cli.main import app


@pytest.fixture
def runner(cli_home, fast_hashes):
    return CliRunner()


def run(runner, *args, stdin=None):
    result = runner.invoke(app, list(args), input=stdin)
    result.error = str(result.exception or "")  # the message main() would print
    return result


def test_add_list_passwd_remove_without_secrets(runner, cli_home):
    assert run(runner, "users", "add", "priya", "--pair", "demo", "--partner", "a", "--password-stdin",
               stdin="priya-password-1\n").exit_code == 0
    run(runner, "users", "add", "fay", "--role", "facilitator", "--password-stdin", stdin="fay-password-1\n")
    listed = run(runner, "users", "list", "--json")
    rows = json.loads(listed.stdout)
    none = {"email": None, "display_name": None}
    assert rows == [{"name": "fay", "role": "facilitator", "pair_id": None, "partner": None, **none},
                    {"name": "priya", "role": "participant", "pair_id": "demo", "partner": "a", **none}]
    assert "argon2" not in listed.stdout and "password" not in listed.stdout
    assert run(runner, "users", "passwd", "priya", "--password-stdin", stdin="another-password\n").exit_code == 0
    clash = run(runner, "users", "add", "tom", "--pair", "demo", "--partner", "a", "--password-stdin", stdin="tom-password-1\n")
    assert clash.exit_code != 0 and "already has an account" in clash.error
    assert run(runner, "users", "remove", "fay").exit_code == 0
    assert [r["name"] for r in json.loads(run(runner, "users", "list", "--json").stdout)] == ["priya"]
    data = b"".join(f.read_bytes() for f in cli_home.rglob("*") if f.is_file())
    assert b"priya-password-1" not in data and b"another-password" not in data


def test_cli_signing_is_as_yourself(runner):
    run(runner, "users", "add", "tom", "--pair", "demo", "--partner", "b", "--password-stdin", stdin="tom-password-1\n")
    assert "status: draft" in run(runner, "contract", "sign", "demo", "--partner", "a").stdout  # no account holds a
    taken = run(runner, "contract", "sign", "demo", "--partner", "b")
    assert taken.exit_code != 0 and "only they can sign" in taken.error
    wrong = run(runner, "contract", "sign", "demo", "--as", "tom", "--password-stdin", stdin="nope\n")
    assert wrong.exit_code != 0 and "wrong name, password or pair" in wrong.error
    signed = run(runner, "contract", "sign", "demo", "--as", "tom", "--password-stdin", stdin="tom-password-1\n")
    assert "Tom Ellis signed version 1; status: signed" in signed.stdout


def test_import_ignores_signatures_and_status_with_a_note(runner, tmp_path):
    from kickcoach.contracts.files import demo_contract, dump_yaml

    exported = run(runner, "contract", "export", "demo").stdout
    forged = exported.replace("status: draft", "status: active").replace(
        "signatures: []", "signatures:\n- {partner: a, signed_at: 2020-01-01T00:00:00, version: 1}\n"
        "- {partner: b, signed_at: 2020-01-01T00:00:00, version: 1}")
    assert forged != exported and dump_yaml(demo_contract())
    path = tmp_path / "forged.yaml"
    path.write_text(forged)
    result = run(runner, "contract", "import", str(path))
    assert "signatures and status in the YAML were ignored" in result.output
    assert "status: draft" in run(runner, "contract", "export", "demo").stdout


def test_chat_as_an_account_and_as_the_local_owner(runner):
    run(runner, "users", "add", "tom", "--pair", "demo", "--partner", "b", "--password-stdin", stdin="tom-password-1\n")
    mine = json.loads(run(runner, "chat", "-m", "What are my goals?", "--json", "--as", "tom").stdout)
    assert mine["sources"] and all("Priya" not in s["heading"] for s in mine["sources"])
    local = json.loads(run(runner, "chat", "-m", "What are my goals?", "--json").stdout)
    assert all("Tom" not in s["heading"] for s in local["sources"])  # the local owner is partner a
    huge = run(runner, "chat", "-m", "x" * 1_000_000)
    assert huge.exit_code != 0 and "limit is 4,000" in huge.error


def test_ui_refuses_a_public_host_without_accounts(runner, monkeypatch):
    import kickcoach.ui.app

    monkeypatch.setenv("KICKCOACH_UI_HOST", "0.0.0.0")
    monkeypatch.setattr(kickcoach.ui.app, "launch", lambda *a, **k: pytest.fail("the UI was launched"))
    result = run(runner, "ui")
    assert result.exit_code != 0 and "without accounts" in result.error and "kickcoach users add" in result.error


def test_an_accounts_email_links_its_programme_enrolments_either_way(runner, tmp_path):
    """Enrolled first and account later, or account first and enrolled later: linked by email, any case."""
    cohort = tmp_path / "cohort.csv"
    cohort.write_text("name,email,team,manager,offers,needs\n"
                      "Ada Lovelace,Ada@Example.org,Data,,SQL,speaking\nBen Okafor,ben@example.org,Sales,,speaking,SQL\n")
    assert run(runner, "programme", "create", "Spring 2027").exit_code == 0
    assert run(runner, "programme", "import", "Spring 2027", str(cohort)).exit_code == 0
    added = run(runner, "users", "add", "ada", "--pair", "p1", "--partner", "a", "--email", "ADA@example.ORG",
                "--name", "Ada Lovelace", "--password-stdin", stdin="ada-password-1\n")
    assert added.exit_code == 0 and "email ada@example.org, linked to 1 programme enrolment(s)" in added.stdout
    run(runner, "users", "add", "ben", "--pair", "p1", "--partner", "b", "--password-stdin", stdin="ben-password-1\n")
    linked = run(runner, "users", "email", "ben", "Ben@Example.org")
    assert linked.exit_code == 0 and "linked to 1 programme enrolment(s)" in linked.stdout
    rows = {r["name"]: r for r in json.loads(run(runner, "users", "list", "--json").stdout)}
    assert rows["ada"]["email"] == "ada@example.org" and rows["ada"]["display_name"] == "Ada Lovelace"
    clash = run(runner, "users", "add", "ada2", "--pair", "p2", "--partner", "a", "--email", "ada@EXAMPLE.org",
                "--password-stdin", stdin="ada-password-2\n")
    assert clash.exit_code != 0 and "already has the email" in clash.error
    bad = run(runner, "users", "email", "ben", "not-an-email")
    assert bad.exit_code != 0 and "not an email address" in bad.error
    assert "no email; linked to 0" in run(runner, "users", "email", "ben", "").stdout  # cleared: unlinked
