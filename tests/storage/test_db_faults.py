"""Database faults: read-only, locked and unreachable databases give one clear error, and the UI keeps
what the person typed. (CI runs as root, where chmod does not stop writes: read-only is SQLite's ?mode=ro.)"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import SimpleNamespace

import pytest
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import OperationalError

from kickcoach.bootstrap import prepare
from kickcoach.core.config import Settings
from kickcoach.flows.chat import CoachChat
from kickcoach.knowledge.embeddings import HashingEmbeddings
from kickcoach.llm.fake import FakeChatModel
from kickcoach.services import Services
from kickcoach.storage.faults import DatabaseUnavailable, as_database_error, describe
from kickcoach.ui.chat_tab import KEEP, ChatHandlers
from kickcoach.ui.identity import Identity
from tests.support.ports import free_port


@pytest.fixture
def db_file(services):
    """A prepared database (demo pair, one conversation) whose file the tests then reopen read-only or lock."""
    prepare(services)
    cid = CoachChat(services).ask("demo", None, "How often should peer mentors meet?").conversation_id
    return services.settings.home / "kickcoach.db", cid


def reopened(settings: Settings, url: str) -> Services:
    return Services(settings.model_copy(update={"database_url": url}), model=FakeChatModel(), embeddings=HashingEmbeddings())


def with_query(url: str, **params: str) -> str:
    return make_url(url).update_query_dict(params).render_as_string(hide_password=False)


def read_only_url(settings: Settings) -> str:
    """The test's database opened read-only: SQLite's ?mode=ro, or PostgreSQL's read-only transactions."""
    if settings.database_url is None:
        return f"sqlite:///file:{settings.home / 'kickcoach.db'}?mode=ro&uri=true"
    return with_query(settings.database_url, options="-c default_transaction_read_only=on")


def read_only(settings: Settings, _path=None) -> Services:
    return reopened(settings, read_only_url(settings))


