"""Assessments of one runner: triage, store, read back.

A runner with recorded training has the history they left out filled from it (what the
runner said always wins). A local SQLite file at the current schema, with no training
to read, is written through the storage's standard-library path, so that
`stridewell assess --json` never imports SQLAlchemy.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from stridewell.contract import Assessment, History, TriageReport
from stridewell.errors import NotFound
from stridewell.service.backend import Backend
from stridewell.service.quick_assess import (
    AssessmentInput,
    AssessmentResult,
    assess_quickly,
    parsed,
    to_store,
    triage,
)
from stridewell.service.training import HistoryFromData, TrainingService
from stridewell.triage.engine import assess as run_triage

if TYPE_CHECKING:
    from stridewell.load.notes import Note
    from stridewell.storage.records import StoredAssessment

# Re-exported: callers of the service know these names from here.
__all__ = [
    "AssessmentInput",
    "AssessmentResult",
    "AssessmentService",
    "parsed",
    "to_store",
    "triage",
]


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
        return assess_quickly(
            self._backend.database_url, self.runner_id, self._backend.clock, assessment
        )

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

        def read() -> StoredAssessment:
            found = self._backend.run(
                lambda store: store.assessments.get_assessment(assessment_id, runner_id)
            )
            if found is None:  # raised, so not kept: ids come from addresses anyone types
                raise NotFound(f"no assessment with id '{assessment_id}'")
            return found

        return self._backend.cached(runner_id, ("assessment", assessment_id), read)

    def history(self, *, limit: int = 50, offset: int = 0) -> list[StoredAssessment]:
        """A page of the runner's assessments, newest first."""
        runner_id = self.runner_id
        found = self._backend.cached(
            runner_id,
            ("assessments", limit, offset),
            lambda: tuple(
                self._backend.run(
                    lambda store: store.assessments.list_assessments(
                        runner_id, limit=limit, offset=offset
                    )
                )
            ),
        )
        return list(found)


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
