"""Assessments with their triage reports (``Store.assessments``)."""

from __future__ import annotations

from sqlalchemy import select

from stridewell.storage.assessment_record import assessment_record
from stridewell.storage.core import Repository, ensure_runner_exists
from stridewell.storage.models import AssessmentRow
from stridewell.storage.records import AssessmentToStore, StoredAssessment


class AssessmentRepository(Repository):
    """Assessments: saved whole, read back one or a page at a time."""

    def save_assessment(self, values: AssessmentToStore, *, runner_id: str) -> StoredAssessment:
        """Store an assessment with its triage report; returns it as it now reads back.

        Raises ValueError/TypeError for input the database would store differently on
        the two backends (naive datetime, over-long text, non-JSON values), and
        ``UnknownRunner`` if ``runner_id`` does not exist (the local runner always does).
        """
        record = assessment_record(values, runner_id)
        row = AssessmentRow(
            id=record.id,
            runner_id=runner_id,
            created_at=record.created_at,
            input_json=record.assessment,
            report_json=record.report,
            level=record.level,
            top_condition=record.top_condition,
            kb_version=record.kb_version,
            rules_fired=record.rules_fired,
        )
        with self._write_session() as session:
            ensure_runner_exists(session, runner_id, now=record.created_at)
            session.add(row)
        return record

    def get_assessment(self, id: str, runner_id: str) -> StoredAssessment | None:
        """The assessment ``id`` if it belongs to ``runner_id``, else None."""

        def read() -> StoredAssessment | None:
            query = select(AssessmentRow).where(
                AssessmentRow.id == id, AssessmentRow.runner_id == runner_id
            )
            with self._read_session() as session:
                row = session.scalars(query).one_or_none()
                return None if row is None else _to_record(row)

        # The plan and the report page both ask for the plan's assessment.
        return self._once_per_request(("assessment", id, runner_id), read)

    def list_assessments(
        self, runner_id: str, *, limit: int = 50, offset: int = 0
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
