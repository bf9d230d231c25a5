"""Baseline: the schema as it stood when migrations arrived (pairs, contracts, chats, records, people, programmes).

Revision ID: 0001
Revises:
Create Date: 2026-12-02

On an empty database this creates every table. A database made before migrations (``create_all`` on start,
plus the old ``add_missing_columns``) is adopted in place: its tables are kept, what older code did not make
is added (tables, the nullable ``owner_id``/``shared_at`` columns, their indexes), and private rows written
before people existed are given to the local owner of their pair (partner a), as the old start-up did.

The tables are written out here, frozen, not taken from the models: later revisions change the models.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SHARED_KINDS = ("commitment", "review")  # record kinds shared by the pair when this revision was written


def _schema() -> sa.MetaData:
    m = sa.MetaData()
    S, Int, DT, Date, Bool, Float, Text, JSON = sa.String, sa.Integer, sa.DateTime, sa.Date, sa.Boolean, sa.Float, sa.Text, sa.JSON

    def col(name: str, kind: sa.types.TypeEngine | type, *args: object, nullable: bool = False, **kw: object) -> sa.Column:
        return sa.Column(name, kind, *args, nullable=nullable, **kw)  # type: ignore[arg-type]

    sa.Table("pairs", m, col("id", S(64), primary_key=True), col("name", S(200)), col("created_at", DT()))
    sa.Table(
        "contract_versions", m,
        col("id", Int(), primary_key=True), col("pair_id", S(64), sa.ForeignKey("pairs.id")), col("version", Int()),
        col("status", S(20)), col("yaml", Text()), col("created_at", DT()),
        sa.UniqueConstraint("pair_id", "version"), sa.Index("ix_contract_versions_pair_id", "pair_id"),
    )
    sa.Table(
        "conversations", m,
        col("id", S(36), primary_key=True), col("pair_id", S(64), sa.ForeignKey("pairs.id")), col("flow", S(20)),
        col("title", S(200)), col("created_at", DT()), col("owner_id", S(80), nullable=True),
        sa.Index("ix_conversations_owner_id", "owner_id"), sa.Index("ix_conversations_pair_id", "pair_id"),
    )
    sa.Table(
        "turns", m,
        col("id", Int(), primary_key=True), col("conversation_id", S(36), sa.ForeignKey("conversations.id")),
        col("pair_id", S(64), sa.ForeignKey("pairs.id")), col("owner_id", S(80), nullable=True), col("role", S(20)),
        col("content", Text()), col("created_at", DT()), col("sources", JSON()), col("guard", JSON()),
        col("model", S(200), nullable=True), col("prompt", S(100), nullable=True), col("tokens_in", Int(), nullable=True),
        col("tokens_out", Int(), nullable=True), col("latency_s", Float(), nullable=True), col("error", Text(), nullable=True),
        sa.Index("ix_turns_conversation_id", "conversation_id"), sa.Index("ix_turns_owner_id", "owner_id"),
        sa.Index("ix_turns_pair_id", "pair_id"),
    )
    sa.Table(
        "records", m,
        col("id", S(36), primary_key=True), col("pair_id", S(64), sa.ForeignKey("pairs.id")), col("kind", S(40)),
        col("data", JSON()), col("created_at", DT()), col("updated_at", DT()), col("owner_id", S(80), nullable=True),
        col("shared_at", DT(), nullable=True),
        sa.Index("ix_records_kind", "kind"), sa.Index("ix_records_owner_id", "owner_id"), sa.Index("ix_records_pair_id", "pair_id"),
    )
    sa.Table(
        "accounts", m,
        col("id", S(36), primary_key=True), col("name", S(64), unique=True), col("name_key", S(64), unique=True),
        col("role", S(20)), col("pair_id", S(64), sa.ForeignKey("pairs.id"), nullable=True), col("partner", S(1), nullable=True),
        col("password_hash", S(200)), col("created_at", DT()), col("password_changed_at", DT()),
        sa.UniqueConstraint("pair_id", "partner", name="uq_accounts_pair_partner"), sa.Index("ix_accounts_pair_id", "pair_id"),
    )
    sa.Table(
        "login_throttle", m,
        col("key", S(200), primary_key=True), col("failures", Int()), col("last_failure_at", DT()),
        col("blocked_until", DT(), nullable=True),
    )
    sa.Table(
        "login_sessions", m,
        col("token_hash", S(64), primary_key=True), col("person_id", S(36), sa.ForeignKey("accounts.id", ondelete="CASCADE")),
        col("created_at", DT()), col("last_seen_at", DT()), col("ended_at", DT(), nullable=True),
        sa.Index("ix_login_sessions_person_id", "person_id"),
    )
    sa.Table(
        "contract_signatures", m,
        col("id", Int(), primary_key=True), col("pair_id", S(64), sa.ForeignKey("pairs.id")), col("version", Int()),
        col("partner", S(1)), col("person_id", S(80)), col("signed_at", DT()), col("content_sha256", S(64)),
        sa.UniqueConstraint("pair_id", "version", "partner", name="uq_signature_once"),
        sa.Index("ix_contract_signatures_pair_id", "pair_id"),
    )
    sa.Table(
        "programmes", m,
        col("id", S(64), primary_key=True), col("name", S(200), unique=True), col("trial_start", Date()),
        col("trial_end", Date()), col("agreement_due", Date()), col("meeting_frequency", S(20)), col("team_rule", S(20)),
        col("created_at", DT()),
    )
    sa.Table(
        "programme_participants", m,
        col("id", Int(), primary_key=True), col("programme_id", S(64), sa.ForeignKey("programmes.id")),
        col("email", S(320)), col("name", S(200)), col("team", S(200)), col("manager", S(320)), col("offers", JSON()),
        col("needs", JSON()), col("consent", Bool()), col("source", S(20)), col("enrolled_at", DT()),
        sa.UniqueConstraint("programme_id", "email"), sa.Index("ix_programme_participants_programme_id", "programme_id"),
    )
    sa.Table(
        "programme_pairs", m,
        col("id", Int(), primary_key=True), col("programme_id", S(64), sa.ForeignKey("programmes.id")),
        col("a_email", S(320)), col("b_email", S(320)), col("score", Float()), col("why", JSON()), col("locked", Bool()),
        col("state", S(20)), col("pair_id", S(64), nullable=True), col("a_response", S(20)), col("b_response", S(20)),
        col("published_on", Date(), nullable=True), col("agreement_due", Date(), nullable=True),
        col("agreement_signed_on", Date(), nullable=True),
        sa.Index("ix_programme_pairs_programme_id", "programme_id"),
    )
    sa.Table(
        "programme_meetings", m,
        col("id", Int(), primary_key=True), col("programme_pair_id", Int(), sa.ForeignKey("programme_pairs.id")),
        col("held_on", Date()), col("action_plan", Bool()),
        sa.Index("ix_programme_meetings_programme_pair_id", "programme_pair_id"),
    )
    sa.Table(
        "programme_checkins", m,
        col("id", Int(), primary_key=True), col("programme_pair_id", Int(), sa.ForeignKey("programme_pairs.id")),
        col("email", S(320)), col("month", S(7)), col("going", Int()), col("equal", Int()), col("going_text", Text()),
        col("improve_text", Text()), col("answered_at", DT()),
        sa.UniqueConstraint("programme_pair_id", "email", "month"),
        sa.Index("ix_programme_checkins_programme_pair_id", "programme_pair_id"),
    )
    return m


def _claim_private_rows(bind: sa.engine.Connection) -> None:
    """Private rows written before people existed belong to the local owner (partner a) of their pair."""
    for name in ("conversations", "turns", "records"):
        table = sa.table(name, sa.column("owner_id", sa.String), sa.column("pair_id", sa.String), sa.column("kind", sa.String))
        owner = sa.literal("local:") + table.c.pair_id + sa.literal(":a")
        query = sa.update(table).where(table.c.owner_id.is_(None)).values(owner_id=owner)
        if name == "records":
            query = query.where(table.c.kind.not_in(SHARED_KINDS))
        bind.execute(query)


def upgrade() -> None:
    bind = op.get_bind()
    inspector = sa.inspect(bind)
    existing = set(inspector.get_table_names())
    added_owner = False
    for table in _schema().sorted_tables:
        if table.name not in existing:
            table.create(bind)
            continue
        present = {c["name"] for c in inspector.get_columns(table.name)}
        for column in table.columns:
            if column.name in present:
                continue
            if not column.nullable:
                raise RuntimeError(f"cannot adopt table {table.name}: it lacks the required column {column.name}")
            op.add_column(table.name, sa.Column(column.name, column.type, nullable=True))
            added_owner = added_owner or (table.name == "conversations" and column.name == "owner_id")
        indexed = {ix["name"] for ix in inspector.get_indexes(table.name)}
        for index in table.indexes:
            if index.name not in indexed:
                op.create_index(str(index.name), table.name, [c.name for c in index.columns])
    if added_owner:
        _claim_private_rows(bind)


def downgrade() -> None:
    bind = op.get_bind()
    for table in reversed(_schema().sorted_tables):
        table.drop(bind, checkfirst=True)
