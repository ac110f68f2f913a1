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

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from stridewell.storage.db import JSONType, UTCDateTime

# Column lengths live in plain Python: the standard-library write path checks them too.
from stridewell.storage.limits import (
    DEVICE_LENGTH,
    DIGEST_LENGTH,
    EMAIL_LENGTH,
    EXERCISE_ID_LENGTH,
    EXTERNAL_ID_LENGTH,
    FINGERPRINT_LENGTH,
    GEAR_LENGTH,
    ID_LENGTH,
    KB_VERSION_LENGTH,
    LEVEL_LENGTH,
    LIMITER_KEY_LENGTH,
    PHASE_LENGTH,
    PLAN_STATUS_LENGTH,
    ROLE_LENGTH,
    RULE_ID_LENGTH,
    RUNNER_NAME_LENGTH,
    SHOE_BRAND_LENGTH,
    SHOE_MODEL_LENGTH,
    SHOE_NICKNAME_LENGTH,
    SHOE_TYPE_LENGTH,
    SOURCE_FORMAT_LENGTH,
    SPORT_LENGTH,
    TIME_ZONE_LENGTH,
    TOKEN_NAME_LENGTH,
    TOP_CONDITION_LENGTH,
)
from stridewell.storage.records import PLAN_ACTIVE, PLAN_ENDED, ROLE_COACH, ROLE_RUNNER

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
    # The demo runner (`make run`, `stridewell demo`): made-up data, kept apart, removable.
    is_demo: Mapped[bool] = mapped_column(default=False, server_default=false())
    # The runner's IANA time zone ("Europe/London"): their days and shown times. None:
    # the machine's own zone, as on a one-person install (migration 0015).
    time_zone: Mapped[str | None] = mapped_column(String(TIME_ZONE_LENGTH), default=None)

    # passive_deletes: the database cascades (ON DELETE CASCADE), so the ORM must not
    # load every assessment just to delete it.
    assessments: Mapped[list[AssessmentRow]] = relationship(
        back_populates="runner", passive_deletes=True
    )


class RunnerVersionRow(Base):
    """A runner's data versions, moved on by database triggers at every change of their
    rows (migration 0012); app processes keep answers read from those rows until they
    do (storage.runner_cache). Made and written by the triggers only."""

    __tablename__ = "runner_versions"

    runner_id: Mapped[str] = mapped_column(
        String(ID_LENGTH), ForeignKey("runners.id", ondelete="CASCADE"), primary_key=True
    )
    data_version: Mapped[int] = mapped_column(BigInteger)
    # Moved by changes of the training data only (runs, shoes, their files).
    training_version: Mapped[int] = mapped_column(BigInteger)


class AssessmentRow(Base):
    __tablename__ = "assessments"
    # Listing is "this runner's assessments, newest first": one composite index serves
    # that query and, through its leading column, every lookup by runner_id.
    __table_args__ = (
        Index("ix_assessments_runner_id_created_at", "runner_id", "created_at"),
        # An emergency is corrected at most once; the index also finds the correction of
        # an assessment when its runner's history is read.
        Index("ix_assessments_corrects_id", "corrects_id", unique=True),
    )

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
    # The emergency assessment (of the same runner) that this one corrects: the runner
    # changed an answer given by mistake (migration 0014, which says why there is no
    # foreign key). The emergency stays stored.
    corrects_id: Mapped[str | None] = mapped_column(String(ID_LENGTH))

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


