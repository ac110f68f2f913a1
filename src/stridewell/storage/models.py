"""The database schema as SQLAlchemy 2 typed declarative models.

Every change here needs a matching numbered migration in ``migrations/versions``;
``tests/storage/test_storage_migrations.py`` fails when the two drift apart.

Only the assessments have ORM relationships; the newer tables are reached by explicit
queries, and every child row goes with its parent through ``ON DELETE CASCADE`` in the
database, so deleting a runner never needs the ORM to load anything.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import CheckConstraint, ForeignKey, Index, MetaData, String, Text, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from stridewell.storage.db import JSONType, UTCDateTime
from stridewell.storage.records import PLAN_ACTIVE, PLAN_ENDED

ID_LENGTH = 32  # uuid4().hex
RUNNER_NAME_LENGTH = 120
LEVEL_LENGTH = 16
TOP_CONDITION_LENGTH = 64
KB_VERSION_LENGTH = 32
PLAN_STATUS_LENGTH = 16
PHASE_LENGTH = 32
RULE_ID_LENGTH = 64
EXERCISE_ID_LENGTH = 64

# Deterministic constraint names: SQLite's batch migrations (copy the table, swap it in)
# can only drop or alter a constraint that has a name, and names must match across
# backends for one migration to serve both.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utc_now() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSONType,
        list[str]: JSONType,
    }


class RunnerRow(Base):
    __tablename__ = "runners"

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    name: Mapped[str] = mapped_column(String(RUNNER_NAME_LENGTH))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)

    # passive_deletes: the database cascades (ON DELETE CASCADE), so the ORM must not
    # load every assessment just to delete it.
    assessments: Mapped[list[AssessmentRow]] = relationship(
        back_populates="runner", passive_deletes=True
    )


class AssessmentRow(Base):
    __tablename__ = "assessments"
    # Listing is "this runner's assessments, newest first": one composite index serves
    # that query and, through its leading column, every lookup by runner_id.
    __table_args__ = (Index("ix_assessments_runner_id_created_at", "runner_id", "created_at"),)

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    runner_id: Mapped[str] = mapped_column(
        String(ID_LENGTH), ForeignKey("runners.id", ondelete="CASCADE")
    )
    created_at: Mapped[datetime] = mapped_column(index=True)
    input_json: Mapped[dict[str, Any]]
    report_json: Mapped[dict[str, Any]]
    level: Mapped[str] = mapped_column(String(LEVEL_LENGTH))
    top_condition: Mapped[str | None] = mapped_column(String(TOP_CONDITION_LENGTH))
    kb_version: Mapped[str] = mapped_column(String(KB_VERSION_LENGTH))
    rules_fired: Mapped[list[str]]

    runner: Mapped[RunnerRow] = relationship(back_populates="assessments")


class JournalEntryRow(Base):
    """A journal entry's identity; its content lives in ``journal_revisions``.

    ``day`` is the day of the latest revision, kept here so that listing a runner's
    days is one index range scan; edits update it together with the new revision.
    """

    __tablename__ = "journal_entries"
    __table_args__ = (Index("ix_journal_entries_runner_id_day", "runner_id", "day"),)

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    runner_id: Mapped[str] = mapped_column(
        String(ID_LENGTH), ForeignKey("runners.id", ondelete="CASCADE")
    )
    day: Mapped[date]
    # When the first revision was recorded: orders entries within a day, and edits do
    # not move an entry.
    created_at: Mapped[datetime]


class JournalRevisionRow(Base):
    """One version of a journal entry; edits add a row, nothing is ever overwritten."""

    __tablename__ = "journal_revisions"

    entry_id: Mapped[str] = mapped_column(
        String(ID_LENGTH),
        ForeignKey("journal_entries.id", ondelete="CASCADE"),
        primary_key=True,
    )
    revision: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    # The entry's day as of this revision (an edit may move the entry to another day).
    day: Mapped[date]
    recorded_at: Mapped[datetime]
    data: Mapped[dict[str, Any]]


class PlanRow(Base):
    __tablename__ = "plans"
    __table_args__ = (
        CheckConstraint(f"status IN ('{PLAN_ACTIVE}', '{PLAN_ENDED}')", name="status"),
        # One active plan per runner, guaranteed by the database whatever the writers do;
        # it also serves the "this runner's active plan" lookup.
        Index(
            "uq_plans_runner_id_active",
            "runner_id",
            unique=True,
            sqlite_where=text(f"status = '{PLAN_ACTIVE}'"),
            postgresql_where=text(f"status = '{PLAN_ACTIVE}'"),
        ),
    )

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    # Indexed: deleting a runner cascades through it (the partial index above only
    # covers active plans).
    runner_id: Mapped[str] = mapped_column(
        String(ID_LENGTH), ForeignKey("runners.id", ondelete="CASCADE"), index=True
    )
    # Indexed: deleting an assessment sets it to NULL in its plans.
    assessment_id: Mapped[str | None] = mapped_column(
        String(ID_LENGTH), ForeignKey("assessments.id", ondelete="SET NULL"), index=True
    )
    start_date: Mapped[date]
    created_at: Mapped[datetime]
    kb_version: Mapped[str] = mapped_column(String(KB_VERSION_LENGTH))
    status: Mapped[str] = mapped_column(String(PLAN_STATUS_LENGTH))
    # The triage report the plan was built from, as it was then: the plan stays
    # reproducible even if the assessment is deleted.
    report_json: Mapped[dict[str, Any]]


class PlanDayRow(Base):
    __tablename__ = "plan_days"

    # The primary key (plan_id, day) serves every query: a plan's days in a date range.
    plan_id: Mapped[str] = mapped_column(
        String(ID_LENGTH), ForeignKey("plans.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(primary_key=True)
    day_number: Mapped[int]
    phase: Mapped[str] = mapped_column(String(PHASE_LENGTH))
    rule_id: Mapped[str] = mapped_column(String(RULE_ID_LENGTH))
    data: Mapped[dict[str, Any]]


class ExerciseLogRow(Base):
    __tablename__ = "exercise_logs"
    __table_args__ = (Index("ix_exercise_logs_runner_id_day", "runner_id", "day"),)

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    runner_id: Mapped[str] = mapped_column(
        String(ID_LENGTH), ForeignKey("runners.id", ondelete="CASCADE")
    )
    day: Mapped[date]
    exercise_id: Mapped[str] = mapped_column(String(EXERCISE_ID_LENGTH))
    sets_done: Mapped[int]
    reps_or_seconds: Mapped[int | None]
    note: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[datetime]
