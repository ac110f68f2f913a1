"""Assessments with their triage reports (``Store.assessments``)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, aliased

from stridewell.storage.assessment_record import assessment_record
from stridewell.storage.core import Repository, ensure_runner_exists, lock_runner
from stridewell.storage.models import AssessmentRow
from stridewell.storage.records import AssessmentToStore, StoredAssessment


class AssessmentRepository(Repository):
    """Assessments: saved whole, read back one or a page at a time."""

    def save_assessment(self, values: AssessmentToStore, *, runner_id: str) -> StoredAssessment:
        """Store an assessment with its triage report; returns it as it now reads back.

        Raises ValueError/TypeError for input the database would store differently on
        the two backends (naive datetime, over-long text, non-JSON values), and
        ``UnknownRunner`` if ``runner_id`` does not exist (the local runner always does).

        A ``corrects_id`` naming no assessment of this runner, or one already corrected,
        is dropped (the assessment is stored without it): a link comes from a form, and a
        runner's assessment must never be lost over it.
        """
        record = assessment_record(values, runner_id)
        with self._write_session() as session:
            if record.corrects_id is None:
                ensure_runner_exists(session, runner_id, now=record.created_at)
            else:
                # Taken in turn with the runner's other writes: one correction per emergency.
                lock_runner(session, runner_id)
                if not _may_correct(session, record.corrects_id, runner_id):
                    record = replace(record, corrects_id=None)
            session.add(_to_row(record))
        return record

    def get_assessment(self, id: str, runner_id: str) -> StoredAssessment | None:
        """The assessment ``id`` if it belongs to ``runner_id``, else None."""

        def read() -> StoredAssessment | None:
            query = _with_correction().where(
                AssessmentRow.id == id, AssessmentRow.runner_id == runner_id
            )
            with self._read_session() as session:
                found = session.execute(query).one_or_none()
                if found is None:
                    return None
                row, by_id, by_at = found
                return _to_record(row, by_id, by_at)

        # The plan and the report page both ask for the plan's assessment.
        return self._once_per_request(("assessment", id, runner_id), read)

    def list_assessments(
        self, runner_id: str, *, limit: int = 50, offset: int = 0
    ) -> list[StoredAssessment]:
        """A page of the runner's assessments, newest first."""
        if limit < 0 or offset < 0:
            raise ValueError(f"limit and offset must not be negative (got {limit}, {offset})")
        query = (
            _with_correction()
            .where(AssessmentRow.runner_id == runner_id)
            # id breaks ties so that pages never overlap or skip equal timestamps.
            .order_by(AssessmentRow.created_at.desc(), AssessmentRow.id.desc())
            .limit(limit)
            .offset(offset)
        )
        with self._read_session() as session:
            return [_to_record(row, by_id, by_at) for row, by_id, by_at in session.execute(query)]


def _may_correct(session: Session, corrects_id: str, runner_id: str) -> bool:
    """Whether ``corrects_id`` is an assessment of ``runner_id`` that nothing corrects yet."""
    own = session.scalar(
        select(AssessmentRow.id).where(
            AssessmentRow.id == corrects_id, AssessmentRow.runner_id == runner_id
        )
    )
    taken = session.scalar(select(AssessmentRow.id).where(AssessmentRow.corrects_id == corrects_id))
    return own is not None and taken is None


def _with_correction() -> Select[AssessmentRow, str, datetime]:
    """Assessments with the one that corrects each (at most one: a unique index); the
    correction's id and time are None (an outer join) where nothing corrects it."""
    later = aliased(AssessmentRow)
    return select(AssessmentRow, later.id, later.created_at).outerjoin(
        later, later.corrects_id == AssessmentRow.id
    )


def _to_row(record: StoredAssessment) -> AssessmentRow:
    return AssessmentRow(
        id=record.id,
        runner_id=record.runner_id,
        created_at=record.created_at,
        input_json=record.assessment,
        report_json=record.report,
        level=record.level,
        top_condition=record.top_condition,
        kb_version=record.kb_version,
        rules_fired=record.rules_fired,
        corrects_id=record.corrects_id,
    )


def _to_record(
    row: AssessmentRow, corrected_by_id: str | None = None, corrected_at: datetime | None = None
) -> StoredAssessment:
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
        corrects_id=row.corrects_id,
        corrected_by_id=corrected_by_id,
        corrected_at=corrected_at,
    )
