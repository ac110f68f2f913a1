"""The database schema as SQLAlchemy 2 typed declarative models.

Every change here needs a matching numbered migration in ``migrations/versions``;
``tests/storage/test_migrations.py`` fails when the two drift apart.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import ForeignKey, Index, MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from stridewell.storage.db import JSONType, UTCDateTime

ID_LENGTH = 32  # uuid4().hex
RUNNER_NAME_LENGTH = 120
LEVEL_LENGTH = 16
TOP_CONDITION_LENGTH = 64
KB_VERSION_LENGTH = 32

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
