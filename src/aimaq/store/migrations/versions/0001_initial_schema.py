"""Initial schema: sources, territories and aliases, indicators, observations, notes, import batches,
reference tables (see ``aimaq/store/models.py`` and ``docs/store.md``).

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "import_batch",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("file", sa.String(length=1024), nullable=False),
        sa.Column("sheet", sa.String(length=255), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rows_new", sa.Integer(), nullable=False),
        sa.Column("rows_changed", sa.Integer(), nullable=False),
        sa.Column("rows_unchanged", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_batch")),
    )
    op.create_table(
        "reference_table",
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("seed", sa.String(length=32), nullable=True),
        sa.Column("columns", sa.JSON(), nullable=False),
        sa.Column("provenance", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_reference_table")),
    )
    op.create_table(
        "source",
        sa.Column("seed", sa.String(length=32), nullable=False),
        sa.Column("file", sa.String(length=255), nullable=False),
        sa.Column("title_kk", sa.Text(), nullable=True),
        sa.Column("title_ru", sa.Text(), nullable=True),
        sa.Column("title_en", sa.Text(), nullable=True),
        sa.Column("authors", sa.Text(), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=64), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.PrimaryKeyConstraint("seed", name=op.f("pk_source")),
    )
    op.create_table(
        "territory",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("parent", sa.String(length=64), nullable=True),
        sa.Column("name_kk", sa.String(length=255), nullable=False),
        sa.Column("name_ru", sa.String(length=255), nullable=False),
        sa.Column("name_en", sa.String(length=255), nullable=False),
        sa.Column("iso", sa.String(length=16), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("successor", sa.String(length=255), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.CheckConstraint(
            "level IN ('country', 'region', 'city_rs', 'district', 'city', 'monotown')",
            name=op.f("ck_territory_level"),
        ),
        sa.ForeignKeyConstraint(["parent"], ["territory.code"], name=op.f("fk_territory_parent_territory")),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_territory")),
    )
    with op.batch_alter_table("territory", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_territory_parent"), ["parent"], unique=False)

    op.create_table(
        "indicator",
        sa.Column("code", sa.String(length=128), nullable=False),
        sa.Column("name_kk", sa.Text(), nullable=True),
        sa.Column("name_ru", sa.Text(), nullable=True),
        sa.Column("name_en", sa.Text(), nullable=True),
        sa.Column("unit", sa.String(length=64), nullable=True),
        sa.Column("direction", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("definition_en", sa.Text(), nullable=True),
        sa.Column("seed", sa.String(length=32), nullable=True),
        sa.Column("table", sa.String(length=64), nullable=True),
        sa.Column("lines", sa.String(length=64), nullable=True),
        sa.Column("origin", sa.String(length=255), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.CheckConstraint("kind IN ('numeric', 'categorical')", name=op.f("ck_indicator_kind")),
        sa.CheckConstraint("direction IN (-1, 0, 1)", name=op.f("ck_indicator_direction")),
        sa.ForeignKeyConstraint(["seed"], ["source.seed"], name=op.f("fk_indicator_seed_source")),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_indicator")),
    )
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_indicator_seed"), ["seed"], unique=False)

    op.create_table(
        "reference_row",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("table_name", sa.String(length=255), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("cells", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["table_name"],
            ["reference_table.name"],
            name=op.f("fk_reference_row_table_name_reference_table"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reference_row")),
        sa.UniqueConstraint("table_name", "position", name=op.f("uq_reference_row_table_name_position")),
    )
    op.create_table(
        "territory_alias",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("alias", sa.String(length=255), nullable=False),
        sa.Column("lang", sa.String(length=8), nullable=True),
        sa.ForeignKeyConstraint(
            ["code"], ["territory.code"], name=op.f("fk_territory_alias_code_territory"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_territory_alias")),
        sa.UniqueConstraint("code", "alias", name=op.f("uq_territory_alias_code_alias")),
    )
    with op.batch_alter_table("territory_alias", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_territory_alias_code"), ["code"], unique=False)

    op.create_table(
        "note",
        sa.Column("id", sa.String(length=128), nullable=False),
        sa.Column("territory", sa.String(length=64), nullable=True),
        sa.Column("indicator", sa.String(length=128), nullable=True),
        sa.Column("period", sa.String(length=16), nullable=True),
        sa.Column("kind", sa.String(length=64), nullable=True),
        sa.Column("seed", sa.String(length=32), nullable=True),
        sa.Column("table", sa.String(length=64), nullable=True),
        sa.Column("lines", sa.String(length=64), nullable=True),
        sa.Column("text_en", sa.Text(), nullable=True),
        sa.Column("text_ru", sa.Text(), nullable=True),
        sa.Column("text_kk", sa.Text(), nullable=True),
        sa.Column("alt_value", sa.Float(), nullable=True),
        sa.Column("alt_text", sa.String(length=128), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(["indicator"], ["indicator.code"], name=op.f("fk_note_indicator_indicator")),
        sa.ForeignKeyConstraint(["seed"], ["source.seed"], name=op.f("fk_note_seed_source")),
        sa.ForeignKeyConstraint(["territory"], ["territory.code"], name=op.f("fk_note_territory_territory")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_note")),
    )
    with op.batch_alter_table("note", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_note_indicator"), ["indicator"], unique=False)
        batch_op.create_index(batch_op.f("ix_note_territory"), ["territory"], unique=False)

    op.create_table(
        "observation",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("territory", sa.String(length=64), nullable=False),
        sa.Column("indicator", sa.String(length=128), nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("year_from", sa.Integer(), nullable=False),
        sa.Column("year_to", sa.Integer(), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("value_text", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("seed", sa.String(length=32), nullable=True),
        sa.Column("table", sa.String(length=64), nullable=True),
        sa.Column("lines", sa.String(length=64), nullable=True),
        sa.Column("file", sa.String(length=1024), nullable=True),
        sa.Column("sheet", sa.String(length=255), nullable=True),
        sa.Column("row", sa.Integer(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.CheckConstraint(
            "status IN ('published', 'derived', 'estimated', 'missing')", name=op.f("ck_observation_status")
        ),
        sa.CheckConstraint("year_from <= year_to", name=op.f("ck_observation_period_order")),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["import_batch.id"], name=op.f("fk_observation_batch_id_import_batch")
        ),
        sa.ForeignKeyConstraint(
            ["indicator"], ["indicator.code"], name=op.f("fk_observation_indicator_indicator")
        ),
        sa.ForeignKeyConstraint(["seed"], ["source.seed"], name=op.f("fk_observation_seed_source")),
        sa.ForeignKeyConstraint(
            ["territory"], ["territory.code"], name=op.f("fk_observation_territory_territory")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_observation")),
        sa.UniqueConstraint(
            "territory", "indicator", "period", name=op.f("uq_observation_territory_indicator_period")
        ),
    )
    with op.batch_alter_table("observation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_observation_batch_id"), ["batch_id"], unique=False)
        batch_op.create_index("ix_observation_indicator_period", ["indicator", "period"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("observation", schema=None) as batch_op:
        batch_op.drop_index("ix_observation_indicator_period")
        batch_op.drop_index(batch_op.f("ix_observation_batch_id"))

    op.drop_table("observation")
    with op.batch_alter_table("note", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_note_territory"))
        batch_op.drop_index(batch_op.f("ix_note_indicator"))

    op.drop_table("note")
    with op.batch_alter_table("territory_alias", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_territory_alias_code"))

    op.drop_table("territory_alias")
    op.drop_table("reference_row")
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_indicator_seed"))

    op.drop_table("indicator")
    with op.batch_alter_table("territory", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_territory_parent"))

    op.drop_table("territory")
    op.drop_table("source")
    op.drop_table("reference_table")
    op.drop_table("import_batch")
