"""Data versions per runner, moved on by the database at every change of their rows.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30

App processes keep what they read and work out from a runner's rows (the journal, the
plan, the training load) until the runner's version in ``runner_versions`` moves on
(``storage.runner_cache``). Triggers move it, so that no write path can forget to,
whichever process or machine writes, and whether through the ORM, a bulk statement or
the fast SQLite path of ``assess --json``. ``training_version`` moves only with the
training data (runs, shoes and their files): the training page, the load and the shoes'
mileage are kept across check-ins.

The versions live in a table of their own, not in ``runners``: writes lock the runner's
row first when they must take turns (``lock_runner``), and a trigger updating that row
part-way through another write would take the two locks in the other order (two writes
at once could deadlock). On PostgreSQL the triggers are deferred to the commit, so the
version row is the last lock a write takes, and it is held only while committing: an
import storing runs does not hold up the runner's check-ins.

A new version is a value the runner never had before, not a count: PostgreSQL takes the
next value of one sequence, SQLite a random 64-bit number. A runner deleted and made
again under the same id (the local runner, the demo runner) so cannot come back to a
version a process still holds answers for. (A restored backup rewinds the sequence:
migration 0013 makes PostgreSQL's versions random too.)
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Every table holding what a runner sees, and how its rows name their runner (a table
# without a runner_id of its own reaches it through its parent). A test checks this
# against the models: a table with a runner's data that is missing here would let
# processes show stale pages. Sessions, limiter counters, tokens, shares, import jobs
# and stored file bytes are left out: no cached answer is made from them. So are a
# plan's stored days: they are the plan as rebuilt from the other tables after each of
# their changes (which has moved the version already), written for the record and never
# read back into a page; the rebuilt plan stays kept under that version.
# Each table's runner: its own runner_id column (None), or its parent's, through the
# named link column.
RUNNER_TABLES: dict[str, tuple[str, str] | None] = {
    "assessments": None,
    "journal_entries": None,
    "journal_revisions": ("journal_entries", "entry_id"),
    "plans": None,
    "exercise_logs": None,
    "shoes": None,
    "activities": None,
    "import_files": None,
    "running_plans": None,
    "clinician_notes": None,
}
# The tables whose changes also move the training version.
TRAINING_TABLES = ("activities", "shoes", "import_files")
VERSIONS = ("data_version", "training_version")
SEQUENCE = "runner_data_versions"
NEXT = f"nextval('{SEQUENCE}')"
# The columns of runners that a page shows.
RUNNER_COLUMNS = ("name", "is_demo")


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        op.execute(f"CREATE SEQUENCE {SEQUENCE}")
    new_value = NEXT if postgres else "random()"
    op.create_table(
        "runner_versions",
        sa.Column("runner_id", sa.String(length=32), nullable=False),
        *(sa.Column(column, sa.BigInteger(), nullable=False) for column in VERSIONS),
        sa.ForeignKeyConstraint(
            ["runner_id"],
            ["runners.id"],
            name=op.f("fk_runner_versions_runner_id_runners"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("runner_id", name=op.f("pk_runner_versions")),
    )
    op.execute(
        f"INSERT INTO runner_versions (runner_id, {', '.join(VERSIONS)})"
        f" SELECT id, {', '.join(new_value for _ in VERSIONS)} FROM runners"
    )
    if postgres:
        _postgresql_triggers()
    else:
        _sqlite_triggers()


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    tables = [*RUNNER_TABLES, "runners"]
    for table in tables:
        for event in ("insert", "update", "delete"):
            name = f"runner_version_{table}_{event}"
            op.execute(f"DROP TRIGGER IF EXISTS {name}" + (f" ON {table}" if postgres else ""))
    if postgres:
        for table in RUNNER_TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS runner_version_{table}_truncate ON {table}")
        for function in [*RUNNER_TABLES, "runners", "runners_insert", "all"]:
            op.execute(f"DROP FUNCTION IF EXISTS runner_version_{function}()")
    op.drop_table("runner_versions")
    if postgres:
        op.execute(f"DROP SEQUENCE IF EXISTS {SEQUENCE}")


def _moved(columns: Sequence[str], new_value: str) -> str:
    """The SET list giving each of ``columns`` a new version."""
    return ", ".join(f"{column} = {new_value}" for column in columns)


def _versions_of(table: str) -> tuple[str, ...]:
    return VERSIONS if table in TRAINING_TABLES else ("data_version",)


def _row_runner(parent: tuple[str, str] | None, row: str) -> str:
    """The runner of a trigger's row (``NEW`` or ``OLD``), as an SQL expression."""
    if parent is None:
        return f"{row}.runner_id"
    table, link = parent
    return f"(SELECT runner_id FROM {table} WHERE id = {row}.{link})"