class ShoeRow(Base):
    """A pair of shoes; activities point at it, and its mileage is theirs summed."""

    __tablename__ = "shoes"
    __table_args__ = (
        CheckConstraint("check_km > 0 AND replace_km >= check_km", name="km_limits"),
        CheckConstraint("retired IS NULL OR started IS NULL OR retired >= started", name="dates"),
        CheckConstraint("retired IS NULL OR NOT is_default", name="retired_not_default"),
        CheckConstraint("start_km >= 0", name="start_km"),
        # At most one default shoe per runner, guaranteed by the database as for plans.
        Index(
            "uq_shoes_runner_id_default",
            "runner_id",
            unique=True,
            sqlite_where=text("is_default"),
            postgresql_where=text("is_default"),
        ),
    )

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    # Indexed: listing a runner's shoes, and deleting a runner cascades through it.
    runner_id: Mapped[str] = mapped_column(
        String(ID_LENGTH), ForeignKey("runners.id", ondelete="CASCADE"), index=True
    )
    brand: Mapped[str] = mapped_column(String(SHOE_BRAND_LENGTH))
    model: Mapped[str] = mapped_column(String(SHOE_MODEL_LENGTH))
    type: Mapped[str] = mapped_column(String(SHOE_TYPE_LENGTH))
    nickname: Mapped[str | None] = mapped_column(String(SHOE_NICKNAME_LENGTH))
    started: Mapped[date | None]
    retired: Mapped[date | None]
    is_default: Mapped[bool]
    check_km: Mapped[float]
    replace_km: Mapped[float]
    # Kilometres the pair had run before Stridewell tracked it (0 for shoes from before
    # revision 0004, hence the server default).
    start_km: Mapped[float] = mapped_column(server_default=text("0"))
    # The gear name of an export (Strava's activities.csv) that means this pair.
    strava_gear: Mapped[str | None] = mapped_column(String(GEAR_LENGTH))
    created_at: Mapped[datetime]


class ActivityRow(Base):
    """One imported activity: summary columns, plus its samples as an opaque blob."""

    __tablename__ = "activities"
    __table_args__ = (
        # The same outing is stored once per runner; imports skip rows that collide here
        # (INSERT ... ON CONFLICT DO NOTHING). Its leading column also serves the
        # cascade from runners.
        UniqueConstraint("runner_id", "fingerprint"),
        # Listing, date ranges and the load summaries: one range scan per runner.
        Index("ix_activities_runner_id_start_time", "runner_id", "start_time"),
    )

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    runner_id: Mapped[str] = mapped_column(
        String(ID_LENGTH), ForeignKey("runners.id", ondelete="CASCADE")
    )
    source_format: Mapped[str] = mapped_column(String(SOURCE_FORMAT_LENGTH))
    sport: Mapped[str] = mapped_column(String(SPORT_LENGTH))
    sub_sport: Mapped[str | None] = mapped_column(String(SPORT_LENGTH))
    is_indoor: Mapped[bool]
    start_time: Mapped[datetime]
    duration_s: Mapped[float]
    moving_time_s: Mapped[float]
    distance_m: Mapped[float]
    elevation_gain_m: Mapped[float | None]
    avg_hr: Mapped[float | None]
    max_hr: Mapped[float | None]
    avg_cadence: Mapped[float | None]
    name: Mapped[str | None] = mapped_column(Text)
    device: Mapped[str | None] = mapped_column(String(DEVICE_LENGTH))
    gear: Mapped[str | None] = mapped_column(String(GEAR_LENGTH))
    # Indexed: deleting a shoe sets it to NULL in its activities.
    shoe_id: Mapped[str | None] = mapped_column(
        String(ID_LENGTH), ForeignKey("shoes.id", ondelete="SET NULL"), index=True
    )
    # The file, or the member of an archive, the activity was read from.
    source_name: Mapped[str] = mapped_column(Text)
    external_id: Mapped[str | None] = mapped_column(String(EXTERNAL_ID_LENGTH))
    fingerprint: Mapped[str] = mapped_column(String(FINGERPRINT_LENGTH))
    warnings: Mapped[list[str]]
    imported_at: Mapped[datetime]
    # The samples in the service's compact encoding; storage never looks inside.
    samples: Mapped[bytes | None]
    # Where the service keeps the original file, if it does.
    original_path: Mapped[str | None] = mapped_column(Text)


class ImportFileRow(Base):
    """A source file the runner has imported, known by the SHA-256 of its bytes, so that
    a later import can skip it without parsing it again."""

    __tablename__ = "import_files"
    __table_args__ = (CheckConstraint("activities >= 0", name="activities"),)

    # The primary key's leading column serves the cascade from runners.
    runner_id: Mapped[str] = mapped_column(
        String(ID_LENGTH), ForeignKey("runners.id", ondelete="CASCADE"), primary_key=True
    )
    digest: Mapped[str] = mapped_column(String(DIGEST_LENGTH), primary_key=True)
    # The file, or the member of an archive, as in activities.source_name.
    source_name: Mapped[str] = mapped_column(Text)
    # How many activities the file gave (0: none, or all of them duplicates).
    activities: Mapped[int]
    first_seen: Mapped[datetime]


