"""Sign-in limiter state and API tokens, kept in the database.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Reserved for the limiter and API tokens; filled in by that work.
    pass


def downgrade() -> None:
    pass
