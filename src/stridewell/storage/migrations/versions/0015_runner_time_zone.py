"""Each runner's time zone.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01

A runner's IANA time zone ("Europe/London") decides their today and the day a run or a
pain entry falls on, and the times their pages show. Unset (NULL, every existing runner)
is the machine's own zone: what a one-person install used before.

Pages are kept per runner data version (0012), and they show days and times in this
zone: its change must move the version too, so the trigger on ``runners`` that moved it
for a new name or demo mark is made again with the new column.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TRIGGER = "runner_version_runners_update"
BEFORE = ("name", "is_demo")
AFTER = (*BEFORE, "time_zone")


def upgrade() -> None:
    # A plain ADD COLUMN, no batch rebuild of the table everything cascades from (0011).
    op.add_column("runners", sa.Column("time_zone", sa.String(length=64), nullable=True))
    _update_trigger(AFTER)


def downgrade() -> None:
    # The trigger first: SQLite refuses to drop a column a trigger names.
    _update_trigger(BEFORE)
    op.execute(sa.text("ALTER TABLE runners DROP COLUMN time_zone"))


def _update_trigger(columns: Sequence[str]) -> None:
    """The trigger moving the runner's data version when ``columns`` change (as 0012
    made it, over other columns)."""
    watched = ", ".join(columns)
    if op.get_bind().dialect.name == "postgresql":
        # The function (0012's runner_version_runners) stays as it is.
        op.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON runners")
        op.execute(
            f"CREATE CONSTRAINT TRIGGER {TRIGGER} AFTER UPDATE OF {watched} ON runners"
            " DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION runner_version_runners()"
        )
        return
    op.execute(f"DROP TRIGGER IF EXISTS {TRIGGER}")
    op.execute(
        f"CREATE TRIGGER {TRIGGER} AFTER UPDATE OF {watched} ON runners BEGIN"
        " UPDATE runner_versions SET data_version = random() WHERE runner_id = NEW.id; END"
    )
