"""Journal and demo runner.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30

Reserved for this change; it does nothing until its work fills it in.
"""

from __future__ import annotations

from collections.abc import Sequence

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