def _postgresql_triggers() -> None:
    # Once per runner and transaction: a bulk import of a hundred runs moves the version
    # once, not a hundred times (the row's xmin is this transaction once it has moved).
    not_yet = "xmin::text::bigint <> txid_current() % 4294967296"
    for table, parent in RUNNER_TABLES.items():
        move = f"UPDATE runner_versions SET {_moved(_versions_of(table), NEXT)} WHERE {not_yet}"
        old, new = _row_runner(parent, "OLD"), _row_runner(parent, "NEW")
        op.execute(f"""
CREATE FUNCTION runner_version_{table}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    {move} AND runner_id = {old};
  END IF;
  IF TG_OP <> 'DELETE' THEN
    {move} AND runner_id = {new};
  END IF;
  RETURN NULL;
END $$""")
        for event in ("insert", "update", "delete"):
            # Deferred to the commit: the version row is the last lock the write takes.
            op.execute(
                f"CREATE CONSTRAINT TRIGGER runner_version_{table}_{event}"
                f" AFTER {event.upper()} ON {table} DEFERRABLE INITIALLY DEFERRED"
                f" FOR EACH ROW EXECUTE FUNCTION runner_version_{table}()"
            )
    # TRUNCATE names no rows: every runner moves on.
    op.execute(f"""
CREATE FUNCTION runner_version_all() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE runner_versions SET {_moved(VERSIONS, NEXT)};
  RETURN NULL;
END $$""")
    for table in RUNNER_TABLES:
        op.execute(
            f"CREATE TRIGGER runner_version_{table}_truncate AFTER TRUNCATE ON {table}"
            " FOR EACH STATEMENT EXECUTE FUNCTION runner_version_all()"
        )
    op.execute(f"""
CREATE FUNCTION runner_version_runners_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO runner_versions (runner_id, {", ".join(VERSIONS)})
  VALUES (NEW.id, {", ".join(NEXT for _ in VERSIONS)});
  RETURN NULL;
END $$""")
    op.execute(
        "CREATE TRIGGER runner_version_runners_insert AFTER INSERT ON runners"
        " FOR EACH ROW EXECUTE FUNCTION runner_version_runners_insert()"
    )
    op.execute(f"""
CREATE FUNCTION runner_version_runners() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE runner_versions SET data_version = {NEXT} WHERE {not_yet} AND runner_id = NEW.id;
  RETURN NULL;
END $$""")
    op.execute(
        f"CREATE CONSTRAINT TRIGGER runner_version_runners_update"
        f" AFTER UPDATE OF {', '.join(RUNNER_COLUMNS)} ON runners"
        " DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION runner_version_runners()"
    )


def _sqlite_triggers() -> None:
    # Row triggers, at once: SQLite has one writer at a time, so no lock order to keep.
    for table, parent in RUNNER_TABLES.items():
        move = f"UPDATE runner_versions SET {_moved(_versions_of(table), 'random()')}"
        for event, rows in (("insert", ("NEW",)), ("update", ("NEW", "OLD")),
                            ("delete", ("OLD",))):  # fmt: skip
            runners = ", ".join(_row_runner(parent, row) for row in rows)
            op.execute(
                f"CREATE TRIGGER runner_version_{table}_{event} AFTER {event.upper()} ON {table}"
                f" BEGIN {move} WHERE runner_id IN ({runners}); END"
            )
    op.execute(
        "CREATE TRIGGER runner_version_runners_insert AFTER INSERT ON runners BEGIN"
        f" INSERT INTO runner_versions (runner_id, {', '.join(VERSIONS)})"
        f" VALUES (NEW.id, {', '.join('random()' for _ in VERSIONS)}); END"
    )
    op.execute(
        f"CREATE TRIGGER runner_version_runners_update AFTER UPDATE OF {', '.join(RUNNER_COLUMNS)}"
        " ON runners BEGIN UPDATE runner_versions SET data_version = random()"
        " WHERE runner_id = NEW.id; END"
    )
