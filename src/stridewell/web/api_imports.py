"""REST API for import jobs: submit files (answered at once with the job's id on
PostgreSQL, where a worker imports them), then read the job's progress and per-file report."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, UploadFile
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from stridewell.jobs.imports import ImportJobView
from stridewell.web.deps import App, Runner
from stridewell.web.uploads import submit_uploads

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


@router.post("/imports", status_code=202, response_model=ImportJobBody)
async def submit_import(files: list[UploadFile], app: App, runner: Runner) -> ImportJobBody:
    """Upload FIT/GPX/TCX files (also .gz) or a Strava export zip as an import job. On
    PostgreSQL it is queued for a worker and answered at once; poll
    ``GET /api/v1/imports/{id}`` for its progress and report. On SQLite the import has run
    when this answers."""
    jobs = app.import_jobs(runner.runner_id)
    job_id = await submit_uploads(files, jobs)
    return job_body(await run_in_threadpool(jobs.status, job_id))


@router.get("/imports/{job_id}", response_model=ImportJobBody)
def import_status(job_id: str, app: App, runner: Runner) -> ImportJobBody:
    """An import job's state, progress and per-file report (404 for another's job)."""
    return job_body(app.import_jobs(runner.runner_id).status(job_id))
