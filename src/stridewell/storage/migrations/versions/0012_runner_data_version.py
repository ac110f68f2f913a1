"""Data versions per runner, moved on by the database at every change of their rows.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30

App processes keep what they read and work out from a runner's rows (the journal, the
plan, the training load) until ``runners.data_version`` moves on
(``storage.runner_cache``). Triggers move it, so that no write path can forget to,
whichever process or machine writes, and whether through the ORM, a bulk statement or
the fast SQLite path of ``assess --json``.

``runners.training_version`` moves only with the training data (runs, shoes and their
files): the training page, the load and the shoes' mileage are kept across check-ins.

A new version is a value the runner never had before, not a count: PostgreSQL takes the
next value of one sequence, SQLite a random 64-bit number. A runner deleted and made
again under the same id (the local runner, the demo runner) so cannot come back to a
version a process still holds answers for.

PostgreSQL fires once per statement, with the statement's rows as transition tables: a
bulk import of a hundred runs moves the version once, not a hundred times. SQLite has
row triggers only; it serves one person, so the extra updates cost nothing that matters.
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
# The columns of runners itself that a page shows (its data_version is the trigger's own).
RUNNER_COLUMNS = ("name", "is_demo")


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"CREATE SEQUENCE {SEQUENCE}")
        for column in VERSIONS:
            op.add_column(
                "runners",
                sa.Column(
                    column,
                    sa.BigInteger(),
                    server_default=sa.text(f"nextval('{SEQUENCE}')"),
                    nullable=False,
                ),
            )
        _postgresql_triggers()
    else:
        # SQLite cannot add a column with a non-constant default: new runners get their
        # first versions from a trigger instead.
        for column in VERSIONS:
            op.add_column(
                "runners", sa.Column(column, sa.BigInteger(), server_default="0", nullable=False)
            )
        op.execute(f"UPDATE runners SET {_moved(VERSIONS, 'random()')}")
        _sqlite_triggers()


def _moved(columns: Sequence[str], new_value: str) -> str:
    """The SET list giving each of ``columns`` a new version."""
    return ", ".join(f"{column} = {new_value}" for column in columns)


def _versions_of(table: str) -> tuple[str, ...]:
    return VERSIONS if table in TRAINING_TABLES else ("data_version",)


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for table in RUNNER_TABLES:
        for event in ("insert", "update", "delete"):
            name = f"runner_version_{table}_{event}"
            op.execute(f"DROP TRIGGER IF EXISTS {name}" + (f" ON {table}" if postgres else ""))
    if postgres:
        for table in RUNNER_TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS runner_version_{table}_truncate ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS runner_version_{table}()")
        op.execute("DROP TRIGGER IF EXISTS runner_version_runners_update ON runners")
        op.execute("DROP FUNCTION IF EXISTS runner_version_runners()")
        op.execute("DROP FUNCTION IF EXISTS runner_version_all()")
    else:
        op.execute("DROP TRIGGER IF EXISTS runner_version_runners_insert")
        op.execute("DROP TRIGGER IF EXISTS runner_version_runners_update")
    for column in VERSIONS:
        op.execute(sa.text(f"ALTER TABLE runners DROP COLUMN {column}"))
    if postgres:
        op.execute(f"DROP SEQUENCE IF EXISTS {SEQUENCE}")


def _postgresql_triggers() -> None:
    for table, parent in RUNNER_TABLES.items():
        bump = f"UPDATE runners SET {_moved(_versions_of(table), NEXT)} WHERE id IN "
        runner_ids = _postgresql_runners(parent)
        # One function per table, each branch reading only the transition tables its
        # event has (PL/pgSQL plans a branch when it first runs it).
        op.execute(f"""
CREATE FUNCTION runner_version_{table}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    {bump}({runner_ids.format(rows="new_rows")});
  ELSIF TG_OP = 'DELETE' THEN
    {bump}({runner_ids.format(rows="old_rows")});
  ELSE
    {bump}({runner_ids.format(rows="new_rows")} UNION {runner_ids.format(rows="old_rows")});
  END IF;
  RETURN NULL;
END $$""")
        transitions = {
            "insert": "NEW TABLE AS new_rows",
            "update": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
            "delete": "OLD TABLE AS old_rows",
        }
        for event, referencing in transitions.items():
            op.execute(
                f"CREATE TRIGGER runner_version_{table}_{event} AFTER {event.upper()} ON {table}"
                f" REFERENCING {referencing} FOR EACH STATEMENT"
                f" EXECUTE FUNCTION runner_version_{table}()"
            )
    # TRUNCATE names no rows: every runner moves on.
    op.execute(f"""
CREATE FUNCTION runner_version_all() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE runners SET {_moved(VERSIONS, NEXT)};
  RETURN NULL;
END $$""")
    for table in RUNNER_TABLES:
        op.execute(
            f"CREATE TRIGGER runner_version_{table}_truncate AFTER TRUNCATE ON {table}"
            " FOR EACH STATEMENT EXECUTE FUNCTION runner_version_all()"
        )
    op.execute(f"""
CREATE FUNCTION runner_version_runners() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.data_version := {NEXT};
  RETURN NEW;
END $$""")
    op.execute(
        f"CREATE TRIGGER runner_version_runners_update BEFORE UPDATE OF {', '.join(RUNNER_COLUMNS)}"
        " ON runners FOR EACH ROW EXECUTE FUNCTION runner_version_runners()"
    )


def _sqlite_triggers() -> None:
    for table, parent in RUNNER_TABLES.items():
        bump = f"UPDATE runners SET {_moved(_versions_of(table), 'random()')} WHERE id IN "
        for event, rows in (("insert", ("NEW",)), ("update", ("NEW", "OLD")),
                            ("delete", ("OLD",))):  # fmt: skip
            ids = " UNION ".join(_sqlite_row_runner(parent, row) for row in rows)
            op.execute(
                f"CREATE TRIGGER runner_version_{table}_{event} AFTER {event.upper()} ON {table}"
                f" BEGIN {bump}({ids}); END"
            )
    op.execute(
        "CREATE TRIGGER runner_version_runners_insert AFTER INSERT ON runners"
        f" BEGIN UPDATE runners SET {_moved(VERSIONS, 'random()')} WHERE id = NEW.id; END"
    )
    # UPDATE OF the shown columns: the trigger's own update of data_version does not
    # fire it again.
    op.execute(
        f"CREATE TRIGGER runner_version_runners_update AFTER UPDATE OF {', '.join(RUNNER_COLUMNS)}"
        " ON runners BEGIN UPDATE runners SET data_version = random() WHERE id = NEW.id; END"
    )


def _postgresql_runners(parent: tuple[str, str] | None) -> str:
    """The runners of a statement's rows, as a query over its transition table ``{rows}``."""
    if parent is None:
        return "SELECT runner_id FROM {rows}"
    table, link = parent
    return f"SELECT p.runner_id FROM {{rows}} c JOIN {table} p ON p.id = c.{link}"


def _sqlite_row_runner(parent: tuple[str, str] | None, row: str) -> str:
    """The runner of the row a SQLite row trigger fires for (``NEW`` or ``OLD``)."""
    if parent is None:
        return f"SELECT {row}.runner_id"
    table, link = parent
    return f"SELECT runner_id FROM {table} WHERE id = {row}.{link}"
