"""REST API, version 1: assessments, triage, the runner's settings, the knowledge base
and health.

Every route is a plain ``def``: FastAPI runs it in its thread pool, so database work
never holds up the event loop. Each route gets the signed-in runner's services through
the typed `Runner` dependency and declares its response model.
"""

from __future__ import annotations

from fastapi import APIRouter, Query, Response

from stridewell.contract import Assessment
from stridewell.knowledge import load_knowledge
from stridewell.service.records import StoredAssessment
from stridewell.web.api_models import (
    AssessmentSummary,
    HealthBody,
    KnowledgeBody,
    ReportBody,
    RunnerBody,
    RunnerChange,
    StoredAssessmentBody,
    StoredReportBody,
)
from stridewell.web.deps import App, Runner

router = APIRouter(prefix="/api/v1", tags=["api"])


def _stored_body(record: StoredAssessment) -> StoredAssessmentBody:
    return StoredAssessmentBody.model_validate(
        {
            **record.report,
            "id": record.id,
            "created_at": record.created_at,
            "assessment": record.assessment,
            "corrects": record.corrects_id,
            "corrected_by": record.corrected_by_id,
        }
    )


@router.post("/assessments", status_code=201, response_model=StoredReportBody)
def create_assessment(
    assessment: Assessment, runner: Runner, response: Response
) -> StoredReportBody:
    """Triage an assessment (the contract's object) and store it; returns the report.

    The report carries the contract's fields plus `id` and `created_at` of the stored
    assessment; the `Location` header points at it.
    """
    result = runner.assessments.assess(assessment)
    response.headers["Location"] = f"/api/v1/assessments/{result.id}"
    return StoredReportBody.model_validate(
        {**result.report.to_json_dict(), "id": result.id, "created_at": result.created_at}
    )


@router.get("/assessments/{assessment_id}", response_model=StoredAssessmentBody)
def get_assessment(assessment_id: str, runner: Runner) -> StoredAssessmentBody:
    """A stored assessment: its report, with the original input under `assessment`."""
    return _stored_body(runner.assessments.get(assessment_id))


@router.get("/assessments", response_model=list[AssessmentSummary])
def list_assessments(
    runner: Runner,
    limit: int = Query(20, ge=1, le=200),
    offset: int = Query(0, ge=0, le=1_000_000),
) -> list[AssessmentSummary]:
    """Past assessments, newest first."""
    return [
        AssessmentSummary(
            id=r.id,
            created_at=r.created_at,
            level=r.level,
            top_condition=r.top_condition,
            kb_version=r.kb_version,
            corrects=r.corrects_id,
            corrected_by=r.corrected_by_id,
        )
        for r in runner.assessments.history(limit=limit, offset=offset)
    ]


@router.post("/triage", response_model=ReportBody)
def triage_only(assessment: Assessment, runner: Runner) -> ReportBody:
    """Triage without storing anything."""
    return ReportBody.model_validate(runner.assessments.triage(assessment).to_json_dict())


def _runner_body(runner: Runner) -> RunnerBody:
    found = runner.account.runner()
    return RunnerBody(name=found.name, time_zone=found.time_zone)


@router.get("/runner", response_model=RunnerBody)
def get_runner(runner: Runner) -> RunnerBody:
    """The runner's name and time zone."""
    return _runner_body(runner)


@router.patch("/runner", response_model=RunnerBody)
def change_runner(change: RunnerChange, runner: Runner) -> RunnerBody:
    """Change the runner's time zone (`null`: the server's). An unknown zone name is a
    422 naming it, and nothing changes."""
    if "time_zone" in change.model_fields_set:
        runner.account.set_zone(change.time_zone)
    return _runner_body(runner)


@router.get("/knowledge", response_model=KnowledgeBody)
def knowledge() -> KnowledgeBody:
    """The knowledge base's version and its sources."""
    kb = load_knowledge()
    return KnowledgeBody.model_validate(
        {
            "version": kb.version,
            "conditions": [{"id": c.id, "name": c.name} for c in kb.conditions],
            "red_flags": [{"id": f.id, "name": f.name, "level": f.level} for f in kb.red_flags],
            "citations": [c.model_dump(mode="json", exclude_none=True) for c in kb.citations],
        }
    )


@router.get(
    "/health",
    response_model=HealthBody,
    responses={503: {"model": HealthBody, "description": "the database does not answer"}},
)
def health(service: App, response: Response) -> HealthBody:
    """Whether the server and its database answer (one trivial query: cheap to poll)."""
    if not service.accounts.database_answers():
        response.status_code = 503
        return HealthBody(status="database unavailable", knowledge_base=load_knowledge().version)
    return HealthBody(status="ok", knowledge_base=load_knowledge().version)