@contextmanager
def locked(settings: Settings) -> Iterator[str]:
    """Another program holds the database's write lock; yields a URL that waits at most 0.2 s for it."""
    if settings.database_url is None:
        path = settings.home / "kickcoach.db"
        holder = sqlite3.connect(path, isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")
        try:
            yield f"sqlite:///{path}?timeout=0.2"
        finally:
            holder.rollback()
            holder.close()
        return
    engine = create_engine(settings.database_url)
    with engine.connect() as conn:
        conn.execute(text("LOCK TABLE conversations, turns IN EXCLUSIVE MODE"))  # readers pass, writers wait
        try:
            yield with_query(settings.database_url, options="-c lock_timeout=200")
        finally:
            conn.rollback()
    engine.dispose()


def test_a_read_only_database_is_one_clear_error_and_nothing_is_half_saved(settings, db_file):
    path, cid = db_file
    svc = read_only(settings, path)
    before = svc.pair("demo").turns(cid)  # reading still works
    with pytest.raises(DatabaseUnavailable) as caught:
        CoachChat(svc).ask("demo", cid, "Is this saved?")
    assert "read-only" in str(caught.value) and "writable" in str(caught.value)  # what happened, and the fix
    assert describe(read_only_url(settings)) in str(caught.value)
    assert [t.content for t in svc.pair("demo").turns(cid)] == [t.content for t in before]


def test_a_locked_database_fails_in_the_busy_timeout_with_a_clear_error(settings, db_file):
    _, cid = db_file
    with locked(settings) as url:
        svc = reopened(settings, url)
        with pytest.raises(DatabaseUnavailable) as caught:
            CoachChat(svc).ask("demo", cid, "Anyone there?")
    assert "locked by another program" in str(caught.value) and "PostgreSQL" in str(caught.value)
    CoachChat(svc).ask("demo", cid, "Anyone there?")  # the lock is gone: the same services work again


def test_the_chat_tab_keeps_the_typed_text_when_the_database_is_read_only(settings, db_file):
    path, cid = db_file
    svc = read_only(settings, path)
    handlers = ChatHandlers(svc, Identity(svc.settings))
    request = SimpleNamespace(username=None)
    updates = list(handlers.send("  my long careful message  ", cid, request))
    assert all(box == KEEP for _, box, _ in updates)  # never cleared or changed, even for a moment
    messages, _, conversation = updates[-1]
    assert conversation == cid
    assert "read-only" in messages[-1]["content"] and "still in the box" in messages[-1]["content"]
    assert [m["content"] for m in handlers.history(cid, request) if m["role"] == "user"] == ["How often should peer mentors meet?"]


def test_the_chat_tab_clears_the_box_only_once_the_turn_is_saved(handlers_services):
    handlers = ChatHandlers(handlers_services, Identity(handlers_services.settings))
    stream = handlers.send("Hello coach", None, SimpleNamespace(username=None))
    assert next(stream)[1] == KEEP  # not saved yet: the box is left as typed
    boxes = [box for _, box, _ in stream]
    assert boxes[0] == "" and all(b == KEEP for b in boxes[1:])  # cleared once, when saved; then left alone


@pytest.fixture
def handlers_services(services):
    prepare(services)
    return services


def test_the_api_returns_the_database_error_instead_of_raising(settings, db_file):
    path, cid = db_file
    svc = read_only(settings, path)
    answer = ChatHandlers(svc, Identity(svc.settings)).api_send("hello", cid, SimpleNamespace(username=None))
    assert answer["reply"] == "" and "read-only" in answer["error"]


def test_the_cli_prints_one_error_line_and_no_traceback(cli_home, monkeypatch, capsys):
    import kickcoach.cli.main as cli
    from kickcoach.core.config import get_settings

    with pytest.raises(SystemExit):
        monkeypatch.setattr(sys, "argv", ["kickcoach", "chat", "-m", "first"])
        cli.main()  # creates the database
    capsys.readouterr()
    monkeypatch.setenv("KICKCOACH_DATABASE_URL", read_only_url(get_settings()))
    get_settings.cache_clear()
    monkeypatch.setattr(sys, "argv", ["kickcoach", "chat", "-m", "second"])
    with pytest.raises(SystemExit) as exited:
        cli.main()
    err = capsys.readouterr().err
    assert exited.value.code == 2
    assert err.startswith("Error: The database") and "read-only" in err and "Traceback" not in err
    assert " ".join(err.split()).count("Error:") == 1


def _operational(message: str) -> OperationalError:
    return OperationalError("INSERT …", {}, Exception(message))


@pytest.mark.parametrize(
    ("driver_says", "we_say"),
    [
        ("attempt to write a readonly database", "is read-only"),
        ("cannot execute INSERT in a read-only transaction", "is read-only"),
        ("database is locked", "locked by another program"),
        ('connection failed: connection to server at "127.0.0.1", port 5999 failed: Connection refused', "Cannot reach"),
        ('FATAL:  password authentication failed for user "coach"', "refused the login"),
        ("database or disk is full", "is full"),
        ("unable to open database file", "Cannot open the database file"),
        ("something nobody foresaw", "failed: something nobody foresaw"),
    ],
)
def test_driver_messages_map_to_what_happened_and_the_fix(driver_says, we_say):
    mapped = as_database_error(_operational(driver_says), "postgresql+psycopg://coach:s3cret@db.example:5432/kick")
    assert mapped is not None and we_say in str(mapped) and mapped.fix
    assert "s3cret" not in str(mapped)


def test_only_operational_errors_are_mapped():
    from sqlalchemy.exc import IntegrityError

    assert as_database_error(IntegrityError("INSERT", {}, Exception("UNIQUE constraint failed")), "sqlite://") is None
    assert as_database_error(ValueError("database is locked"), "sqlite://") is None


def test_describe_names_the_database_without_its_password():
    assert describe("postgresql+psycopg://u:pw@h:5433/kick") == "h:5433/kick"
    assert describe("sqlite:////tmp/x/kickcoach.db") == "/tmp/x/kickcoach.db"
    assert describe("sqlite:///file:/tmp/x.db?mode=ro&uri=true") == "/tmp/x.db"


def test_an_unreachable_server_at_start_is_a_config_error_naming_the_fix(tmp_path):
    from kickcoach.core.errors import ConfigError
    from kickcoach.storage import Storage

    port = free_port()  # a loopback port with nothing listening
    pytest.importorskip("psycopg")
    with pytest.raises(ConfigError) as caught:
        Storage(f"postgresql+psycopg://coach:pw@127.0.0.1:{port}/kick?connect_timeout=2")
    assert "Cannot reach the database server" in str(caught.value) and "pw@" not in str(caught.value)
