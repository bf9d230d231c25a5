"""Shared fixtures: a temporary home, the fake model, hashing embeddings; no network (see pyproject addopts)."""

from __future__ import annotations

import itertools
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from kickcoach.core.config import Settings
from kickcoach.knowledge.embeddings import HashingEmbeddings
from kickcoach.llm.fake import FakeChatModel
from kickcoach.services import Services

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `tests.support` (pytest runs with importlib mode)
from tests.support import postgres  # noqa: E402

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"

# No per-example deadline: CI shares 2 cores with nothing to spare, and a slow example is not a failure.
hypothesis_settings.register_profile("kickcoach", deadline=None)
# CI explores the same examples on every run (a failure there is reproducible, never a coin toss);
# developers keep random exploration. Found failures are pinned with @example.
hypothesis_settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "kickcoach")


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never see the developer's KICKCOACH_* settings or API keys."""
    for key in list(os.environ):
        if key.startswith("KICKCOACH_") or key == "OPENAI_API_KEY":
            monkeypatch.delenv(key)


@pytest.fixture(autouse=True)
def _fresh_model_server_state() -> None:
    """Model-server memory (models checked, servers cooling down, structured-output rungs) is per process:
    tests start without another test's (loopback ports are reused)."""
    import sys

    compat = sys.modules.get("kickcoach.llm.openai_compat")
    if compat is not None:
        compat._served.clear()
        compat._unanswered.clear()
    formats = sys.modules.get("kickcoach.llm.formats")
    if formats is not None:
        formats.forget()


