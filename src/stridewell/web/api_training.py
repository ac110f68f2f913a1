"""REST API for training: activities (with upload), load and shoes."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Body, Query, Request, UploadFile

from stridewell.web.api import service_of
from stridewell.web.uploads import import_summary, write_uploads

router = APIRouter(prefix="/api/v1", tags=["training"])


def _activity_json(a: Any) -> dict[str, Any]:
    return {
        "id": a.id,
        "sport": a.sport,
        "sub_sport": a.sub_sport,
        "is_indoor": a.is_indoor,
        "start_time": a.start_time.isoformat(),
        "duration_s": a.duration_s,
        "moving_time_s": a.moving_time_s,
        "distance_m": a.distance_m,
        "elevation_gain_m": a.elevation_gain_m,
        "avg_hr": a.avg_hr,
        "avg_cadence": a.avg_cadence,
        "shoe_id": a.shoe_id,
        "gear": a.gear,
        "source_name": Path(a.source_name).name,
        "warnings": a.warnings,
    }


@router.get("/activities")
def list_activities(
    request: Request,
    limit: int = Query(50, ge=1, le=1000),
    offset: int = Query(0, ge=0),
    sport: str | None = Query(None),
) -> Any:
    rows = service_of(request).activities(limit=limit, offset=offset, sport=sport)
    return [_activity_json(a) for a in rows]


@router.post("/activities/import", status_code=201)
async def import_activities(files: list[UploadFile], request: Request) -> Any:
    """Upload FIT/GPX/TCX files (also .gz) or a Strava export zip; returns the import report."""
    with tempfile.TemporaryDirectory() as folder:
        paths = await write_uploads(files, Path(folder))
        names = {str(p): u.filename or p.name for p, u in zip(paths, files, strict=True)}
        report = service_of(request).import_paths(paths)
    return import_summary(report, names)


@router.get("/load")
def training_load(request: Request, weeks: int = Query(12, ge=1, le=520)) -> Any:
    """Weekly distance and time, load ratios (information) and spike warnings."""
    return service_of(request).training_load(weeks=weeks)


@router.get("/shoes")
def list_shoes(request: Request, unit: str = Query("km", pattern="^(km|mi)$")) -> Any:
    return service_of(request).shoes(unit=unit)


@router.post("/shoes", status_code=201)
def add_shoe(request: Request, shoe: dict[str, Any] = Body(...)) -> Any:
    stored = service_of(request).add_shoe(shoe)
    return {"id": stored.id, "brand": stored.brand, "model": stored.model}


@router.patch("/shoes/{shoe_id}")
def edit_shoe(shoe_id: str, request: Request, changes: dict[str, Any] = Body(...)) -> Any:
    stored = service_of(request).edit_shoe(shoe_id, changes)
    return {"id": stored.id, "brand": stored.brand, "model": stored.model}


@router.post("/shoes/{shoe_id}/retire")
def retire_shoe(shoe_id: str, request: Request) -> Any:
    stored = service_of(request).retire_shoe(shoe_id)
    return {"id": stored.id, "retired": stored.retired.isoformat() if stored.retired else None}
