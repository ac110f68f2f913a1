"""Assessments of one runner: triage, store, read back.

A runner with recorded training has the history they left out filled from it (what the
runner said always wins). A local SQLite file at the current schema, with no training
to read, is written through the storage's standard-library path, so that
`stridewell assess --json` never imports SQLAlchemy.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING

from stridewell.contract import Assessment, History, TriageReport
from stridewell.errors import NotFound
from stridewell.service.backend import Backend
from stridewell.service.training import HistoryFromData, TrainingService
from stridewell.triage.engine import assess as run_triage
from stridewell.validation import parse_assessment

if TYPE_CHECKING:
    from stridewell.load.notes import Note
    from stridewell.storage.records import AssessmentToStore, StoredAssessment

# An assessment as it arrives (JSON object) before validation, or already validated.
AssessmentInput = Mapping[str, object] | Assessment


@dataclass(frozen=True, slots=True)
class AssessmentResult:
    """A triage report, and where it was stored (id is None when not saved)."""

    report: TriageReport
    id: str | None
    created_at: datetime


def parsed(data: AssessmentInput) -> Assessment:
    return data if isinstance(data, Assessment) else parse_assessment(dict(data))


def triage(data: AssessmentInput) -> TriageReport:
    """Validate and triage without storing anything (no runner, no database)."""
    return run_triage(parsed(data))


def to_store(report: TriageReport, assessment: Assessment, now: datetime) -> AssessmentToStore:
    from stridewell.storage.records import AssessmentToStore

    return AssessmentToStore(
        assessment=assessment.to_json_dict(),
        report=report.to_json_dict(),
        level=report.triage.level.value,
        top_condition=report.conditions[0].id if report.conditions else None,
        kb_version=report.knowledge_base.version,
        rules_fired=list(report.knowledge_base.rules_fired),
        created_at=now,
    )


class AssessmentService:
    """One runner's assessments."""

    def __init__(self, backend: Backend, runner_id: str, training: TrainingService) -> None:
        self._backend = backend
        self.runner_id = runner_id
        self._training = training

    def triage(self, data: AssessmentInput) -> TriageReport:
        """Validate and triage without storing anything."""
        return triage(data)

    def assess(self, data: AssessmentInput, *, save: bool = True) -> AssessmentResult:
        """Validate, triage and (by default) store an assessment with its report."""
        assessment = parsed(data)
        if save and not self._backend.store_opened:
            quick = self._assess_quickly(assessment)
            if quick is not None:
                return quick
        assessment, filled, notes = self._with_training(assessment)
        report = run_triage(assessment)
        if filled or notes:
            report = _with_training_notes(report, filled, notes)
        now = self._backend.clock()
        if not save:
            return AssessmentResult(report=report, id=None, created_at=now)
        row, runner_id = to_store(report, assessment, now), self.runner_id
        stored = self._backend.run(
            lambda store: store.assessments.save_assessment(row, runner_id=runner_id)
        )
        return AssessmentResult(report=report, id=stored.id, created_at=stored.created_at)

    def _assess_quickly(self, assessment: Assessment) -> AssessmentResult | None:
        """Triage and store through the standard library's sqlite3 when nothing more is
        needed (a local file at the current schema, no training data to read): a CLI run
        then never imports SQLAlchemy. None means: take the ordinary path."""
        from stridewell.storage.quick_sqlite import QuickSqlite

        quick = QuickSqlite.open(self._backend.database_url)
        if quick is None:
            return None
        with quick:
            if quick.has_activities(self.runner_id):
                return None
            report = run_triage(assessment)
            row = to_store(report, assessment, self._backend.clock())
            saved = quick.save_assessment(row, runner_id=self.runner_id)
        if saved is None:
            return None
        return AssessmentResult(report=report, id=saved.id, created_at=saved.created_at)

    def _with_training(
        self, assessment: Assessment
    ) -> tuple[Assessment, HistoryFromData, list[Note]]:
        """Fill the history the runner left out from their recorded training."""
        from_data, notes = self._training.history_from_data()
        given = assessment.history.model_dump(exclude_none=True) if assessment.history else {}
        filled = {k: v for k, v in from_data.items() if k not in given}
        if not filled:
            return assessment, {}, notes
        history = History.model_validate({**given, **filled})
        return assessment.model_copy(update={"history": history}), filled, notes

    def get(self, assessment_id: str) -> StoredAssessment:
        runner_id = self.runner_id
        found = self._backend.run(
            lambda store: store.assessments.get_assessment(assessment_id, runner_id)
        )
        if found is None:
            raise NotFound(f"no assessment with id '{assessment_id}'")
        return found

    def history(self, *, limit: int = 50, offset: int = 0) -> list[StoredAssessment]:
        """A page of the runner's assessments, newest first."""
        runner_id = self.runner_id
        return self._backend.run(
            lambda store: store.assessments.list_assessments(runner_id, limit=limit, offset=offset)
        )


def _with_training_notes(
    report: TriageReport, filled: HistoryFromData, notes: list[Note]
) -> TriageReport:
    from stridewell.knowledge import load_knowledge
    from stridewell.report import SourceRef

    cited = {s.id for s in report.sources}
    titles = {c.id: c for c in load_knowledge().citations}
    extra: list[SourceRef] = []
    for note in notes:
        for source in note.sources:
            if source in titles and source not in cited:
                cited.add(source)
                extra.append(SourceRef(source, titles[source].title, titles[source].url))
    return replace(
        report,
        training=[n.to_json_dict() for n in notes],
        history_from_data=filled,
        sources=[*report.sources, *extra],
    )
