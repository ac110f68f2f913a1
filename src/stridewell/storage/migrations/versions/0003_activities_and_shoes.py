"""Imported activities (summary columns, samples blob) and the runner's shoes.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The JSON type as of this revision, spelled out rather than imported from the models.
JSON_TYPE = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")

# A runner has at most one default shoe; partial unique index on both backends.
DEFAULT_SHOE_ONLY = sa.text("is_default")


def upgrade() -> None:
    op.create_table(
        "shoes",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("runner_id", sa.String(length=32), nullable=False),
        sa.Column("brand", sa.String(length=80), nullable=False),
        sa.Column("model", sa.String(length=120), nullable=False),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("nickname", sa.String(length=80), nullable=True),
        sa.Column("started", sa.Date(), nullable=True),
        sa.Column("retired", sa.Date(), nullable=True),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.Column("check_km", sa.Double(), nullable=False),
        sa.Column("replace_km", sa.Double(), nullable=False),
        sa.Column("strava_gear", sa.String(length=120), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "check_km > 0 AND replace_km >= check_km", name=op.f("ck_shoes_km_limits")
        ),
        sa.CheckConstraint(
            "retired IS NULL OR started IS NULL OR retired >= started", name=op.f("ck_shoes_dates")
        ),
        sa.CheckConstraint(
            "retired IS NULL OR NOT is_default", name=op.f("ck_shoes_retired_not_default")
        ),
        sa.ForeignKeyConstraint(
            ["runner_id"],
            ["runners.id"],
            name=op.f("fk_shoes_runner_id_runners"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shoes")),
    )
    op.create_index(op.f("ix_shoes_runner_id"), "shoes", ["runner_id"])
    op.create_index(
        "uq_shoes_runner_id_default",
        "shoes",
        ["runner_id"],
        unique=True,
        sqlite_where=DEFAULT_SHOE_ONLY,
        postgresql_where=DEFAULT_SHOE_ONLY,
    )
    op.create_table(
        "activities",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("runner_id", sa.String(length=32), nullable=False),
        sa.Column("source_format", sa.String(length=16), nullable=False),
        sa.Column("sport", sa.String(length=32), nullable=False),
        sa.Column("sub_sport", sa.String(length=32), nullable=True),
        sa.Column("is_indoor", sa.Boolean(), nullable=False),
        sa.Column("start_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("duration_s", sa.Double(), nullable=False),
        sa.Column("moving_time_s", sa.Double(), nullable=False),
        sa.Column("distance_m", sa.Double(), nullable=False),
        sa.Column("elevation_gain_m", sa.Double(), nullable=True),
        sa.Column("avg_hr", sa.Double(), nullable=True),
        sa.Column("max_hr", sa.Double(), nullable=True),
        sa.Column("avg_cadence", sa.Double(), nullable=True),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("device", sa.String(length=120), nullable=True),
        sa.Column("gear", sa.String(length=120), nullable=True),
        sa.Column("shoe_id", sa.String(length=32), nullable=True),
        sa.Column("source_name", sa.Text(), nullable=False),
        sa.Column("external_id", sa.String(length=64), nullable=True),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("warnings", JSON_TYPE, nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("samples", sa.LargeBinary(), nullable=True),
        sa.Column("original_path", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["runner_id"],
            ["runners.id"],
            name=op.f("fk_activities_runner_id_runners"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["shoe_id"],
            ["shoes.id"],
            name=op.f("fk_activities_shoe_id_shoes"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activities")),
        sa.UniqueConstraint(
            "runner_id", "fingerprint", name=op.f("uq_activities_runner_id_fingerprint")
        ),
    )
    op.create_index("ix_activities_runner_id_start_time", "activities", ["runner_id", "start_time"])
    op.create_index(op.f("ix_activities_shoe_id"), "activities", ["shoe_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_activities_shoe_id"), table_name="activities")
    op.drop_index("ix_activities_runner_id_start_time", table_name="activities")
    op.drop_table("activities")
    op.drop_index("uq_shoes_runner_id_default", table_name="shoes")
    op.drop_index(op.f("ix_shoes_runner_id"), table_name="shoes")
    op.drop_table("shoes")
