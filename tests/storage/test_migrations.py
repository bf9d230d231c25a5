"""The Alembic migrations: they build exactly the models' schema, on SQLite and on PostgreSQL (each test here
runs on both, see conftest ``BOTH_DATABASES``), and they adopt databases made before migrations in place."""

from __future__ import annotations

import itertools
import json
import threading

import pytest
import sqlalchemy as sa

from kickcoach.core.person import Person
from kickcoach.storage import Storage, migrate
from kickcoach.storage.models import Base

_names = itertools.count(1)


@pytest.fixture
def empty_url(request, database_kind, tmp_path):
    """The URL of an empty database (no tables, no alembic_version)."""
    if database_kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    server = request.getfixturevalue("postgres_server")
    name = f"migrations_{next(_names)}"
    url = server.new_database(name)
    yield url
    server.drop_database(name)


def _legacy_v0(metadata: sa.MetaData) -> None:
    """The tables as the first release created them (``create_all``; before people and programmes)."""
    S, DT = sa.String, sa.DateTime
    sa.Table("pairs", metadata, sa.Column("id", S(64), primary_key=True), sa.Column("name", S(200), nullable=False),
             sa.Column("created_at", DT, nullable=False))
    sa.Table("contract_versions", metadata, sa.Column("id", sa.Integer, primary_key=True),
             sa.Column("pair_id", S(64), sa.ForeignKey("pairs.id"), nullable=False, index=True),
             sa.Column("version", sa.Integer, nullable=False), sa.Column("status", S(20), nullable=False),
             sa.Column("yaml", sa.Text, nullable=False), sa.Column("created_at", DT, nullable=False),
             sa.UniqueConstraint("pair_id", "version"))
    sa.Table("conversations", metadata, sa.Column("id", S(36), primary_key=True),
             sa.Column("pair_id", S(64), sa.ForeignKey("pairs.id"), nullable=False, index=True),
             sa.Column("flow", S(20), nullable=False), sa.Column("title", S(200), nullable=False),
             sa.Column("created_at", DT, nullable=False))
    sa.Table("turns", metadata, sa.Column("id", sa.Integer, primary_key=True),
             sa.Column("conversation_id", S(36), sa.ForeignKey("conversations.id"), nullable=False, index=True),
             sa.Column("pair_id", S(64), sa.ForeignKey("pairs.id"), nullable=False, index=True),
             sa.Column("role", S(20), nullable=False), sa.Column("content", sa.Text, nullable=False),
             sa.Column("created_at", DT, nullable=False), sa.Column("sources", sa.JSON, nullable=False),
             sa.Column("guard", sa.JSON, nullable=False), sa.Column("model", S(200)), sa.Column("prompt", S(100)),
             sa.Column("tokens_in", sa.Integer), sa.Column("tokens_out", sa.Integer), sa.Column("latency_s", sa.Float),
             sa.Column("error", sa.Text))
    sa.Table("records", metadata, sa.Column("id", S(36), primary_key=True),
             sa.Column("pair_id", S(64), sa.ForeignKey("pairs.id"), nullable=False, index=True),
             sa.Column("kind", S(40), nullable=False, index=True), sa.Column("data", sa.JSON, nullable=False),
             sa.Column("created_at", DT, nullable=False), sa.Column("updated_at", DT, nullable=False))


def _seed_v0(conn: sa.Connection) -> None:
    at = "2026-11-01 09:00:00"
    conn.execute(sa.text(f"INSERT INTO pairs VALUES ('demo', 'Demo', '{at}')"))
    conn.execute(sa.text(f"INSERT INTO conversations VALUES ('c1', 'demo', 'chat', 'old chat', '{at}')"))
    conn.execute(sa.text("INSERT INTO turns (conversation_id, pair_id, role, content, created_at, sources, guard) "
                         f"VALUES ('c1', 'demo', 'user', 'I missed my deadline', '{at}', '[]', '{{}}')"))
    for rid, kind in (("r-review", "review"), ("r-rehearsal", "rehearsal")):
        conn.execute(sa.text(f"INSERT INTO records VALUES ('{rid}', 'demo', '{kind}', '{{}}', '{at}', '{at}')"))


