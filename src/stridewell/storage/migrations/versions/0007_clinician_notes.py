"""A clinician's or coach's confirmed diagnosis, running restriction and note.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A new table only, so no batch mode: SQLite creates it with every constraint.
    op.create_table(
        "clinician_notes",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("runner_id", sa.String(length=32), nullable=False),
        sa.Column("author_id", sa.String(length=32), nullable=True),
        sa.Column("author_name", sa.String(length=120), nullable=False),
        sa.Column("condition_id", sa.String(length=64), nullable=True),
        sa.Column("condition_text", sa.Text(), nullable=False),
        sa.Column("restriction", sa.String(length=16), nullable=False),
        sa.Column("restrict_until", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "restriction IN ('none', 'reduced', 'no_running')",
            name=op.f("ck_clinician_notes_restriction"),
        ),
        sa.ForeignKeyConstraint(
            ["runner_id"],
            ["runners.id"],
            name=op.f("fk_clinician_notes_runner_id_runners"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["runners.id"],
            name=op.f("fk_clinician_notes_author_id_runners"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clinician_notes")),
    )
    op.create_index(
        "ix_clinician_notes_runner_id_recorded_at",
        "clinician_notes",
        ["runner_id", "recorded_at"],
    )
    op.create_index(op.f("ix_clinician_notes_author_id"), "clinician_notes", ["author_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_clinician_notes_author_id"), table_name="clinician_notes")
    op.drop_index("ix_clinician_notes_runner_id_recorded_at", table_name="clinician_notes")
    op.drop_table("clinician_notes")
