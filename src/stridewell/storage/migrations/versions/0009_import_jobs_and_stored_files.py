"""Import jobs (state, uploaded files, per-file results) and files kept in the database.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30

The task queue's own tables (procrastinate's, PostgreSQL only) are not made here: they
are procrastinate's schema, applied by `stridewell db upgrade` and by `stridewell worker`
(``stridewell.jobs.queue.ensure_queue_schema``), so that this schema stays exactly the
models' one.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _runner_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["runner_id"],
        ["runners.id"],
        name=op.f(f"fk_{table}_runner_id_runners"),
        ondelete="CASCADE",
    )


def _job_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["job_id"],
        ["import_jobs.id"],
        name=op.f(f"fk_{table}_job_id_import_jobs"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    # New tables only, so no batch mode: SQLite creates them with every constraint.
    op.create_table(
        "stored_files",
        sa.Column("runner_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('original', 'upload')", name=op.f("ck_stored_files_kind")),
        _runner_fk("stored_files"),
        sa.PrimaryKeyConstraint("runner_id", "kind", "name", name=op.f("pk_stored_files")),
    )
    op.create_table(
        "stored_file_chunks",
        sa.Column("runner_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["runner_id", "kind", "name"],
            ["stored_files.runner_id", "stored_files.kind", "stored_files.name"],
            name=op.f("fk_stored_file_chunks_runner_id_stored_files"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "runner_id", "kind", "name", "seq", name=op.f("pk_stored_file_chunks")
        ),
    )
    op.create_table(
        "import_jobs",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("runner_id", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("worker", sa.String(length=120), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("first_started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column(
            "summary",
            sa.JSON().with_variant(sa.dialects.postgresql.JSONB(), "postgresql"),
            nullable=True,
        ),
        sa.CheckConstraint(
            "status IN ('queued', 'running', 'done', 'failed')",
            name=op.f("ck_import_jobs_status"),
        ),
        _runner_fk("import_jobs"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_jobs")),
    )
    op.create_index(
        "ix_import_jobs_runner_id_created_at", "import_jobs", ["runner_id", "created_at"]
    )
    op.create_table(
        "import_job_inputs",
        sa.Column("job_id", sa.String(length=32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        _job_fk("import_job_inputs"),
        sa.PrimaryKeyConstraint("job_id", "position", name=op.f("pk_import_job_inputs")),
    )
    op.create_table(
        "import_job_results",
        sa.Column("job_id", sa.String(length=32), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("result", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("runs", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "result IN ('imported', 'duplicate', 'skipped')",
            name=op.f("ck_import_job_results_result"),
        ),
        sa.CheckConstraint("runs >= 0", name=op.f("ck_import_job_results_runs")),
        _job_fk("import_job_results"),
        sa.PrimaryKeyConstraint("job_id", "ordinal", name=op.f("pk_import_job_results")),
    )


def downgrade() -> None:
    op.drop_table("import_job_results")
    op.drop_table("import_job_inputs")
    op.drop_index("ix_import_jobs_runner_id_created_at", table_name="import_jobs")
    op.drop_table("import_jobs")
    op.drop_table("stored_file_chunks")
    op.drop_table("stored_files")
