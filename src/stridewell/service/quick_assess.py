"""Triage one assessment and store it, with as little imported as possible.

`stridewell assess --json` is the most scripted use of Stridewell, so its cold start is
a budget: this module needs only the contract, the triage engine and the storage's
standard-library path. It holds what the full `AssessmentService` shares with that path
(the result record, validation, the row to store), so the two cannot drift apart, and
the one-shot write `assess_quickly` that the CLI tries before opening the service stack.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from stridewell.contract import Assessment, TriageReport
from stridewell.triage.engine import assess as run_triage
from stridewell.validation import parse_assessment

if TYPE_CHECKING:
    from stridewell.storage.records import AssessmentToStore

# An assessment as it arrives (JSON object) before validation, or already validated.
AssessmentInput = Mapping[str, object] | Assessment


@dataclass(frozen=True, slots=True)
class AssessmentResult:
    """A triage report, and where it was stored (id is None when not saved)."""

    report: TriageReport
    id: str | None
    created_at: datetime
    # The emergency assessment this one was stored as correcting (None when not linked).
    corrects: str | None = None


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


def assess_quickly(
    database_url: str, runner_id: str, clock: Callable[[], datetime], assessment: Assessment
) -> AssessmentResult | None:
    """Triage and store through the standard library's sqlite3 when nothing more is
    needed (a local file at the current schema, no training data to read): the run then
    never imports SQLAlchemy nor the rest of the services. None means: take the ordinary
    path (`AssessmentService.assess`), which can set up or migrate the database."""
    from stridewell.storage.quick_sqlite import QuickSqlite

    quick = QuickSqlite.open(database_url)
    if quick is None:
        return None
    with quick:
        if quick.has_activities(runner_id):
            return None  # the ordinary path fills the history from the recorded training
        report = run_triage(assessment)
        row = to_store(report, assessment, clock())
        saved = quick.save_assessment(row, runner_id=runner_id)
    if saved is None:
        return None
    return AssessmentResult(report=report, id=saved.id, created_at=saved.created_at)


def assess_locally(assessment: Assessment) -> AssessmentResult | None:
    """`assess_quickly` for the local runner of the configured database, now."""
    from stridewell.service.backend import utc_now
    from stridewell.storage.config import resolve_database_url
    from stridewell.storage.records import LOCAL_RUNNER_ID

    return assess_quickly(resolve_database_url(), LOCAL_RUNNER_ID, utc_now, assessment)
