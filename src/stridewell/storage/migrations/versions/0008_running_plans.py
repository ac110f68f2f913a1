"""Running plan targets and goals.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The JSON type as of this revision, spelled out rather than imported from the models.
JSON_TYPE = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    # A new table only, so no batch mode: SQLite creates it with every constraint.
    op.create_table(
        "running_plans",
        sa.Column("runner_id", sa.String(length=32), nullable=False),
        sa.Column("mode", sa.String(length=16), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("targets", JSON_TYPE, nullable=False),
        sa.Column("goal_km", sa.Double(), nullable=True),
        sa.Column("goal_day", sa.Date(), nullable=True),
        sa.Column("locations", JSON_TYPE, nullable=False),
        sa.Column("known_flags", JSON_TYPE, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "mode IN ('back_to_running', 'prevention')", name=op.f("ck_running_plans_mode")
        ),
        sa.CheckConstraint(
            "(goal_km IS NULL) = (goal_day IS NULL)", name=op.f("ck_running_plans_goal")
        ),
        sa.ForeignKeyConstraint(
            ["runner_id"],
            ["runners.id"],
            name=op.f("fk_running_plans_runner_id_runners"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("runner_id", name=op.f("pk_running_plans")),
    )


def downgrade() -> None:
    op.drop_table("running_plans")
