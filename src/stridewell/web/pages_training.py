"""Training pages: upload activity files, the import report, weekly load, shoes."""

from __future__ import annotations

from datetime import date, timedelta

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from stridewell.service.shoes import ShoeValue
from stridewell.service.training import TrainingService
from stridewell.service.views import TrainingLoad
from stridewell.shoes.model import Unit, to_unit
from stridewell.web.csrf import require_csrf
from stridewell.web.deps import Runner
from stridewell.web.pages import render, see_other
from stridewell.web.svg_charts import shoe_bars_svg, weekly_load_svg
from stridewell.web.uploads import imported_uploads

router = APIRouter(include_in_schema=False)
LOAD_WEEKS = 16


def _training_context(training: TrainingService) -> dict[str, object]:
    load = training.load(weeks=LOAD_WEEKS)
    spike_weeks = _spike_weeks(load)
    last = len(load["weeks"]) - 1
    weeks: list[dict[str, object]] = [
        {
            "week": w["week"],
            "km": w["km"],
            "acwr": load["acwr_rolling"] if i == last else None,
            "spike": w["week"] in spike_weeks,
        }
        for i, w in enumerate(load["weeks"])
    ]
    return {
        "load": load,
        "chart": weekly_load_svg(weeks),
        "activities": training.activities(limit=20),
    }


def _spike_weeks(load: TrainingLoad) -> set[str]:
    """Labels of the weeks holding a single-run spike (a note's numbers carry its date)."""
    labels = {w["week"] for w in load["weeks"]}
    found: set[str] = set()
    for note in load["notes"]:
        when = note["numbers"].get("date")
        if note["kind"] != "single_run_spike" or not isinstance(when, str):
            continue
        day = date.fromisoformat(when)
        monday = day - timedelta(days=day.weekday())
        iso = day.isocalendar()
        found.update({monday.isoformat(), f"{iso.year}-W{iso.week:02d}"} & labels)
    return found


@router.get("/training", response_class=HTMLResponse)
def training_page(request: Request, runner: Runner) -> Response:
    return render(request, "training.html", _training_context(runner.training))


@router.post("/training/import", response_class=HTMLResponse)
async def training_import(request: Request, runner: Runner) -> Response:
    report = await imported_uploads(request, runner.training)
    context = await run_in_threadpool(_training_context, runner.training)
    return render(request, "training.html", {**context, "report": report}, status_code=200)


@router.get("/shoes", response_class=HTMLResponse)
def shoes_page(request: Request, runner: Runner, unit: str = "km") -> Response:
    shown: Unit = "mi" if unit == "mi" else "km"
    overview = runner.shoes.overview(unit=shown)
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
async def add_shoe(request: Request, runner: Runner) -> Response:
    form = await request.form()
    data: dict[str, ShoeValue] = {
        k: v.strip()
        for k, v in form.items()
        if isinstance(v, str) and k != "csrf_token" and v.strip()
    }
    for key in ("start_km", "check_km", "replace_km"):
        if key in data:
            data[key] = _number(str(data[key]))
    data["is_default"] = "is_default" in data
    await run_in_threadpool(runner.shoes.add, data)
    return see_other("/shoes")


@router.post("/shoes/{shoe_id}/edit", dependencies=[Depends(require_csrf)])
async def edit_shoe(shoe_id: str, request: Request, runner: Runner) -> Response:
    form = await request.form()
    changes: dict[str, ShoeValue] = {}
    for key in ("brand", "model", "nickname", "type"):
        value = form.get(key)
        if isinstance(value, str) and value.strip():
            changes[key] = value.strip()
    for key in ("check_km", "replace_km"):
        value = form.get(key)
        if isinstance(value, str) and value.strip():
            changes[key] = _number(value.strip())
    changes["is_default"] = form.get("is_default") is not None
    await run_in_threadpool(runner.shoes.edit, shoe_id, changes)
    return see_other("/shoes")


@router.post("/shoes/{shoe_id}/retire", dependencies=[Depends(require_csrf)])
def retire_shoe(shoe_id: str, runner: Runner, confirm: str = Form("")) -> Response:
    runner.shoes.retire(shoe_id)
    return see_other("/shoes")


def _number(text: str) -> float | str:
    try:
        return float(text)
    except ValueError:
        return text  # the service names the field in its error