class StoredFileRow(Base):
    """A file kept in the database, in chunks: an original activity file (on PostgreSQL,
    so any server can hand it back) or an upload waiting for its import job."""

    __tablename__ = "stored_files"
    __table_args__ = (CheckConstraint("kind IN ('original', 'upload')", name="kind"),)

    runner_id: Mapped[str] = mapped_column(
        String(ID_LENGTH), ForeignKey("runners.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    # An original: "<sha256><suffix>"; an upload: "<job id>/<position>".
    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    size: Mapped[int]
    created_at: Mapped[datetime]


class StoredFileChunkRow(Base):
    """One piece of a stored file, in order; deleted with its file."""

    __tablename__ = "stored_file_chunks"
    __table_args__ = (
        ForeignKeyConstraint(
            ["runner_id", "kind", "name"],
            ["stored_files.runner_id", "stored_files.kind", "stored_files.name"],
            ondelete="CASCADE",
        ),
    )

    runner_id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    seq: Mapped[int] = mapped_column(primary_key=True)
    data: Mapped[bytes]


class ImportJobRow(Base):
    """An import of uploaded files, run by a worker (PostgreSQL) or in process (SQLite):
    its state and progress, and the report's counts once done."""

    __tablename__ = "import_jobs"
    __table_args__ = (
        CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name="status"),
        Index("ix_import_jobs_runner_id_created_at", "runner_id", "created_at"),
    )

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    runner_id: Mapped[str] = mapped_column(
        String(ID_LENGTH), ForeignKey("runners.id", ondelete="CASCADE")
    )
    status: Mapped[str] = mapped_column(String(16))
    # Files handled so far, of how many (None until the uploads are listed).
    done: Mapped[int]
    total: Mapped[int | None]
    attempts: Mapped[int]
    # Which process runs it ("host:pid"), for the operator.
    worker: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime]
    first_started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(Text)
    summary: Mapped[dict[str, Any] | None]


class ImportJobInputRow(Base):
    """One uploaded file of a job, under the name the runner gave it."""

    __tablename__ = "import_job_inputs"

    job_id: Mapped[str] = mapped_column(
        String(ID_LENGTH), ForeignKey("import_jobs.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    size: Mapped[int]


class ImportJobResultRow(Base):
    """What a job did with one file (an archive's members each have their own): written
    as each chunk is stored, so a job finished by another worker reports every file."""

    __tablename__ = "import_job_results"
    __table_args__ = (
        CheckConstraint("result IN ('imported', 'duplicate', 'skipped')", name="result"),
        CheckConstraint("runs >= 0", name="runs"),
    )

    job_id: Mapped[str] = mapped_column(
        String(ID_LENGTH), ForeignKey("import_jobs.id", ondelete="CASCADE"), primary_key=True
    )
    # The file's place in the job's list of sources (stable from one attempt to the next).
    ordinal: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    result: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text)
    runs: Mapped[int]


class AccountRow(Base):
    """A runner's login: one account per runner, deleted with them."""

    __tablename__ = "accounts"
    __table_args__ = (CheckConstraint(f"role IN ('{ROLE_RUNNER}', '{ROLE_COACH}')", name="role"),)

    runner_id: Mapped[str] = mapped_column(
        String(ID_LENGTH), ForeignKey("runners.id", ondelete="CASCADE"), primary_key=True
    )
    # Stored lower-cased and stripped, so the unique constraint is case-insensitive.
    email: Mapped[str] = mapped_column(String(EMAIL_LENGTH), unique=True)
    password_hash: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(ROLE_LENGTH))
    created_at: Mapped[datetime]
    password_changed_at: Mapped[datetime]


