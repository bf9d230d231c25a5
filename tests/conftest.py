"""Shared fixtures: a temporary home, the fake model, hashing embeddings; no network (see pyproject addopts)."""

from __future__ import annotations

import os

import pytest
from hypothesis import settings as hypothesis_settings

from kickcoach.config import Settings
from kickcoach.knowledge.embeddings import HashingEmbeddings
from kickcoach.llm.fake import FakeChatModel
from kickcoach.services import Services

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


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(backend="fake", embeddings="hashing", home=tmp_path / "home", _env_file=None)


@pytest.fixture
def fake_model() -> FakeChatModel:
    return FakeChatModel()


@pytest.fixture
def services(settings: Settings, fake_model: FakeChatModel) -> Services:
    return Services(settings, model=fake_model, embeddings=HashingEmbeddings())


@pytest.fixture
def cli_home(monkeypatch: pytest.MonkeyPatch, tmp_path):
    """Environment for CLI tests: a temporary home, the fake model, hashing embeddings, fresh settings."""
    from kickcoach import cli_support
    from kickcoach.config import get_settings

    home = tmp_path / "home"
    monkeypatch.setenv("KICKCOACH_HOME", str(home))
    monkeypatch.setenv("KICKCOACH_BACKEND", "fake")
    monkeypatch.setenv("KICKCOACH_EMBEDDINGS", "hashing")
    monkeypatch.setattr(cli_support, "overrides", {})  # the dict the --backend option writes into
    get_settings.cache_clear()
    yield home
    get_settings.cache_clear()


# --- people: accounts with a fast hasher, and requests as a logged-in browser would send them -------
FAST_ARGON2 = {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}


def login_request(name: str | None, token: str | None = None):
    """A request as Gradio hands it to a handler: the login name and the session cookie."""
    from types import SimpleNamespace

    cookies = {"access-token-test": token or f"token-of-{name}"} if name else {}
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
def login():
    """``login("tom")``: a request from tom's logged-in browser (see ``login_request``)."""
    return login_request
