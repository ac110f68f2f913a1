"""Training pages: upload activity files, the import report, weekly load, shoes."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from stridewell.shoes.model import Unit, to_unit
from stridewell.web.csrf import require_csrf
from stridewell.web.pages import render, see_other, service_of
from stridewell.web.svg_charts import shoe_bars_svg, weekly_load_svg
from stridewell.web.uploads import imported_uploads

router = APIRouter(include_in_schema=False)
LOAD_WEEKS = 16


def _training_context(service: Any) -> dict[str, Any]:
    load = service.training_load(weeks=LOAD_WEEKS)
    spike_weeks = _spike_weeks(load)
    weeks = [
        {"week": w["week"], "km": w["km"], "acwr": None, "spike": w["week"] in spike_weeks}
        for w in load["weeks"]
    ]
    if weeks:
        weeks[-1]["acwr"] = load.get("acwr_rolling")
    return {
        "load": load,
        "chart": weekly_load_svg(weeks),
        "activities": service.activities(limit=20),
    }


def _spike_weeks(load: dict[str, Any]) -> set[str]:
    """Labels of the weeks holding a single-run spike (a note's numbers carry its date)."""
    labels = {w["week"] for w in load["weeks"]}
    found: set[str] = set()
    for note in load.get("notes", []):
        when = note.get("numbers", {}).get("date")
        if note.get("kind") != "single_run_spike" or not isinstance(when, str):
            continue
        day = date.fromisoformat(when)
        monday = day - timedelta(days=day.weekday())
        iso = day.isocalendar()
        found.update({monday.isoformat(), f"{iso.year}-W{iso.week:02d}"} & labels)
    return found


@router.get("/training", response_class=HTMLResponse)
def training_page(request: Request) -> Response:
    return render(request, "training.html", {**_training_context(service_of(request))})


@router.post("/training/import", response_class=HTMLResponse)
async def training_import(request: Request) -> Response:
    service = service_of(request)
    report = await imported_uploads(request, service)
    context = _training_context(service)
    return render(request, "training.html", {**context, "report": report}, status_code=200)


@router.get("/shoes", response_class=HTMLResponse)
def shoes_page(request: Request, unit: str = "km") -> Response:
    service = service_of(request)
    shown: Unit = "mi" if unit == "mi" else "km"
    overview = service.shoes(unit=shown)
    bars = [
        {
            "name": s.get("nickname") or f"{s['brand']} {s['model']}",
            "distance": to_unit(s["km"], shown),
            "check_at": to_unit(s["check_km"], shown),
            "replace_at": to_unit(s["replace_km"], shown),
            "retired": s.get("retired") is not None,
        }
        for s in overview["shoes"]
    ]
    return render(
        request,
        "shoes.html",
        {"overview": overview, "chart": shoe_bars_svg(bars, unit=shown), "unit": shown},
    )


@router.post("/shoes", dependencies=[Depends(require_csrf)])
async def add_shoe(request: Request) -> Response:
    form = await request.form()
    data: dict[str, Any] = {
        k: v.strip()
        for k, v in form.items()
        if isinstance(v, str) and k != "csrf_token" and v.strip()
    }
    for key in ("start_km", "check_km", "replace_km"):
        if key in data:
            data[key] = _number(data[key])
    data["is_default"] = "is_default" in data
    service_of(request).add_shoe(data)
    return see_other("/shoes")


@router.post("/shoes/{shoe_id}/edit", dependencies=[Depends(require_csrf)])
async def edit_shoe(shoe_id: str, request: Request) -> Response:
    form = await request.form()
    changes: dict[str, Any] = {}
    for key in ("brand", "model", "nickname", "type"):
        value = form.get(key)
        if isinstance(value, str) and value.strip():
            changes[key] = value.strip()
    for key in ("check_km", "replace_km"):
        value = form.get(key)
        if isinstance(value, str) and value.strip():
            changes[key] = _number(value.strip())
    changes["is_default"] = form.get("is_default") is not None
    service_of(request).edit_shoe(shoe_id, changes)
    return see_other("/shoes")


@router.post("/shoes/{shoe_id}/retire", dependencies=[Depends(require_csrf)])
def retire_shoe(shoe_id: str, request: Request, confirm: str = Form("")) -> Response:
    service_of(request).retire_shoe(shoe_id)
    return see_other("/shoes")


def _number(text: str) -> float | str:
    try:
        return float(text)
    except ValueError:
        return text  # the service names the field in its error
