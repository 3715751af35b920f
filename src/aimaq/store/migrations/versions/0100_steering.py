"""Steering: workflow objects and the append-only audit trail (``aimaq/steering/models.py``,
``docs/steering.md``).

The audit table refuses ``UPDATE`` and ``DELETE`` with database triggers on both backends, so that the trail
of who did what, when and why cannot be edited even with raw SQL (issue 8: "an audit trail that cannot be
edited"). ``DROP TABLE`` (``Store.reset``) still works: SQLite drops a table's triggers before its implicit
``DELETE`` and PostgreSQL's ``DROP`` fires no row triggers.

Revision ID: 0100
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import aimaq.steering.models  # noqa: F401  (registers the steering tables on Base for Store.reset/autogenerate)

revision = "0100"
down_revision = "0001"
branch_labels = None
depends_on = None

_REFUSE = "steer_audit is append-only"


def upgrade() -> None:
    op.create_table(
        "steer_object",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("entity", sa.String(length=64), nullable=False),
        sa.Column("territory", sa.String(length=64), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=64), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("attrs", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["steer_object.id"], name=op.f("fk_steer_object_parent_id_steer_object")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_steer_object")),
    )
    op.create_index("ix_steer_object_entity_territory", "steer_object", ["entity", "territory"])
    op.create_index("ix_steer_object_parent_id", "steer_object", ["parent_id"])

    op.create_table(
        "steer_audit",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=False),
        sa.Column("entity", sa.String(length=64), nullable=False),
        sa.Column("territory", sa.String(length=64), nullable=False),
        sa.Column("transition_id", sa.String(length=32), nullable=False),
        sa.Column("from_state", sa.String(length=64), nullable=True),
        sa.Column("to_state", sa.String(length=64), nullable=False),
        sa.Column("actor", sa.String(length=255), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("actor_region", sa.String(length=64), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["object_id"], ["steer_object.id"], name=op.f("fk_steer_audit_object_id_steer_object")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_steer_audit")),
    )
    op.create_index("ix_steer_audit_object_id", "steer_audit", ["object_id"])
    op.create_index(
        "ix_steer_audit_transition_effective_on", "steer_audit", ["transition_id", "effective_on"]
    )

    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE OR REPLACE FUNCTION steer_audit_refuse() RETURNS trigger AS $$ BEGIN "
            f"RAISE EXCEPTION '{_REFUSE}: % refused', TG_OP; END $$ LANGUAGE plpgsql"
        )
        op.execute(
            "CREATE TRIGGER steer_audit_no_change BEFORE UPDATE OR DELETE ON steer_audit "
            "FOR EACH ROW EXECUTE FUNCTION steer_audit_refuse()"
        )
        op.execute(
            "CREATE TRIGGER steer_audit_no_truncate BEFORE TRUNCATE ON steer_audit "
            "FOR EACH STATEMENT EXECUTE FUNCTION steer_audit_refuse()"
        )
    else:
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER steer_audit_no_{action.lower()} BEFORE {action} ON steer_audit "
                f"BEGIN SELECT RAISE(ABORT, '{_REFUSE}: {action} refused'); END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS steer_audit_no_truncate ON steer_audit")
        op.execute("DROP TRIGGER IF EXISTS steer_audit_no_change ON steer_audit")
        op.execute("DROP FUNCTION IF EXISTS steer_audit_refuse()")
    else:
        op.execute("DROP TRIGGER IF EXISTS steer_audit_no_update")
        op.execute("DROP TRIGGER IF EXISTS steer_audit_no_delete")
    op.drop_index("ix_steer_audit_transition_effective_on", table_name="steer_audit")
    op.drop_index("ix_steer_audit_object_id", table_name="steer_audit")
    op.drop_table("steer_audit")
    op.drop_index("ix_steer_object_parent_id", table_name="steer_object")
    op.drop_index("ix_steer_object_entity_territory", table_name="steer_object")
    op.drop_table("steer_object")
