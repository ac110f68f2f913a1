"""PostgreSQL draws a runner's new data version at random, as SQLite does: a restored
backup can no longer bring back a version an app process keeps answers for.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01

Migration 0012 took each new version from a sequence. Restoring a backup (pg_dump, then
pg_restore) also restores the sequence to where it stood then, so the next check-ins were
handed the very versions they had had since the backup. A process that kept a runner's
pages under one of those versions would have shown them again, though the rows behind
them were the backup's: the app processes had to be restarted after every restore.

A random 63-bit value cannot repeat that way (two values meet once in about 2^63 draws,
and only the runner's current version matters). The processes' kept answers only ever
compare versions for equality (``storage.runner_cache``), so no order is lost.

The trigger functions are rewritten in place from their own definitions, so this needs
to know nothing of their bodies but the one expression it swaps.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SEQUENCE = "runner_data_versions"
FROM_SEQUENCE = f"nextval('{SEQUENCE}')"
# PostgreSQL's random() gives 52 random bits at most: two draws make the 63 a bigint has.
AT_RANDOM = "((floor(random() * 2147483648)::bigint << 32) | floor(random() * 4294967296)::bigint)"
# The functions migration 0012 made, in this schema.
FUNCTIONS = sa.text(
    "SELECT p.proname, pg_get_functiondef(p.oid) FROM pg_proc p"
    " JOIN pg_namespace n ON n.oid = p.pronamespace"
    " WHERE n.nspname = current_schema() AND p.proname LIKE 'runner\\_version\\_%'"
    " ORDER BY p.proname"
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite's triggers have drawn random versions from the start
    _swap(FROM_SEQUENCE, AT_RANDOM)
    op.execute(f"DROP SEQUENCE {SEQUENCE}")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    # Counting starts again from 1: random versions are almost all far above any value
    # the sequence will reach, and a runner's next change moves them on in any case.
    op.execute(f"CREATE SEQUENCE {SEQUENCE}")
    _swap(AT_RANDOM, FROM_SEQUENCE)


def _swap(old: str, new: str) -> None:
    definitions = op.get_bind().execute(FUNCTIONS).all()
    swapped = 0
    for _name, definition in definitions:
        if old in definition:
            op.execute(sa.text(definition.replace(old, new)))
            swapped += 1
    if swapped == 0:
        raise RuntimeError(
            f"no runner_version_ trigger function uses {old} (found: "
            f"{', '.join(name for name, _ in definitions) or 'none'})"
        )
    # PL/pgSQL bodies are no dependencies PostgreSQL tracks: dropping the sequence with a
    # function still naming it would break every later write of a runner's data.
    left = [name for name, body in op.get_bind().execute(FUNCTIONS).all() if old in body]
    if left:
        raise RuntimeError(f"still using {old} after the change: {', '.join(left)}")