def _owners(engine: sa.Engine) -> dict[str, str | None]:
    with engine.connect() as conn:
        rows = [*conn.execute(sa.text("SELECT 'conversation', owner_id FROM conversations")),
                *conn.execute(sa.text("SELECT 'turn', owner_id FROM turns")),
                *conn.execute(sa.text("SELECT id, owner_id FROM records"))]
    return {str(k): v for k, v in rows}


def test_the_head_constant_names_the_newest_migration_file():
    assert migrate.script_heads() == [migrate.HEAD]


def test_the_migrations_build_exactly_the_models_schema(empty_url):
    storage = Storage(empty_url)
    assert storage.migrated == migrate.UpgradeResult(None, migrate.HEAD)
    assert migrate.schema_differences(storage.engine) == []
    tables = set(sa.inspect(storage.engine).get_table_names())
    assert set(migrate.target_metadata().tables) | {"alembic_version"} == tables  # every table, programme ones too
    storage.engine.dispose()


def test_sqlite_enforces_foreign_keys_again_after_migrating(tmp_path):
    storage = Storage(f"sqlite:///{tmp_path / 'fk.db'}")  # batch migrations run with them off
    with storage.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        with pytest.raises(sa.exc.IntegrityError):
            conn.execute(sa.text("INSERT INTO conversations (id, pair_id, flow, title, created_at) "
                                 "VALUES ('c1', 'no-such-pair', 'chat', '', '2026-12-01')"))
    storage.engine.dispose()


def test_a_database_at_head_is_left_alone_and_reports_its_revision(empty_url):
    Storage(empty_url).engine.dispose()
    again = Storage(empty_url)
    assert again.migrated.before == again.migrated.after == migrate.HEAD and not again.migrated.changed
    assert migrate.current_revision(again.engine) == migrate.HEAD
    again.engine.dispose()


def test_a_database_from_a_newer_kickcoach_is_refused_with_a_clear_message(empty_url):
    from kickcoach.core.errors import ConfigError

    engine = sa.create_engine(empty_url)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)"))
        conn.execute(sa.text("INSERT INTO alembic_version VALUES ('9999')"))
    engine.dispose()
    with pytest.raises(ConfigError, match="revision '9999', which this kickcoach does not know") as raised:
        Storage(empty_url)
    assert "upgrade kickcoach" in str(raised.value)


def _first_release_database(url: str) -> sa.Engine:
    """``url`` as the first release left it: its tables (``create_all``) and a few rows."""
    engine = sa.create_engine(url)
    old = sa.MetaData()
    _legacy_v0(old)
    old.create_all(engine)
    with engine.begin() as conn:
        _seed_v0(conn)
    return engine


def test_schema_differences_sees_a_table_the_migrations_lack(empty_url):
    storage = Storage(empty_url)
    with storage.engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE programme_checkins"))
    diff = [d for d in migrate.schema_differences(storage.engine) if isinstance(d, tuple)]
    assert [(d[0], getattr(d[1], "name", None)) for d in diff] == [
        ("add_table", "programme_checkins"), ("add_index", "ix_programme_checkins_programme_pair_id")]
    storage.engine.dispose()


def test_a_database_from_before_people_is_adopted_and_its_private_rows_go_to_the_local_owner(empty_url):
    _first_release_database(empty_url).dispose()

    storage = Storage(empty_url)
    assert storage.migrated.before is None and storage.migrated.after == migrate.HEAD
    assert migrate.schema_differences(storage.engine) == []
    owners = _owners(storage.engine)
    assert owners == {"conversation": "local:demo:a", "turn": "local:demo:a", "r-rehearsal": "local:demo:a", "r-review": None}
    mine = storage.for_person(Person("local:demo:a", "Priya", pair_id="demo", partner="a"))
    assert [c.title for c in mine.conversations()] == ["old chat"]
    assert [t.content for t in mine.turns("c1")] == ["I missed my deadline"]
    storage.engine.dispose()


