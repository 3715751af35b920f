"""Users, role grants, login sessions, settings and the append-only audit log (``aimaq/auth/models.py``,
``docs/security.md``; issue 11).

``auth_audit`` refuses ``UPDATE`` and ``DELETE`` with database triggers on both backends (and ``TRUNCATE``
on PostgreSQL), so the log cannot be edited even with raw SQL. ``DROP TABLE`` (``Store.reset``, a restore)
still works: SQLite drops a table's triggers before its implicit ``DELETE`` and PostgreSQL's ``DROP`` fires
no row triggers.

Revision ID: 0300
Revises: 0200
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import aimaq.auth.models  # noqa: F401  (registers the auth tables on Base for Store.reset/autogenerate)

revision = "0300"
down_revision = "0200"
branch_labels = None
depends_on = None

_REFUSE = "auth_audit is append-only"


def upgrade() -> None:
    op.create_table(
        "auth_user",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=255), nullable=True),
        sa.Column("email", sa.String(length=255), nullable=True),
        sa.Column("lang", sa.String(length=8), nullable=True),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("active", sa.Boolean(), server_default="1", nullable=False),
        sa.Column("failed_logins", sa.Integer(), server_default="0", nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("password_changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auth_user")),
        sa.UniqueConstraint("username", name=op.f("uq_auth_user_username")),
    )
    op.create_table(
        "auth_role",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("territory", sa.String(length=64), nullable=True),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("granted_by", sa.String(length=255), nullable=False),
        sa.CheckConstraint(
            "role IN ('administrator', 'academy', 'council', 'akimat', 'state_body', 'executor', 'viewer')",
            name=op.f("ck_auth_role_role"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["auth_user.id"], name=op.f("fk_auth_role_user_id_auth_user"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["territory"], ["territory.code"], name=op.f("fk_auth_role_territory_territory")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auth_role")),
        sa.UniqueConstraint("user_id", "role", "territory", name=op.f("uq_auth_role_user_id_role_territory")),
    )
    op.create_index("ix_auth_role_user_id", "auth_role", ["user_id"])
    op.create_table(
        "auth_session",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_agent", sa.String(length=512), nullable=True),
        sa.Column("address", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["auth_user.id"], name=op.f("fk_auth_session_user_id_auth_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auth_session")),
    )
    op.create_index("ix_auth_session_user_id", "auth_session", ["user_id"])
    op.create_index("ix_auth_session_expires_at", "auth_session", ["expires_at"])
    op.create_table(
        "auth_setting",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.JSON(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_auth_setting")),
    )
    op.create_table(
        "auth_audit",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=255), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("entity", sa.String(length=64), nullable=False),
        sa.Column("entity_key", sa.String(length=255), nullable=True),
        sa.Column("territory", sa.String(length=64), nullable=True),
        sa.Column("old", sa.JSON(), nullable=True),
        sa.Column("new", sa.JSON(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auth_audit")),
    )
    op.create_index("ix_auth_audit_at", "auth_audit", ["at"])
    op.create_index("ix_auth_audit_entity_key", "auth_audit", ["entity", "entity_key"])
    op.create_index("ix_auth_audit_actor", "auth_audit", ["actor"])

    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE OR REPLACE FUNCTION auth_audit_refuse() RETURNS trigger AS $$ BEGIN "
            f"RAISE EXCEPTION '{_REFUSE}: % refused', TG_OP; END $$ LANGUAGE plpgsql"
        )
        op.execute(
            "CREATE TRIGGER auth_audit_no_change BEFORE UPDATE OR DELETE ON auth_audit "
            "FOR EACH ROW EXECUTE FUNCTION auth_audit_refuse()"
        )
        op.execute(
            "CREATE TRIGGER auth_audit_no_truncate BEFORE TRUNCATE ON auth_audit "
            "FOR EACH STATEMENT EXECUTE FUNCTION auth_audit_refuse()"
        )
    else:
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER auth_audit_no_{action.lower()} BEFORE {action} ON auth_audit "
                f"BEGIN SELECT RAISE(ABORT, '{_REFUSE}: {action} refused'); END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS auth_audit_no_truncate ON auth_audit")
        op.execute("DROP TRIGGER IF EXISTS auth_audit_no_change ON auth_audit")
        op.execute("DROP FUNCTION IF EXISTS auth_audit_refuse()")
    else:
        op.execute("DROP TRIGGER IF EXISTS auth_audit_no_update")
        op.execute("DROP TRIGGER IF EXISTS auth_audit_no_delete")
    op.drop_index("ix_auth_audit_actor", table_name="auth_audit")
    op.drop_index("ix_auth_audit_entity_key", table_name="auth_audit")
    op.drop_index("ix_auth_audit_at", table_name="auth_audit")
    op.drop_table("auth_audit")
    op.drop_table("auth_setting")
    op.drop_index("ix_auth_session_expires_at", table_name="auth_session")
    op.drop_index("ix_auth_session_user_id", table_name="auth_session")
    op.drop_table("auth_session")
    op.drop_index("ix_auth_role_user_id", table_name="auth_role")
    op.drop_table("auth_role")
    op.drop_table("auth_user")
