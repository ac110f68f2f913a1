"""An assessment may name the emergency assessment it corrects.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01

On the emergency page the runner may change an answer given by mistake; the corrected
assessment is stored as a new one, and the emergency stays (a clinician must still see
that an emergency answer was given). ``corrects_id`` links the two, so that history and
handover can mark the emergency as corrected.

Plain ADD COLUMN and DROP COLUMN on both backends (SQLite 3.35 or newer), never a batch
copy: rebuilding the assessments table on SQLite would drop the per-runner version
triggers of 0012 with it. Adding a column fires no trigger; a new assessment carrying the
link is an INSERT, which moves its runner's version as every insert does.

No foreign key: SQLite can add a column's foreign key only inline, and SQLAlchemy reads
such a key back without its name and ON DELETE, so the schema would never match the
models. The link is checked where it is written instead (an assessment of the same
runner, taken in turn with the runner's writes), and assessments are deleted only with
their runner, every one at once: a link cannot be left pointing at nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ix_assessments_corrects_id"


def upgrade() -> None:
    op.add_column("assessments", sa.Column("corrects_id", sa.String(length=32), nullable=True))
    op.create_index(INDEX, "assessments", ["corrects_id"], unique=True)


def downgrade() -> None:
    op.drop_index(INDEX, table_name="assessments")
    op.execute(sa.text("ALTER TABLE assessments DROP COLUMN corrects_id"))