def test_a_database_the_old_add_missing_columns_upgraded_gains_the_indexes_it_lacked(empty_url):
    engine = _first_release_database(empty_url)
    with engine.begin() as conn:
        owner, stamp = (kind().compile(dialect=engine.dialect) for kind in (lambda: sa.String(80), sa.DateTime))
        for table, column, kind in (("conversations", "owner_id", owner), ("turns", "owner_id", owner),
                                    ("records", "owner_id", owner), ("records", "shared_at", stamp)):
            conn.execute(sa.text(f"ALTER TABLE {table} ADD COLUMN {column} {kind}"))  # what add_missing_columns did
        conn.execute(sa.text("UPDATE conversations SET owner_id = 'p-tom'"))
    engine.dispose()

    storage = Storage(empty_url)
    assert migrate.schema_differences(storage.engine) == []
    owners = _owners(storage.engine)
    assert owners["conversation"] == "p-tom"  # an owner already set is never changed
    assert owners["turn"] is None  # the old code claimed rows only when it added the columns, as does the baseline
    storage.engine.dispose()


def test_a_database_made_by_create_all_just_before_migrations_is_adopted_unchanged(empty_url):
    engine = sa.create_engine(empty_url)
    migrate.target_metadata()
    made_then = [t for t in Base.metadata.sorted_tables if not t.name.startswith("programme")]  # programmes unused
    Base.metadata.create_all(engine, tables=made_then)
    with engine.begin() as conn:
        conn.execute(sa.text("ALTER TABLE turns RENAME COLUMN engine_state TO guard"))  # its name then (0005 renames it)
        conn.execute(sa.text("INSERT INTO pairs VALUES ('demo', 'Demo', '2026-12-01 10:00:00')"))
        conn.execute(sa.text("INSERT INTO conversations VALUES ('c1', 'demo', 'chat', 'mine', '2026-12-01 10:00:00', 'p-tom')"))
    engine.dispose()

    storage = Storage(empty_url)
    assert migrate.schema_differences(storage.engine) == []
    assert _owners(storage.engine)["conversation"] == "p-tom"
    storage.engine.dispose()


def test_downgrade_to_nothing_and_back(empty_url):
    from alembic import command

    storage = Storage(empty_url)
    with storage.engine.connect() as conn:
        command.downgrade(migrate.alembic_config(conn), "base")
        conn.commit()
    assert set(sa.inspect(storage.engine).get_table_names()) <= {"alembic_version"}
    assert migrate.upgrade(storage.engine).changed
    assert migrate.schema_differences(storage.engine) == []
    storage.engine.dispose()


def test_processes_starting_at_once_migrate_once(empty_url):
    """Several processes may start together on one new database: a lock (advisory on PostgreSQL, a lock file
    beside a SQLite file) lets one migrate while the others wait, then find it done."""
    results: list[migrate.UpgradeResult] = []
    errors: list[BaseException] = []

    def start() -> None:
        try:
            storage = Storage(empty_url)
            results.append(storage.migrated)
            storage.engine.dispose()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert sorted(r.changed for r in results) == [False, False, True]
    engine = sa.create_engine(empty_url)
    with engine.connect() as conn:
        assert list(conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalars()) == [migrate.HEAD]
    engine.dispose()


