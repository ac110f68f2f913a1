"""Pain journal with edit history, recovery plans with their days, exercise logs.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The JSON type as of this revision, spelled out rather than imported from the models.
JSON_TYPE = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")

# A runner has at most one active plan; partial unique index on both backends.
ACTIVE_PLAN_ONLY = sa.text("status = 'active'")


def upgrade() -> None:
    op.create_table(
        "journal_entries",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("runner_id", sa.String(length=32), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["runner_id"],
            ["runners.id"],
            name=op.f("fk_journal_entries_runner_id_runners"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_journal_entries")),
    )
    op.create_index("ix_journal_entries_runner_id_day", "journal_entries", ["runner_id", "day"])
    op.create_table(
        "journal_revisions",
        sa.Column("entry_id", sa.String(length=32), nullable=False),
        sa.Column("revision", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("data", JSON_TYPE, nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["journal_entries.id"],
            name=op.f("fk_journal_revisions_entry_id_journal_entries"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("entry_id", "revision", name=op.f("pk_journal_revisions")),
    )
    op.create_table(
        "plans",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("runner_id", sa.String(length=32), nullable=False),
        sa.Column("assessment_id", sa.String(length=32), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kb_version", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("report_json", JSON_TYPE, nullable=False),
        sa.CheckConstraint("status IN ('active', 'ended')", name=op.f("ck_plans_status")),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_plans_assessment_id_assessments"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["runner_id"],
            ["runners.id"],
            name=op.f("fk_plans_runner_id_runners"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plans")),
    )
    op.create_index(op.f("ix_plans_assessment_id"), "plans", ["assessment_id"])
    op.create_index(op.f("ix_plans_runner_id"), "plans", ["runner_id"])
    op.create_index(
        "uq_plans_runner_id_active",
        "plans",
        ["runner_id"],
        unique=True,
        sqlite_where=ACTIVE_PLAN_ONLY,
        postgresql_where=ACTIVE_PLAN_ONLY,
    )
    op.create_table(
        "plan_days",
        sa.Column("plan_id", sa.String(length=32), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("day_number", sa.Integer(), nullable=False),
        sa.Column("phase", sa.String(length=32), nullable=False),
        sa.Column("rule_id", sa.String(length=64), nullable=False),
        sa.Column("data", JSON_TYPE, nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["plans.id"],
            name=op.f("fk_plan_days_plan_id_plans"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("plan_id", "day", name=op.f("pk_plan_days")),
    )
    op.create_table(
        "exercise_logs",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("runner_id", sa.String(length=32), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("exercise_id", sa.String(length=64), nullable=False),
        sa.Column("sets_done", sa.Integer(), nullable=False),
        sa.Column("reps_or_seconds", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["runner_id"],
            ["runners.id"],
            name=op.f("fk_exercise_logs_runner_id_runners"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exercise_logs")),
    )
    op.create_index("ix_exercise_logs_runner_id_day", "exercise_logs", ["runner_id", "day"])


def downgrade() -> None:
    op.drop_index("ix_exercise_logs_runner_id_day", table_name="exercise_logs")
    op.drop_table("exercise_logs")
    op.drop_table("plan_days")
    op.drop_index("uq_plans_runner_id_active", table_name="plans")
    op.drop_index(op.f("ix_plans_runner_id"), table_name="plans")
    op.drop_index(op.f("ix_plans_assessment_id"), table_name="plans")
    op.drop_table("plans")
    op.drop_table("journal_revisions")
    op.drop_index("ix_journal_entries_runner_id_day", table_name="journal_entries")
    op.drop_table("journal_entries")
