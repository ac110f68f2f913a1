"""REST API, version 1."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request, Response

from stridewell.contract import Assessment
from stridewell.knowledge import load_knowledge
from stridewell.service import Stridewell
from stridewell.storage.records import StoredAssessment

router = APIRouter(prefix="/api/v1", tags=["api"])


def service_of(request: Request) -> Stridewell:
    """The service bound to the signed-in runner (the local runner on a one-person install)."""
    from stridewell.web.auth import scoped_service

    service: Stridewell = scoped_service(request)
    return service


def _stored_body(record: StoredAssessment) -> dict[str, Any]:
    return {
        **record.report,
        "id": record.id,
        "created_at": record.created_at.isoformat(),
        "assessment": record.assessment,
    }


@router.post("/assessments", status_code=201)
def create_assessment(assessment: Assessment, request: Request, response: Response) -> Any:
    """Triage an assessment (the contract's object) and store it; returns the report.

    The report carries the contract's fields plus `id` and `created_at` of the stored
    assessment; the `Location` header points at it.
    """
    result = service_of(request).assess(assessment)
    response.headers["Location"] = f"/api/v1/assessments/{result.id}"
    return {
        **result.report.to_json_dict(),
        "id": result.id,
        "created_at": result.created_at.isoformat(),
    }


@router.get("/assessments/{assessment_id}")
def get_assessment(assessment_id: str, request: Request) -> Any:
    """A stored assessment: its report, with the original input under `assessment`."""
    return _stored_body(service_of(request).get_assessment(assessment_id))


@router.get("/assessments")
def list_assessments(
    request: Request,
    limit: int = Query(20, ge=1, le=200),
    offset: int = Query(0, ge=0),
) -> Any:
    """Past assessments, newest first."""
    records = service_of(request).history(limit=limit, offset=offset)
    return [
        {
            "id": r.id,
            "created_at": r.created_at.isoformat(),
            "level": r.level,
            "top_condition": r.top_condition,
            "kb_version": r.kb_version,
        }
        for r in records
    ]


@router.post("/triage")
def triage_only(assessment: Assessment, request: Request) -> Any:
    """Triage without storing anything."""
    return service_of(request).triage(assessment).to_json_dict()


@router.get("/knowledge")
def knowledge() -> Any:
    """The knowledge base's version and its sources."""
    kb = load_knowledge()
    return {
        "version": kb.version,
        "conditions": [{"id": c.id, "name": c.name} for c in kb.conditions],
        "red_flags": [{"id": f.id, "name": f.name, "level": f.level} for f in kb.red_flags],
        "citations": [c.model_dump(exclude_none=True) for c in kb.citations],
    }


@router.get("/health")
def health() -> Any:
    return {"status": "ok", "knowledge_base": load_knowledge().version}