def test_0003_adds_account_email_and_the_participant_link_and_keeps_the_rows(empty_url):
    """From 0002 with an account and an enrolled participant: 0003 adds the empty columns (nothing linked yet),
    a second account cannot take the same email, removing the account unlinks, and 0002 comes back intact."""
    from alembic import command

    engine = sa.create_engine(empty_url)
    assert migrate.upgrade(engine, "0002").after == "0002"
    at = "2027-01-04 09:00:00"
    with engine.begin() as conn:
        conn.execute(sa.text(f"INSERT INTO pairs VALUES ('p1', 'P1', '{at}')"))
        conn.execute(sa.text("INSERT INTO accounts (id, name, name_key, role, pair_id, partner, password_hash, created_at, "
                             f"password_changed_at) VALUES ('acc-ada', 'ada', 'ada', 'participant', 'p1', 'a', 'h', '{at}', '{at}')"))
        conn.execute(sa.text("INSERT INTO programmes VALUES ('spring', 'Spring', '2027-01-04', '2027-03-29', '2027-02-01', "
                             f"'monthly', 'any', '{at}')"))
        conn.execute(sa.text("INSERT INTO programme_participants (programme_id, email, name, team, manager, offers, needs, "
                             f"consent, source, enrolled_at) VALUES ('spring', 'ada@example.org', 'Ada', '', '', '[]', '[]', "
                             f"true, 'csv', '{at}')"))
    engine.dispose()

    storage = Storage(empty_url)  # migrates to head on start
    assert storage.migrated == migrate.UpgradeResult("0002", migrate.HEAD)
    assert migrate.schema_differences(storage.engine) == []
    with storage.engine.begin() as conn:
        assert list(conn.execute(sa.text("SELECT email, display_name FROM accounts"))) == [(None, None)]
        assert list(conn.execute(sa.text("SELECT email, account_id FROM programme_participants"))) == [("ada@example.org", None)]
        conn.execute(sa.text("UPDATE accounts SET email = 'ada@example.org'"))
        conn.execute(sa.text("UPDATE programme_participants SET account_id = 'acc-ada'"))
    with pytest.raises(sa.exc.IntegrityError), storage.engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO accounts (id, name, name_key, role, password_hash, created_at, password_changed_at, "
                             f"email) VALUES ('acc-2', 'other', 'other', 'facilitator', 'h', '{at}', '{at}', 'ada@example.org')"))
    with storage.engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM accounts WHERE id = 'acc-ada'"))  # the link goes, the enrolment stays
        assert list(conn.execute(sa.text("SELECT email, account_id FROM programme_participants"))) == [("ada@example.org", None)]
    with storage.engine.connect() as conn:
        command.downgrade(migrate.alembic_config(conn), "0002")
        conn.commit()
    columns = {t: {c["name"] for c in sa.inspect(storage.engine).get_columns(t)} for t in ("accounts", "programme_participants")}
    assert "email" not in columns["accounts"] and "account_id" not in columns["programme_participants"]
    with storage.engine.connect() as conn:
        assert list(conn.execute(sa.text("SELECT email FROM programme_participants"))) == [("ada@example.org",)]
    assert migrate.upgrade(storage.engine).changed and migrate.schema_differences(storage.engine) == []
    storage.engine.dispose()


def test_0005_renames_the_turns_guard_column_to_engine_state_and_keeps_the_rows(empty_url):
    """From 0003 with a reply whose record sits in ``guard``: 0005 moves it to ``engine_state`` (the ORM reads it
    there), and a downgrade to 0003 brings the old column back with the same value."""
    from alembic import command

    engine = sa.create_engine(empty_url)
    assert migrate.upgrade(engine, "0003").after == "0003"
    at = "2027-01-11 09:00:00"
    with engine.begin() as conn:
        conn.execute(sa.text(f"INSERT INTO pairs VALUES ('p1', 'P1', '{at}')"))
        conn.execute(sa.text(f"INSERT INTO conversations VALUES ('c1', 'p1', 'chat', 'mine', '{at}', 'local:p1:a')"))
        conn.execute(sa.text("INSERT INTO turns (conversation_id, pair_id, owner_id, role, content, created_at, sources, "
                             f"guard) VALUES ('c1', 'p1', 'local:p1:a', 'assistant', 'Hi.', '{at}', '[]', "
                             "'{\"coach\": {\"act\": \"greeting\"}}')"))
    engine.dispose()

    storage = Storage(empty_url)
    assert storage.migrated == migrate.UpgradeResult("0003", migrate.HEAD)
    assert migrate.schema_differences(storage.engine) == []
    assert _turns(storage) == [{"coach": {"act": "greeting"}}]
    with storage.engine.connect() as conn:
        command.downgrade(migrate.alembic_config(conn), "0003")
        conn.commit()
    columns = {c["name"] for c in sa.inspect(storage.engine).get_columns("turns")}
    assert "guard" in columns and "engine_state" not in columns
    with storage.engine.connect() as conn:
        value = conn.execute(sa.text("SELECT guard FROM turns")).scalar_one()
    assert (json.loads(value) if isinstance(value, str) else value) == {"coach": {"act": "greeting"}}
    storage.engine.dispose()


