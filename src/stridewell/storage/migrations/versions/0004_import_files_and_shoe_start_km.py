"""Source files already imported (by digest), and the km a shoe had before tracking.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "import_files",
        sa.Column("runner_id", sa.String(length=32), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("source_name", sa.Text(), nullable=False),
        sa.Column("activities", sa.Integer(), nullable=False),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("activities >= 0", name=op.f("ck_import_files_activities")),
        sa.ForeignKeyConstraint(
            ["runner_id"],
            ["runners.id"],
            name=op.f("fk_import_files_runner_id_runners"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("runner_id", "digest", name=op.f("pk_import_files")),
    )
    # Existing shoes get 0 km from before tracking. On SQLite the CHECK rebuilds the table
    # (migrate.upgrade_to turns foreign keys off, so activities keep their shoe_id).
    with op.batch_alter_table("shoes") as batch_op:
        batch_op.add_column(
            sa.Column("start_km", sa.Double(), server_default=sa.text("0"), nullable=False)
        )
        batch_op.create_check_constraint(op.f("ck_shoes_start_km"), "start_km >= 0")


def downgrade() -> None:
    with op.batch_alter_table("shoes") as batch_op:
        batch_op.drop_constraint(op.f("ck_shoes_start_km"), type_="check")
        batch_op.drop_column("start_km")
    op.drop_table("import_files")
