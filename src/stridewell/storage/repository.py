"""``Store``: the one door to the database for the rest of Stridewell.

Callers pass plain values in and get frozen dataclasses (``records``) back; no ORM object
or SQLAlchemy exception escapes. Every write runs in a single transaction. Assessments
live here; the journal, plans, exercise logs, activities, imported files, shoes and
accounts in their own modules, mixed in.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import uuid4

from sqlalchemy import select

from stridewell.storage.account_repo import AccountStore
from stridewell.storage.activity_repo import ActivityStore
from stridewell.storage.checks import as_stored_json, require_aware, require_max_length
from stridewell.storage.core import ensure_runner_exists
from stridewell.storage.exercise_repo import ExerciseStore
from stridewell.storage.import_files_repo import ImportFileStore
from stridewell.storage.journal_repo import JournalStore
from stridewell.storage.models import (
    KB_VERSION_LENGTH,
    LEVEL_LENGTH,
    TOP_CONDITION_LENGTH,
    AssessmentRow,
)
from stridewell.storage.plan_repo import PlanStore
from stridewell.storage.records import LOCAL_RUNNER_ID, StoredAssessment
from stridewell.storage.shoe_repo import ShoeStore


class Store(
    JournalStore,
    PlanStore,
    ExerciseStore,
    ActivityStore,
    ImportFileStore,
    ShoeStore,
    AccountStore,
):
    """Persistence for runners' assessments, pain journals, recovery plans, exercise
    logs, imported activities and source files, shoes, and their accounts, sessions and
    shares with coaches, on SQLite (default) or PostgreSQL.

    Use as a context manager, or call ``close()``, to release the connection pool.
    Reads of another runner's records find nothing (None, [] or False), exactly as for
    ids that do not exist, so a runner cannot learn what others have stored.
    """

    # -- assessments --------------------------------------------------------------------

    def save_assessment(
        self,
        *,
        assessment: dict[str, Any],
        report: dict[str, Any],
        level: str,
        top_condition: str | None,
        kb_version: str,
        rules_fired: list[str],
        created_at: datetime,
        runner_id: str = LOCAL_RUNNER_ID,
    ) -> StoredAssessment:
        """Store an assessment with its triage report; returns it as it now reads back.

        Raises ValueError/TypeError for input the database would store differently on
        the two backends (naive datetime, over-long text, non-JSON values), and
        ``UnknownRunner`` if ``runner_id`` does not exist (the local runner always does).
        """
        created_at = require_aware(created_at, "created_at")
        require_max_length(level, LEVEL_LENGTH, "level")
        require_max_length(kb_version, KB_VERSION_LENGTH, "kb_version")
        if top_condition is not None:
            require_max_length(top_condition, TOP_CONDITION_LENGTH, "top_condition")
        row = AssessmentRow(
            id=uuid4().hex,
            runner_id=runner_id,
            created_at=created_at,
            input_json=as_stored_json(assessment, "assessment"),
            report_json=as_stored_json(report, "report"),
            level=level,
            top_condition=top_condition,
            kb_version=kb_version,
            rules_fired=as_stored_json(list(rules_fired), "rules_fired"),
        )
        with self._write_session() as session:
            ensure_runner_exists(session, runner_id)
            session.add(row)
        return _to_record(row)

    def get_assessment(self, id: str, runner_id: str = LOCAL_RUNNER_ID) -> StoredAssessment | None:
        """The assessment ``id`` if it belongs to ``runner_id``, else None."""
        query = select(AssessmentRow).where(
            AssessmentRow.id == id, AssessmentRow.runner_id == runner_id
        )
        with self._read_session() as session:
            row = session.scalars(query).one_or_none()
            return None if row is None else _to_record(row)

    def list_assessments(
        self, runner_id: str = LOCAL_RUNNER_ID, limit: int = 50, offset: int = 0
    ) -> list[StoredAssessment]:
        """A page of the runner's assessments, newest first."""
        if limit < 0 or offset < 0:
            raise ValueError(f"limit and offset must not be negative (got {limit}, {offset})")
        query = (
            select(AssessmentRow)
            .where(AssessmentRow.runner_id == runner_id)
            # id breaks ties so that pages never overlap or skip equal timestamps.
            .order_by(AssessmentRow.created_at.desc(), AssessmentRow.id.desc())
            .limit(limit)
            .offset(offset)
        )
        with self._read_session() as session:
            return [_to_record(row) for row in session.scalars(query)]


def _to_record(row: AssessmentRow) -> StoredAssessment:
    return StoredAssessment(
        id=row.id,
        runner_id=row.runner_id,
        created_at=row.created_at,
        assessment=row.input_json,
        report=row.report_json,
        level=row.level,
        top_condition=row.top_condition,
        kb_version=row.kb_version,
        rules_fired=list(row.rules_fired),
    )
