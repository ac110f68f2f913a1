"""REST API for training: activities (with upload), load and shoes."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from fastapi import APIRouter, Body, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from stridewell.service.activity_view import ActivityDetail, ActivityItem, Series
from stridewell.service.records import StoredActivity
from stridewell.service.shoes import ShoeValue
from stridewell.service.views import ShoesOverview, TrainingLoad
from stridewell.web.api_imports import ImportJobBody, job_body
from stridewell.web.api_models import ActivityBody, ImportBody, ShoeRetired, ShoeSaved
from stridewell.web.deps import App, Runner
from stridewell.web.upload_form import received_upload
from stridewell.web.uploads import (
    UPLOAD_REQUEST_BODY,
    import_uploads,
    submit_received,
    uploaded_files,
)

router = APIRouter(prefix="/api/v1", tags=["training"])


def _activity_body(a: StoredActivity) -> ActivityBody:
    return ActivityBody(
        id=a.id,
        sport=a.sport,
        sub_sport=a.sub_sport,
        is_indoor=a.is_indoor,
        start_time=a.start_time,
        duration_s=a.duration_s,
        moving_time_s=a.moving_time_s,
        distance_m=a.distance_m,
        elevation_gain_m=a.elevation_gain_m,
        avg_hr=a.avg_hr,
        avg_cadence=a.avg_cadence,
        shoe_id=a.shoe_id,
        gear=a.gear,
        source_name=Path(a.source_name).name,
        warnings=a.warnings,
    )


class ShoeRef(BaseModel):
    id: str
    name: str
    retired: bool


class SeriesBody(BaseModel):
    """A measure over the activity's time, thinned for a chart: seconds from the start and
    the value at each (null where nothing was recorded or the runner stood still)."""

    time_s: list[float]
    values: list[float | None]


class ActivityDetailBody(BaseModel):
    """One activity as its page shows it. Pace is seconds per km (foot sports), speed km/h
    (other sports); ``shoe`` is the pair the run counts for in shoe mileage, ``shoe_chosen``
    whether the run names it (else it is the default pair of its day)."""

    id: str
    name: str
    sport: str
    is_indoor: bool
    start_time: datetime
    distance_m: float
    duration_s: float
    moving_time_s: float
    pace_s_per_km: float | None
    speed_kmh: float | None
    avg_hr: int | None
    max_hr: int | None
    avg_cadence: int | None
    elevation_gain_m: float | None
    shoe: ShoeRef | None
    shoe_chosen: bool
    route: list[tuple[float, float]] = Field(description="(latitude, longitude), thinned")
    pace: SeriesBody | None
    heart_rate: SeriesBody | None
    elevation: SeriesBody | None
    shoe_choices: list[ShoeRef]


class ActivityShoeBody(BaseModel):
    """The pair a run was in; null leaves it to the default pair of its day."""

    shoe_id: str | None = Field(default=None, max_length=64)


def _series(series: Series | None) -> SeriesBody | None:
    if series is None:
        return None
    return SeriesBody(time_s=list(series.time_s), values=list(series.values))


def _shoe(item: ActivityItem) -> ShoeRef | None:
    s = item.shoe
    return None if s is None else ShoeRef(id=s.id, name=s.name, retired=s.retired)


def _detail_body(detail: ActivityDetail) -> ActivityDetailBody:
    item = detail.item
    return ActivityDetailBody(
        id=item.id,
        name=item.name,
        sport=item.sport,
        is_indoor=item.is_indoor,
        start_time=item.start,
        distance_m=round(item.distance_km * 1000, 1),
        duration_s=item.duration_s,
        moving_time_s=item.moving_time_s,
        pace_s_per_km=item.pace_s_per_km,
        speed_kmh=item.speed_kmh,
        avg_hr=item.avg_hr,
        max_hr=detail.max_hr,
        avg_cadence=detail.avg_cadence,
        elevation_gain_m=detail.elevation_gain_m,
        shoe=_shoe(item),
        shoe_chosen=item.shoe_chosen,
        route=list(detail.route),
        pace=_series(detail.pace),
        heart_rate=_series(detail.heart_rate),
        elevation=_series(detail.elevation),
        shoe_choices=[
            ShoeRef(id=s.id, name=s.name, retired=s.retired) for s in detail.shoe_choices
        ],
    )


@router.get("/activities", response_model=list[ActivityBody])
def list_activities(
    runner: Runner,
    limit: int = Query(50, ge=1, le=1000),
    offset: int = Query(0, ge=0, le=1_000_000),
    sport: str | None = Query(None, max_length=32),
) -> list[ActivityBody]:
    rows = runner.training.activities(limit=limit, offset=offset, sport=sport)
    return [_activity_body(a) for a in rows]


@router.get("/activities/{activity_id}", response_model=ActivityDetailBody)
def activity_detail(activity_id: str, runner: Runner) -> ActivityDetailBody:
    """One activity with its name, pace, heart rate, shoe, route and series over time."""
    return _detail_body(runner.training.activity_detail(activity_id))


@router.put("/activities/{activity_id}/shoe", response_model=ActivityDetailBody)
def set_activity_shoe(
    activity_id: str, runner: Runner, body: ActivityShoeBody = Body(...)
) -> ActivityDetailBody:
    """Say which pair a run was in; the shoes' mileage follows."""
    runner.training.set_activity_shoe(activity_id, body.shoe_id)
    return _detail_body(runner.training.activity_detail(activity_id))


