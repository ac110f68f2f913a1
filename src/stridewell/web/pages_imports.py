"""Import pages: the upload form's script submits a job and follows it; the job's page
shows the report file by file (and reloads itself while the job runs, without script)."""

from __future__ import annotations

import re
from dataclasses import replace

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from stridewell.web.api_imports import job_body
from stridewell.web.deps import App, Runner
from stridewell.web.pages import render, see_other
from stridewell.web.uploads import submitted_uploads

router = APIRouter(include_in_schema=False)

RESULT_WORDS = {"imported": "Imported", "duplicate": "Already here", "skipped": "Not imported"}
# The FIT format's names for files a watch keeps that are not activities, in plain words.
FIT_KINDS = {
    "sport": "sport profile",
    "schedules": "schedule",
    "monitoring_a": "daily activity tracking",
    "monitoring_b": "daily activity tracking",
    "monitoring_daily": "daily activity tracking",
}
FIT_NOT_ACTIVITY = re.compile(r"not an activity: FIT file type is '([^']+)'")


def plain_reason(reason: str) -> str:
    """A reason for setting a file aside, without the FIT format's jargon."""

    def words(found: re.Match[str]) -> str:
        kind = found.group(1)
        if kind.startswith("type "):
            return "not an activity (another kind of file from the watch)"
        kind = FIT_KINDS.get(kind, kind.replace("_", " "))
        return f"not an activity ({'an' if kind[0] in 'aeiou' else 'a'} {kind} file from the watch)"

    return FIT_NOT_ACTIVITY.sub(words, reason)


@router.post("/imports")
async def submit_import(request: Request, app: App, runner: Runner) -> Response:
    """The upload form as an import job: JSON with its id for the page's script, else on
    to the job's page."""
    job_id = await submitted_uploads(request, app.import_jobs(runner.runner_id))
    if "application/json" in request.headers.get("accept", ""):
        return JSONResponse(
            {"id": job_id, "page": f"/imports/{job_id}", "status": f"/imports/{job_id}/status"},
            status_code=202,
        )
    return see_other(f"/imports/{job_id}")


@router.get("/imports/{job_id}/status")
def import_status(job_id: str, app: App, runner: Runner) -> JSONResponse:
    """The job's progress for the page's script (no per-file list: that is on the page)."""
    view = app.import_jobs(runner.runner_id).status(job_id)
    body = job_body(view).model_dump(exclude={"files"})
    return JSONResponse({**body, "finished": view.finished})


@router.get("/imports/{job_id}", response_class=HTMLResponse)
def import_page(request: Request, job_id: str, app: App, runner: Runner) -> Response:
    view = app.import_jobs(runner.runner_id).status(job_id)
    files = [replace(f, reason=plain_reason(f.reason)) for f in view.files]
    return render(
        request, "import_job.html", {"job": replace(view, files=files), "words": RESULT_WORDS}
    )
