"""Initial schema: runners and their assessments.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The JSON type as of this revision, spelled out rather than imported from the models.
JSON_TYPE = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "runners",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_runners")),
    )
    op.create_table(
        "assessments",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("runner_id", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("input_json", JSON_TYPE, nullable=False),
        sa.Column("report_json", JSON_TYPE, nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("top_condition", sa.String(length=64), nullable=True),
        sa.Column("kb_version", sa.String(length=32), nullable=False),
        sa.Column("rules_fired", JSON_TYPE, nullable=False),
        sa.ForeignKeyConstraint(
            ["runner_id"],
            ["runners.id"],
            name=op.f("fk_assessments_runner_id_runners"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessments")),
    )
    op.create_index(op.f("ix_assessments_created_at"), "assessments", ["created_at"])
    op.create_index(
        "ix_assessments_runner_id_created_at", "assessments", ["runner_id", "created_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_assessments_runner_id_created_at", table_name="assessments")
    op.drop_index(op.f("ix_assessments_created_at"), table_name="assessments")
    op.drop_table("assessments")
    op.drop_table("runners")