class LoginSessionRow(Base):
    """A signed-in browser, known by the SHA-256 of its cookie token (never the token)."""

    __tablename__ = "sessions"

    token_hash: Mapped[str] = mapped_column(String(DIGEST_LENGTH), primary_key=True)
    # Indexed: signing a runner out everywhere, and deleting a runner cascades through it.
    runner_id: Mapped[str] = mapped_column(
        String(ID_LENGTH), ForeignKey("runners.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]


class ShareRow(Base):
    """A runner's invitation for a coach to view their data, and its acceptance.

    Known by the SHA-256 of the invite token (never the token); ``coach_id`` is set when
    a coach accepts it. Deleting either runner deletes the share.
    """

    __tablename__ = "shares"

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    # Indexed: the runner's shares, and deleting a runner cascades through it.
    runner_id: Mapped[str] = mapped_column(
        String(ID_LENGTH), ForeignKey("runners.id", ondelete="CASCADE"), index=True
    )
    invite_hash: Mapped[str] = mapped_column(String(DIGEST_LENGTH), unique=True)
    # Indexed: the coach's runners, and deleting the coach cascades through it.
    coach_id: Mapped[str | None] = mapped_column(
        String(ID_LENGTH), ForeignKey("runners.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


RUNNING_MODE_LENGTH = 16  # back_to_running, prevention


class RunningPlanRow(Base):
    """A runner's running plan: how it started and what it builds to. One per runner;
    its weeks are rebuilt from the journal, imports and shoes each time it is read."""

    __tablename__ = "running_plans"
    __table_args__ = (
        CheckConstraint("mode IN ('back_to_running', 'prevention')", name="mode"),
        CheckConstraint("(goal_km IS NULL) = (goal_day IS NULL)", name="goal"),
    )

    runner_id: Mapped[str] = mapped_column(
        String(ID_LENGTH), ForeignKey("runners.id", ondelete="CASCADE"), primary_key=True
    )
    mode: Mapped[str] = mapped_column(String(RUNNING_MODE_LENGTH))
    start_date: Mapped[date]
    # The targets as the domain's record (with the method that gave them).
    targets: Mapped[dict[str, Any]]
    goal_km: Mapped[float | None]
    goal_day: Mapped[date | None]
    # Where the foot hurt and the warning signs already assessed, from the recovery
    # plan's assessment: kept here so the plan stays the same if that plan is ended.
    locations: Mapped[list[str]]
    known_flags: Mapped[list[str]]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class LimiterCounterRow(Base):
    """How many attempts a key (a sign-in's address, an account, a registration's
    address...) made in its current window. One row per key, updated in one statement
    so that parallel attempts in several server processes count exactly; rows of an
    ended window are deleted by ``LimiterRepository.forget_expired``."""

    __tablename__ = "limiter_counters"
    __table_args__ = (CheckConstraint("attempts >= 0", name="attempts"),)

    key: Mapped[str] = mapped_column(String(LIMITER_KEY_LENGTH), primary_key=True)
    window_started_at: Mapped[datetime]
    # Indexed: forgetting the counters of ended windows.
    expires_at: Mapped[datetime] = mapped_column(index=True)
    attempts: Mapped[int]


class ApiTokenRow(Base):
    """A runner's API token for scripts, known by the SHA-256 of the token (never the
    token itself); revoked tokens are kept (with ``revoked_at``) so a list can show them."""

    __tablename__ = "api_tokens"

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    # Indexed: the runner's tokens, and deleting a runner cascades through it.
    runner_id: Mapped[str] = mapped_column(
        String(ID_LENGTH), ForeignKey("runners.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(TOKEN_NAME_LENGTH))
    token_hash: Mapped[str] = mapped_column(String(DIGEST_LENGTH), unique=True)
    created_at: Mapped[datetime]
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class ClinicianNoteRow(Base):
    """A clinician's or coach's word on a runner: a confirmed diagnosis, a running
    restriction and a note. It stays in the runner's history after the share ends; the
    author's name is kept with it, and survives the author's account (author_id NULL)."""

    __tablename__ = "clinician_notes"
    __table_args__ = (
        CheckConstraint("restriction IN ('none', 'reduced', 'no_running')", name="restriction"),
        Index("ix_clinician_notes_runner_id_recorded_at", "runner_id", "recorded_at"),
    )

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    runner_id: Mapped[str] = mapped_column(
        String(ID_LENGTH), ForeignKey("runners.id", ondelete="CASCADE")
    )
    author_id: Mapped[str | None] = mapped_column(
        String(ID_LENGTH), ForeignKey("runners.id", ondelete="SET NULL"), index=True
    )
    author_name: Mapped[str] = mapped_column(String(RUNNER_NAME_LENGTH))
    # A knowledge-base condition id, or NULL with ``condition_text`` for "other".
    condition_id: Mapped[str | None] = mapped_column(String(TOP_CONDITION_LENGTH))
    condition_text: Mapped[str] = mapped_column(Text)
    restriction: Mapped[str] = mapped_column(String(16))
    restrict_until: Mapped[date | None]
    note: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[datetime]