def _turns(storage: Storage) -> list[dict[str, object]]:
    from kickcoach.storage.models import Turn

    with storage.session() as s:
        return [t.engine_state for t in s.scalars(sa.select(Turn))]


def test_0006_gives_an_account_the_local_owners_rows_of_its_slot_made_before_it(empty_url):
    """At 0005 a person's chats made before their account existed stayed the local owner's (hidden from them);
    0006 hands those of the account's slot that are older than the account to it; later ones, and the other
    slot's, stay."""
    engine = sa.create_engine(empty_url)
    assert migrate.upgrade(engine, "0005").after == "0005"
    before, made, after = "2026-11-01 09:00:00", "2026-11-02 09:00:00", "2026-11-03 09:00:00"
    with engine.begin() as conn:
        conn.execute(sa.text(f"INSERT INTO pairs VALUES ('demo', 'Demo', '{before}')"))
        conn.execute(sa.text(
            "INSERT INTO accounts (id, name, name_key, role, pair_id, partner, password_hash, created_at, "
            f"password_changed_at) VALUES ('priya-id', 'priya', 'priya', 'participant', 'demo', 'a', 'x', '{made}', '{made}')"))
        for cid, owner, at in (("old", "local:demo:a", before), ("new", "local:demo:a", after), ("toms", "local:demo:b", before)):
            conn.execute(sa.text(f"INSERT INTO conversations VALUES ('{cid}', 'demo', 'chat', '{cid}', '{at}', '{owner}')"))
            conn.execute(sa.text("INSERT INTO turns (conversation_id, pair_id, owner_id, role, content, created_at, sources, "
                                 f"engine_state) VALUES ('{cid}', 'demo', '{owner}', 'user', 'said in {cid}', '{at}', '[]', '{{}}')"))
            conn.execute(sa.text("INSERT INTO records (id, pair_id, kind, data, created_at, updated_at, owner_id) VALUES "
                                 f"('r-{cid}', 'demo', 'rehearsal', '{{}}', '{at}', '{at}', '{owner}')"))
    engine.dispose()

    storage = Storage(empty_url)
    assert storage.migrated == migrate.UpgradeResult("0005", migrate.HEAD)
    priya = storage.for_person(Person("priya-id", "priya", pair_id="demo", partner="a"))
    assert [c.id for c in priya.conversations()] == ["old"]
    assert [t.content for t in priya.turns("old")] == ["said in old"]
    assert [r.id for r in priya.records("rehearsal")] == ["r-old"]
    local = storage.for_person(Person("local:demo:a", "partner A", pair_id="demo", partner="a"))
    assert [c.id for c in local.conversations()] == ["new"] and [r.id for r in local.records("rehearsal")] == ["r-new"]
    toms = storage.for_person(Person("local:demo:b", "partner B", pair_id="demo", partner="b"))
    assert [c.id for c in toms.conversations()] == ["toms"]  # no account for slot b: stays the local owner's
    storage.engine.dispose()
