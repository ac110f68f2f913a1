"""Assessments of one runner: triage, store, read back.

A runner with recorded training has the history they left out filled from it (what the
runner said always wins). A local SQLite file at the current schema, with no training
to read, is written through the storage's standard-library path, so that
`stridewell assess --json` never imports SQLAlchemy.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
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
    from stridewell.storage.records import AssessmentToStore, StoredAssessment
    from stridewell.triage.correction import Correction

# Re-exported: callers of the service know these names from here.
__all__ = [
    "AssessmentInput",
    "AssessmentResult",
    "AssessmentService",
    "parsed",
    "to_store",
    "triage",
]

EMERGENCY = "emergency"
# How long after an emergency result a changed answer still counts as correcting it: the
# runner goes back from the emergency page and on through the questions in one sitting.
CORRECTION_WINDOW = timedelta(hours=12)
# Emergencies corrected one after another, followed no further than this (a bound, not
# a case: each correction is of the latest assessment, within the window).
MAX_CHAIN = 20


class AssessmentService:
    """One runner's assessments."""

    def __init__(self, backend: Backend, runner_id: str, training: TrainingService) -> None:
        self._backend = backend
        self.runner_id = runner_id
        self._training = training

    def triage(self, data: AssessmentInput) -> TriageReport:
        """Validate and triage without storing anything."""
        return triage(data)

    def assess(
        self, data: AssessmentInput, *, save: bool = True, corrects: str | None = None
    ) -> AssessmentResult:
        """Validate, triage and (by default) store an assessment with its report.

        ``corrects``: the emergency assessment the runner went back from to change an
        answer (the web's "Change my last answer"). It comes from a form, so it is only
        kept when it holds: an emergency of this runner, their latest assessment, made
        within `CORRECTION_WINDOW`, corrected by nothing yet, with other answers than
        these. Otherwise the assessment is stored without it (never refused: the runner's
        answers must not be lost over a link).
        """
        assessment = parsed(data)
        if save and corrects is None and not self._backend.store_opened:
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
        if corrects is not None and self._may_correct(corrects, row, now):
            row = replace(row, corrects_id=corrects)
        stored = self._backend.run(
            lambda store: store.assessments.save_assessment(row, runner_id=runner_id)
        )
        return AssessmentResult(
            report=report, id=stored.id, created_at=stored.created_at, corrects=stored.corrects_id
        )

    def _may_correct(self, corrects: str, row: AssessmentToStore, now: datetime) -> bool:
        # Read afresh, not from the runner's kept answers: this decides a write.
        runner_id = self.runner_id
        latest = self._backend.run(
            lambda store: store.assessments.list_assessments(runner_id, limit=1)
        )
        if not latest or latest[0].id != corrects:  # another runner's, or not the last one
            return False
        emergency = latest[0]
        from stridewell.triage.correction import answers_given

        return (
            emergency.level == EMERGENCY
            and emergency.corrected_by_id is None
            and timedelta(0) <= now - emergency.created_at <= CORRECTION_WINDOW
            and answers_given(emergency.assessment, emergency.report)
            != answers_given(row.assessment, row.report)
        )

    def correction(self, record: StoredAssessment) -> Correction | None:
        """How ``record`` stands to a corrected emergency, with the answers that changed:
        None for an assessment that neither was corrected nor corrects one.

        A changed answer may still give an emergency, corrected in turn: the whole chain
        counts, first emergency to final answers. An emergency points to the final
        assessment, the final one to the first emergency, and the changes list every
        value each answer took (only answers the runner gave, not training history
        filled in from their runs)."""
        from stridewell.triage.correction import Correction, answers_given, changed_along

        if record.corrected_by_id is None and record.corrects_id is None:
            return None
        chain = [record]
        while chain[0].corrects_id is not None and len(chain) < MAX_CHAIN:
            earlier = self._found(chain[0].corrects_id)
            if earlier is None:
                break
            chain.insert(0, earlier)
        while chain[-1].corrected_by_id is not None and len(chain) < MAX_CHAIN:
            later = self._found(chain[-1].corrected_by_id)
            if later is None:
                break
            chain.append(later)
        if len(chain) < 2:
            return None
        changes = changed_along([answers_given(a.assessment, a.report) for a in chain])
        if record.corrected_by_id is not None:
            final = chain[-1]
            return Correction("corrected", final.id, final.created_at, changes)
        first = chain[0]
        return Correction("corrects", first.id, first.created_at, changes)

    def _found(self, assessment_id: str) -> StoredAssessment | None:
        try:
            return self.get(assessment_id)
        except NotFound:
            return None

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
