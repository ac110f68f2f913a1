"""A clinician's or coach's confirmed diagnosis, running restriction and note.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Reserved for clinician notes; filled in by that work.
    pass


def downgrade() -> None:
    pass
