"""The demo runner: demo data lives with its own runner, marked as such.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30

Before this, `make run` put its demo assessments, plan, check-ins and shoes in the local
runner's own records, where they mixed with the runner's real data. Now the demo has a
runner of its own (``is_demo``), removed in one step with everything it holds.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Existing runners are real. A plain ADD COLUMN (no batch copy of the table) on both
    # backends: the table every other one cascades from is never dropped and rebuilt.
    op.add_column(
        "runners", sa.Column("is_demo", sa.Boolean(), server_default=sa.false(), nullable=False)
    )


def downgrade() -> None:
    # Native DROP COLUMN (SQLite 3.35 or newer), for the same reason: a batch rebuild would
    # drop the runners table, and with foreign keys on every runner's rows with it. The
    # demo runner stays, as an ordinary runner without an account.
    op.execute(sa.text("ALTER TABLE runners DROP COLUMN is_demo"))
