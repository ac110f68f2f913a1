"""REST API for import jobs: submit files (answered at once with the job's id on
PostgreSQL, where a worker imports them), then read the job's progress and per-file report."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel

from stridewell.jobs.imports import ImportJobView
from stridewell.web.deps import App, Runner
from stridewell.web.upload_form import received_upload
from stridewell.web.uploads import UPLOAD_REQUEST_BODY, submit_received

router = APIRouter(prefix="/api/v1", tags=["imports"])


class ImportFileBody(BaseModel):
    name: str  # as uploaded (an archive's member: "export.zip!activities/1.fit")
    result: Literal["imported", "duplicate", "skipped"]
    reason: str  # why a file was not imported; empty for an imported one
    runs: int  # activities the file added


class ImportJobBody(BaseModel):
    id: str
    status: Literal["queued", "running", "done", "failed"]
    done: int  # files handled so far
    total: int | None  # files in all (archives counted by member), once known
    summary: str
    error: str | None
    files: list[ImportFileBody]


def job_body(view: ImportJobView) -> ImportJobBody:
    return ImportJobBody(
        id=view.id,
        status=view.status,
        done=view.done,
        total=view.total,
        summary=view.summary,
        error=view.error,
        files=[
            ImportFileBody(name=f.name, result=f.result, reason=f.reason, runs=f.runs)
            for f in view.files
        ],
    )


@router.post(
    "/imports",
    status_code=202,
    response_model=ImportJobBody,
    openapi_extra={"requestBody": UPLOAD_REQUEST_BODY},
)
async def submit_import(
    request: Request, response: Response, app: App, runner: Runner
) -> ImportJobBody:
    """Upload FIT/GPX/TCX files (also .gz) or a Strava export zip (multipart, field
    ``files``) as an import job. On PostgreSQL it is queued for a worker and answered at
    once; poll ``GET /api/v1/imports/{id}`` (also in the ``Location`` header) for its
    progress and report. On SQLite the import has run when this answers."""
    upload = await received_upload(request)
    view = await submit_received(upload, app.import_jobs(runner.runner_id))
    response.headers["Location"] = f"/api/v1/imports/{view.id}"
    return job_body(view)


@router.get("/imports/{job_id}", response_model=ImportJobBody)
def import_status(job_id: str, app: App, runner: Runner) -> ImportJobBody:
    """An import job's state, progress and per-file report (404 for another's job)."""
    return job_body(app.import_jobs(runner.runner_id).status(job_id))
