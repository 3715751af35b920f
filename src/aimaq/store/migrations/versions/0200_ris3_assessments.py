"""RIS3 self-assessments: assessments per region, assessor and date, with a score and evidence per criterion
(``aimaq/steering/ris3_models.py``; seed 000, the RIS3 Self-Assessment Wheel).

Revision ID: 0200
Revises: 0100
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import aimaq.steering.ris3_models  # noqa: F401  (registers the RIS3 tables on Base for Store.reset/autogenerate)

revision = "0200"
down_revision = "0100"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ris3_assessment",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("region", sa.String(length=64), nullable=False),
        sa.Column("assessor", sa.String(length=255), nullable=False),
        sa.Column("scale", sa.String(length=16), nullable=False),
        sa.Column("assessed_on", sa.Date(), nullable=False),
        sa.Column("document", sa.Text(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("scale IN ('adapted', 'ec')", name=op.f("ck_ris3_assessment_scale")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ris3_assessment")),
    )
    op.create_index("ix_ris3_assessment_region_assessed_on", "ris3_assessment", ["region", "assessed_on"])
    op.create_table(
        "ris3_score",
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("criterion", sa.String(length=8), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.CheckConstraint("score >= 0 AND score <= 5", name=op.f("ck_ris3_score_score_range")),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["ris3_assessment.id"],
            name=op.f("fk_ris3_score_assessment_id_ris3_assessment"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("assessment_id", "criterion", name=op.f("pk_ris3_score")),
    )


def downgrade() -> None:
    op.drop_table("ris3_score")
    op.drop_index("ix_ris3_assessment_region_assessed_on", table_name="ris3_assessment")
    op.drop_table("ris3_assessment")
