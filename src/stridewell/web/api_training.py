"""REST API for training: activities (with upload), load and shoes."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Body, Query, UploadFile

from stridewell.service.records import StoredActivity
from stridewell.service.shoes import ShoeValue
from stridewell.service.views import ShoesOverview, TrainingLoad
from stridewell.web.api_models import ActivityBody, ImportBody, ShoeRetired, ShoeSaved
from stridewell.web.deps import Runner
from stridewell.web.uploads import import_uploads

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


@router.get("/activities", response_model=list[ActivityBody])
def list_activities(
    runner: Runner,
    limit: int = Query(50, ge=1, le=1000),
    offset: int = Query(0, ge=0, le=1_000_000),
    sport: str | None = Query(None, max_length=32),
) -> list[ActivityBody]:
    rows = runner.training.activities(limit=limit, offset=offset, sport=sport)
    return [_activity_body(a) for a in rows]


@router.post("/activities/import", status_code=201, response_model=ImportBody)
async def import_activities(files: list[UploadFile], runner: Runner) -> ImportBody:
    """Upload FIT/GPX/TCX files (also .gz) or a Strava export zip; returns the import report.

    The upload is read on the event loop (it awaits the network); decoding and storing run
    in the thread pool, so other requests are answered meanwhile.
    """
    return ImportBody.model_validate(await import_uploads(files, runner.training.import_paths))


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