@pytest.fixture(autouse=True)
def _hashed_guard_for_unit_tests(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Unit tests judge sentences with the hashed detector, even after an integration fixture built a real
    index (which switches the process to the MiniLM stack); restored after each test."""
    if request.node.get_closest_marker("integration") is None:
        from kickcoach.guard import suggestions

        monkeypatch.setattr(suggestions, "_stacked", None)


# --- databases: SQLite by default, a throwaway PostgreSQL cluster where asked --------------------------
TEST_DATABASE = os.environ.get("KICKCOACH_TEST_DATABASE", "sqlite")
"""``KICKCOACH_TEST_DATABASE=postgresql`` runs every test that uses the ``settings``/``services`` fixtures
on a fresh PostgreSQL database; tests in ``BOTH_DATABASES`` run on both in any case."""
if TEST_DATABASE not in ("sqlite", "postgresql"):
    raise pytest.UsageError(f"KICKCOACH_TEST_DATABASE={TEST_DATABASE!r}: use sqlite or postgresql")

BOTH_DATABASES = ("storage/", "test_isolation.py", "test_privacy_attacks.py", "people/", "programme/test_workflow.py",
                  "programme/test_followup.py", "programme/test_dashboard.py")
"""Tests (paths under tests/) that always run on SQLite and on PostgreSQL; the ``both_databases`` marker adds more."""

_TESTS_DIR = Path(__file__).resolve().parent
_database_names = itertools.count(1)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "both_databases: run on SQLite and on PostgreSQL (the database_kind fixture)")


def _on_both_databases(path: Path, node: pytest.Function | None) -> bool:
    try:
        relative = path.resolve().relative_to(_TESTS_DIR).as_posix()
    except ValueError:
        return False
    marked = node is not None and node.get_closest_marker("both_databases") is not None
    return marked or any(relative == entry or relative.startswith(entry) for entry in BOTH_DATABASES)


# The longest test files, started first: with ``-n 2 --dist loadfile`` a file stays on one worker, so a long file
# scheduled last keeps one core busy alone at the end (the blind drafts run alone took 13 of 22 minutes' tail).
# Measured with ``--durations``; the order only changes scheduling, never what runs.
SLOW_FIRST = ("tests/integration/test_drafts_blind.py", "tests/ui/test_sticky_proxy.py", "tests/ui/test_many_ui_processes.py")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Longest files first (``SLOW_FIRST``). On ``KICKCOACH_TEST_DATABASE=postgresql`` keep only the tests the
    setting changes: those whose fixtures open the test database. A test with no database, or one already run on
    both databases in the SQLite pass (``database_kind`` parametrized), would only repeat that pass
    (``KICKCOACH_TEST_EVERYTHING=1`` keeps all)."""
    rank = {name: n for n, name in enumerate(SLOW_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(rank)))  # stable: the rest keep their order
    if TEST_DATABASE != "postgresql" or os.environ.get("KICKCOACH_TEST_EVERYTHING") == "1":
        return
    keep: list[pytest.Item] = []
    drop: list[pytest.Item] = []
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        parametrized = "database_kind" in getattr(getattr(item, "callspec", None), "params", {})
        (keep if "database_url" in fixtures and not parametrized else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "database_kind" in metafunc.fixturenames and _on_both_databases(metafunc.definition.path, metafunc.definition):
        metafunc.parametrize("database_kind", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory: pytest.TempPathFactory):
    """A throwaway PostgreSQL cluster for the session (see tests/support/postgres.py); skips without binaries."""
    reason = postgres.missing_reason()
    if reason:
        pytest.skip(reason)
    server = postgres.start_postgres(tmp_path_factory.mktemp("postgres"))
    try:
        yield server
    finally:
        _dropper.shutdown(wait=True)
        server.stop()


_dropper = ThreadPoolExecutor(max_workers=1, thread_name_prefix="drop-test-databases")
"""Drops each test's database in the background: a drop waits ~0.1 s for the test's pooled connections to end."""


@pytest.fixture(scope="session")
def postgres_template(postgres_server: postgres.PostgresServer) -> str:
    """A database migrated to the newest revision once, copied for each test (a copy takes ~20 ms)."""
    from kickcoach.storage import Storage

    name = "kickcoach_template"
    storage = Storage(postgres_server.new_database(name))
    storage.engine.dispose()
    return name


@pytest.fixture
def database_kind(request: pytest.FixtureRequest) -> str:
    """``sqlite`` or ``postgresql``: parametrized for BOTH_DATABASES, else KICKCOACH_TEST_DATABASE."""
    return str(getattr(request, "param", TEST_DATABASE))


@pytest.fixture
def database_url(request: pytest.FixtureRequest, database_kind: str):
    """None (SQLite in the test's home) or the URL of a fresh PostgreSQL database, dropped after the test."""
    if database_kind == "sqlite":
        yield None
        return
    server: postgres.PostgresServer = request.getfixturevalue("postgres_server")
    template: str = request.getfixturevalue("postgres_template")
    name = f"test_{os.getpid()}_{next(_database_names)}"
    url = server.new_database(name, template=template)
    try:
        yield url
    finally:
        _dropper.submit(server.drop_database, name)


@pytest.fixture
def settings(tmp_path, database_url: str | None) -> Settings:
    return Settings(backend="fake", embeddings="hashing", home=tmp_path / "home", database_url=database_url, _env_file=None)


@pytest.fixture
def fake_model() -> FakeChatModel:
    return FakeChatModel()


@pytest.fixture
def services(settings: Settings, fake_model: FakeChatModel) -> Services:
    return Services(settings, model=fake_model, embeddings=HashingEmbeddings())


@pytest.fixture
def cli_home(monkeypatch: pytest.MonkeyPatch, tmp_path, database_url: str | None):
    """Environment for CLI tests: a temporary home, the fake model, hashing embeddings, fresh settings."""
    import kickcoach.cli.support as cli_support
    from kickcoach.core.config import get_settings

    home = tmp_path / "home"
    monkeypatch.setenv("KICKCOACH_HOME", str(home))
    if database_url:
        monkeypatch.setenv("KICKCOACH_DATABASE_URL", database_url)
    monkeypatch.setenv("KICKCOACH_BACKEND", "fake")
    monkeypatch.setenv("KICKCOACH_EMBEDDINGS", "hashing")
    monkeypatch.setattr(cli_support, "overrides", {})  # the dict the --backend option writes into
    get_settings.cache_clear()
    yield home
    get_settings.cache_clear()


# --- people: accounts with a fast hasher, and requests as a logged-in browser would send them -------
FAST_ARGON2 = {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}


def login_request(name: str | None, token: str | None = None, storage=None):
    """A request as Gradio hands it to a handler: the login name and the session cookie.

    With ``storage``, a real session is started for the account ``name`` (as the login page does); without it,
    or for a name with no account, the cookie carries a token no session has."""
    from types import SimpleNamespace

    from kickcoach.ui.identity import SESSION_COOKIE

    if name and token is None and storage is not None:
        from kickcoach.people.accounts import Accounts
        from kickcoach.people.sessions import Sessions

        person = Accounts(storage).get(name)
        token = Sessions(storage).start(person.person_id) if person else None
    cookies = {SESSION_COOKIE: token or f"token-of-{name}"} if name else {}
    return SimpleNamespace(username=name, cookies=cookies)


@pytest.fixture
def fast_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2id with tiny costs, so tests that create many accounts stay quick (the format is the same)."""
    import argon2

    from kickcoach.people import accounts

    monkeypatch.setattr(accounts, "PasswordHasher", lambda: argon2.PasswordHasher(**FAST_ARGON2))


@pytest.fixture
def people(services, fast_hashes):
    """Two pairs with accounts: demo (priya a, tom b), pair-2 (ana a, ben b), and a facilitator fay."""
    from kickcoach.bootstrap import prepare
    from kickcoach.contracts.files import demo_contract
    from kickcoach.contracts.service import save_contract
    from kickcoach.people.accounts import Accounts

    prepare(services)
    save_contract(services, demo_contract().model_copy(update={"pair_id": "pair-2", "title": "Second pair"}))
    accounts = Accounts(services.storage)
    made = {}
    for name, pair_id, partner in [("priya", "demo", "a"), ("tom", "demo", "b"), ("ana", "pair-2", "a"), ("ben", "pair-2", "b")]:
        made[name] = accounts.add(name, f"{name}-password-1", pair_id=pair_id, partner=partner)
    made["fay"] = accounts.add("fay", "fay-password-1", role="facilitator")
    return made


@pytest.fixture
def login(request: pytest.FixtureRequest):
    """``login("tom")``: a request from tom's logged-in browser, with a session started for it (see ``login_request``)."""

    def logged_in(name: str | None, token: str | None = None):
        storage = request.getfixturevalue("services").storage if name and token is None else None
        return login_request(name, token, storage)

    return logged_in


# --- the organisation's login: a local OpenID provider on loopback (tests.support.oidc_provider) ------
@pytest.fixture(scope="session")
def oidc_provider_session():
    from tests.support.oidc_provider import running_provider

    with running_provider() as provider:
        yield provider


@pytest.fixture
def oidc_provider(oidc_provider_session):
    """The session's local OpenID provider, with no users and no faults at the start of each test."""
    oidc_provider_session.users.clear()
    oidc_provider_session.faults.clear()
    yield oidc_provider_session
    oidc_provider_session.faults.clear()