@router.post(
    "/activities/import",
    status_code=201,
    response_model=ImportBody,
    deprecated=True,
    openapi_extra={"requestBody": UPLOAD_REQUEST_BODY},
    responses={
        202: {
            "model": ImportJobBody,
            "description": "On PostgreSQL: the import job, queued for a worker (poll "
            "``GET /api/v1/imports/{id}``, also in the ``Location`` header).",
        }
    },
)
async def import_activities(request: Request, app: App, runner: Runner) -> Response:
    """Deprecated: use ``POST /api/v1/imports``, which answers with an import job on
    every install.

    Upload FIT/GPX/TCX files (also .gz) or a Strava export zip (multipart, field
    ``files``). On SQLite (one person, one machine) the import runs in the request and
    this answers 201 with the import report, as it always has. On PostgreSQL the files go
    to the task queue like ``POST /api/v1/imports``: the answer is 202 with the import
    job, at once (an import waits for a worker, and the request does not wait for it)."""
    jobs = app.import_jobs(runner.runner_id)
    if jobs.queued:
        view = await submit_received(await received_upload(request), jobs)
        return JSONResponse(
            job_body(view).model_dump(mode="json"),
            status_code=202,
            headers={"Location": f"/api/v1/imports/{view.id}"},
        )
    uploads = await uploaded_files(request)
    report = await import_uploads(uploads, runner.training.import_paths)
    return JSONResponse(ImportBody.model_validate(report).model_dump(mode="json"), 201)


@router.get("/load", response_model=TrainingLoad)
def training_load(runner: Runner, weeks: int = Query(12, ge=1, le=520)) -> TrainingLoad:
    """Weekly distance and time, load ratios (information) and spike warnings."""
    return runner.training.load(weeks=weeks)


@router.get("/shoes", response_model=ShoesOverview)
def list_shoes(runner: Runner, unit: str = Query("km", pattern="^(km|mi)$")) -> ShoesOverview:
    return runner.shoes.overview(unit=unit)


@router.post("/shoes", status_code=201, response_model=ShoeSaved)
def add_shoe(runner: Runner, shoe: dict[str, ShoeValue] = Body(...)) -> ShoeSaved:
    stored = runner.shoes.add(shoe)
    return ShoeSaved(id=stored.id, brand=stored.brand, model=stored.model)


@router.patch("/shoes/{shoe_id}", response_model=ShoeSaved)
def edit_shoe(shoe_id: str, runner: Runner, changes: dict[str, ShoeValue] = Body(...)) -> ShoeSaved:
    stored = runner.shoes.edit(shoe_id, changes)
    return ShoeSaved(id=stored.id, brand=stored.brand, model=stored.model)


@router.post("/shoes/{shoe_id}/retire", response_model=ShoeRetired)
def retire_shoe(shoe_id: str, runner: Runner) -> ShoeRetired:
    stored = runner.shoes.retire(shoe_id)
    return ShoeRetired(id=stored.id, retired=stored.retired)
