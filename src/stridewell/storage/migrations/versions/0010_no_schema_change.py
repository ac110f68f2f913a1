"""No schema change (the training pages needed none).

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30

This revision was reserved for the training pages, which found every column they needed
already there. It stays, empty, because 0011 follows it and databases are stamped past it.
"""

from __future__ import annotations

from collections.abc import Sequence

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
