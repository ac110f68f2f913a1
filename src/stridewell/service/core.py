"""The Stridewell service core: storage, clock and assessments; other areas are mixins.

It validates input, runs the pure domain code and stores results. The storage layer
(and so SQLAlchemy) is only imported when something is read or written, which keeps
`stridewell assess --json` quick to start.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stridewell.contract import Assessment, History, TriageReport
from stridewell.errors import NotFound
from stridewell.service.accounts import AccountsMixin
from stridewell.service.loads import LoadMixin
from stridewell.service.plans import PlanMixin
from stridewell.service.recovery import RecoveryMixin
from stridewell.service.training import TrainingMixin
from stridewell.storage.config import resolve_database_url
from stridewell.storage.errors import DatabaseNotInitialised
from stridewell.storage.records import LOCAL_RUNNER_ID, StoredAssessment
from stridewell.triage.engine import assess as run_triage
from stridewell.validation import parse_assessment

if TYPE_CHECKING:
    from stridewell.storage.repository import Store

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class AssessmentResult:
    """A triage report, and where it was stored (id is None when not saved)."""

    report: TriageReport
    id: str | None
    created_at: datetime


class Stridewell(RecoveryMixin, PlanMixin, TrainingMixin, LoadMixin, AccountsMixin):
    """Stridewell as a library: `Stridewell().assess({...})`."""

    def __init__(
        self,
        database_url: str | None = None,
        *,
        clock: Clock = utc_now,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.database_url = database_url or resolve_database_url(env)
        self.clock = clock
        self._store: Store | None = None

    # -- lifecycle ----------------------------------------------------------------------

    @property
    def store(self) -> Store:
        if self._store is None:
            from stridewell.storage.repository import Store

            self._store = Store(self.database_url)
        return self._store

    def upgrade_database(self) -> None:
        self.store.upgrade()

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def __enter__(self) -> Stridewell:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def originals_dir(self, runner_id: str) -> Path:
        """Where a runner's original activity files are kept: beside a SQLite database,
        else in the data folder (``STRIDEWELL_DATA_DIR`` or the platform's)."""
        from stridewell.storage.config import default_data_dir

        if self.database_url.startswith("sqlite:///"):
            root = Path(self.database_url.removeprefix("sqlite:///")).parent
        else:
            configured = os.environ.get("STRIDEWELL_DATA_DIR", "").strip()
            root = Path(configured) if configured else default_data_dir()
        # Runner ids are ours (uuid hex or "local"), never a path from outside.
        return root / "originals" / runner_id

    def today(self) -> date:
        """Today's date where the runner is (the machine's local time zone)."""
        return self.clock().astimezone().date()

    def _with_schema(self, action: Callable[[], Any]) -> Any:
        """Run a storage action. A local SQLite file is set up on first use and migrated
        after an update; a shared PostgreSQL database is only migrated on request
        (`stridewell db upgrade`), since other processes may be using it."""
        try:
            return action()
        except DatabaseNotInitialised:
            if not self.database_url.startswith("sqlite"):
                raise
            self.store.upgrade()
            return action()

    # -- triage -------------------------------------------------------------------------

    def triage(self, data: Mapping[str, Any] | Assessment) -> TriageReport:
        """Validate and triage without storing anything."""
        assessment = data if isinstance(data, Assessment) else parse_assessment(dict(data))
        return run_triage(assessment)

    def assess(
        self,
        data: Mapping[str, Any] | Assessment,
        *,
        save: bool = True,
        runner_id: str = LOCAL_RUNNER_ID,
    ) -> AssessmentResult:
        """Validate, triage and (by default) store an assessment with its report."""
        assessment = data if isinstance(data, Assessment) else parse_assessment(dict(data))
        if save and self._store is None:
            quick = self._assess_quickly(assessment, runner_id)
            if quick is not None:
                return quick
        assessment, filled, notes = self._with_training(assessment, runner_id)
        report = run_triage(assessment)
        if filled or notes:
            report = self._with_training_notes(report, filled, notes)
        now = self.clock()
        if not save:
            return AssessmentResult(report=report, id=None, created_at=now)
        top = report.conditions[0].id if report.conditions else None

        def save_it() -> StoredAssessment:
            return self.store.save_assessment(
                assessment=assessment.to_json_dict(),
                report=report.to_json_dict(),
                level=report.triage.level.value,
                top_condition=top,
                kb_version=report.knowledge_base.version,
                rules_fired=report.knowledge_base.rules_fired,
                created_at=now,
                runner_id=runner_id,
            )

        stored: StoredAssessment = self._with_schema(save_it)
        return AssessmentResult(report=report, id=stored.id, created_at=stored.created_at)

    def _assess_quickly(self, assessment: Assessment, runner_id: str) -> AssessmentResult | None:
        """Triage and store through the standard library's sqlite3 when nothing more is
        needed (a local file at the current schema, no training data to read): a CLI run
        then never imports SQLAlchemy. None means: take the ordinary path."""
        from stridewell.storage.quick_sqlite import QuickSqlite

        quick = QuickSqlite.open(self.database_url)
        if quick is None:
            return None
        with quick:
            if quick.has_activities(runner_id):
                return None
            report = run_triage(assessment)
            now = self.clock()
            saved_id = quick.save_assessment(
                assessment=assessment.to_json_dict(),
                report=report.to_json_dict(),
                level=report.triage.level.value,
                top_condition=report.conditions[0].id if report.conditions else None,
                kb_version=report.knowledge_base.version,
                rules_fired=report.knowledge_base.rules_fired,
                created_at=now,
                runner_id=runner_id,
            )
        if saved_id is None:
            return None
        return AssessmentResult(report=report, id=saved_id, created_at=now.astimezone(UTC))

    def _with_training(
        self, assessment: Assessment, runner_id: str
    ) -> tuple[Assessment, dict[str, Any], list[Any]]:
        """Fill the history the runner left out from their recorded training.

        What the runner said always wins; the data only fills gaps.
        """
        from_data, notes = self.training_history(runner_id=runner_id)
        given = assessment.history.model_dump(exclude_none=True) if assessment.history else {}
        filled = {k: v for k, v in from_data.items() if k not in given}
        if not filled:
            return assessment, {}, notes
        history = History.model_validate({**given, **filled})
        return assessment.model_copy(update={"history": history}), filled, notes

    def _with_training_notes(
        self, report: TriageReport, filled: dict[str, Any], notes: list[Any]
    ) -> TriageReport:
        from dataclasses import replace

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

    def get_assessment(
        self, assessment_id: str, runner_id: str = LOCAL_RUNNER_ID
    ) -> StoredAssessment:
        found: StoredAssessment | None = self._with_schema(
            lambda: self.store.get_assessment(assessment_id, runner_id)
        )
        if found is None:
            raise NotFound(f"no assessment with id '{assessment_id}'")
        return found

    def history(
        self, runner_id: str = LOCAL_RUNNER_ID, limit: int = 50, offset: int = 0
    ) -> list[StoredAssessment]:
        result: list[StoredAssessment] = self._with_schema(
            lambda: self.store.list_assessments(runner_id=runner_id, limit=limit, offset=offset)
        )
        return result
