"""The handover to a clinician for one runner: the summary of an assessment (the latest
by default) with six weeks of journal and training, shoes, the plan and exercise logs,
as a PDF or a FHIR R4 Bundle.

Rendering a PDF takes a few hundred milliseconds of CPU: web routes that call it are
plain `def` routes, so it runs in the thread pool and never on the event loop.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import TYPE_CHECKING

from stridewell.errors import NotFound
from stridewell.service.backend import Backend

if TYPE_CHECKING:
    from stridewell.handover import HandoverSummary
    from stridewell.service.assessments import AssessmentService
    from stridewell.service.journal import JournalService
    from stridewell.service.plans import PlanService
    from stridewell.storage.records import StoredAssessment

LATEST = "latest"
NO_ASSESSMENT = "no assessment yet: run `stridewell assess` first, then make the handover"


class HandoverService:
    """One runner's handover: summary, PDF and FHIR export of a stored assessment."""

    def __init__(
        self,
        backend: Backend,
        runner_id: str,
        *,
        assessments: AssessmentService,
        journal: JournalService,
        plans: PlanService,
    ) -> None:
        self._backend = backend
        self.runner_id = runner_id
        self._assessments = assessments
        self._journal = journal
        self._plans = plans

    def record(self, assessment_id: str | None = None) -> StoredAssessment:
        """The stored assessment: by id, or the latest for None or "latest"."""
        if assessment_id is None or assessment_id == LATEST:
            latest = self._assessments.history(limit=1)
            if not latest:
                raise NotFound(NO_ASSESSMENT)
            return latest[0]
        return self._assessments.get(assessment_id)

    def summary(
        self, assessment_id: str | None = None, *, questions: Sequence[str] = ()
    ) -> HandoverSummary:
        """The handover summary, as of today, with the runner's own questions."""
        from stridewell.contract import Assessment
        from stridewell.handover import WINDOW_WEEKS, build_summary
        from stridewell.journal.model import ExerciseLog
        from stridewell.report import TriageReport
        from stridewell.service.training import shoe_model

        record = self.record(assessment_id)
        today, runner_id = self._backend.today(self.runner_id), self.runner_id
        # A week more than the window: the window starts on a Monday up to six days back.
        since = today - timedelta(weeks=WINDOW_WEEKS + 1)
        runs = self._backend.run(lambda store: store.activities.activity_summaries(runner_id))
        stored_shoes = self._backend.run(lambda store: store.shoes.list_shoes(runner_id))
        logs = [
            ExerciseLog(
                day=log.day,
                exercise_id=log.exercise_id,
                # The journal's own bounds; the store takes any integer.
                sets_done=min(max(log.sets_done, 0), 50),
                reps_or_seconds=None
                if log.reps_or_seconds is None
                else min(max(log.reps_or_seconds, 0), 1000),
            )
            for log in self._journal.exercise_logs(since=since)
        ]
        return build_summary(
            assessment_id=record.id,
            assessment=Assessment.model_validate(record.assessment),
            report=TriageReport.from_json_dict(record.report),
            assessed_at=record.created_at,
            today=today,
            entries=[s.entry for s in self._journal.entries(since=since)],
            runs=runs,
            shoes=[shoe_model(s) for s in stored_shoes],
            plan=self._plans.current(today=today),
            exercise_logs=logs,
            questions=questions,
            tz=self._backend.zone(runner_id),
            correction=self._assessments.correction(record),
        )

    def pdf(self, assessment_id: str | None = None, *, questions: Sequence[str] = ()) -> bytes:
        """The one-page (two at most) handover PDF."""
        from stridewell.handover import render_pdf

        return render_pdf(self.summary(assessment_id, questions=questions))

    def html(self, assessment_id: str | None = None, *, questions: Sequence[str] = ()) -> str:
        """The same page as HTML, to print from a browser."""
        from stridewell.handover import render_html

        return render_html(self.summary(assessment_id, questions=questions))

    def fhir_json(self, assessment_id: str | None = None, *, questions: Sequence[str] = ()) -> str:
        """The handover as a FHIR R4 Bundle (JSON), validated by `fhir.resources`."""
        from stridewell.handover import build_bundle

        summary = self.summary(assessment_id, questions=questions)
        bundle = build_bundle(summary, generated_at=self._backend.clock())
        text: str = bundle.model_dump_json()
        return text
