"""Training pages: upload activity files, the import report, weekly load, the activity
list and a page per activity (route, pace, heart rate, elevation, its shoe), shoes."""

from __future__ import annotations

from datetime import date, timedelta

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from stridewell.service.activity_view import ActivityDetail, clock_text
from stridewell.service.shoes import ShoeValue
from stridewell.service.training import TrainingService
from stridewell.service.views import TrainingLoad
from stridewell.shoes.model import Unit, to_unit
from stridewell.web.csrf import require_csrf
from stridewell.web.deps import App, Runner
from stridewell.web.pages import render, see_other
from stridewell.web.pages_imports import plain_reason
from stridewell.web.svg_charts import route_svg, series_svg, shoe_bars_svg, training_load_svg
from stridewell.web.uploads import imported_uploads, submitted_uploads

router = APIRouter(include_in_schema=False)
LOAD_WEEKS = 16
PAGE_SIZE = 20
HR_RED = "#b91c1c"
ELEVATION_GREEN = "#15803d"


def _training_context(training: TrainingService, offset: int = 0) -> dict[str, object]:
    load = training.load(weeks=LOAD_WEEKS)
    spike_weeks = _spike_weeks(load)
    # The ratio is information, said in words in the notes: the chart draws distance
    # and spikes only (a ratio on a single week would be a lone dot).
    weeks: list[dict[str, object]] = [
        {"week": w["week"], "km": w["km"], "spike": w["week"] in spike_weeks} for w in load["weeks"]
    ]
    activities = training.activity_list(limit=PAGE_SIZE + 1, offset=offset)
    return {
        "load": load,
        "has_runs": any(w["km"] > 0 for w in load["weeks"]) or bool(activities),
        "chart": training_load_svg(weeks, _ratio_said(load)) if load["weeks"] else "",
        "activities": activities[:PAGE_SIZE],
        "offset": offset,
        "newer": max(0, offset - PAGE_SIZE) if offset else None,
        "older": offset + PAGE_SIZE if len(activities) > PAGE_SIZE else None,
    }


def _ratio_said(load: TrainingLoad) -> str:
    """The chart's summary of the training-load ratio: the first sentence of its note."""
    note = next((n for n in load["notes"] if n["kind"] == "acwr"), None)
    if note is None:
        return ""
    return note["text"].split(". ", 1)[0] + "."


def _activity_charts(detail: ActivityDetail) -> dict[str, str]:
    """The route and the series of an activity as inline SVG, each described in words."""
    item, charts = detail.item, {}
    if detail.route:
        charts["route"] = route_svg(detail.route, title=f"Route of {item.name}")
    if detail.pace is not None:
        charts["pace"] = series_svg(
            "pace",
            detail.pace.time_s,
            detail.pace.values,
            title="Pace",
            say=lambda s: f"{clock_text(s)} /km",
            summary=f"Pace over time, average {item.pace_text}; faster is higher.",
            faster_is_lower=True,
            gaps="Gaps where nothing was recorded or the runner stood still.",
        )
    if detail.heart_rate is not None:
        highest = f", highest {detail.max_hr} bpm" if detail.max_hr is not None else ""
        charts["heart_rate"] = series_svg(
            "heart-rate",
            detail.heart_rate.time_s,
            detail.heart_rate.values,
            title="Heart rate",
            say=lambda v: f"{v:.0f} bpm",
            summary=f"Heart rate over time, average {item.hr_text}{highest}.",
            colour=HR_RED,
        )
    if detail.elevation is not None:
        gain = detail.elevation_gain_m
        climbed = f", {gain:.0f} m climbed in all" if gain is not None else ""
        charts["elevation"] = series_svg(
            "elevation",
            detail.elevation.time_s,
            detail.elevation.values,
            title="Elevation",
            say=lambda v: f"{v:.0f} m",
            summary=f"Elevation over time{climbed}.",
            colour=ELEVATION_GREEN,
        )
    return charts


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
def training_page(request: Request, runner: Runner, offset: int = Query(0, ge=0)) -> Response:
    return render(request, "training.html", _training_context(runner.training, offset))


@router.get("/training/activities/{activity_id}", response_class=HTMLResponse)
def activity_page(activity_id: str, request: Request, runner: Runner) -> Response:
    detail = runner.training.activity_detail(activity_id)
    context = {"a": detail.item, "detail": detail, "charts": _activity_charts(detail)}
    return render(request, "activity.html", context)


@router.post("/training/activities/{activity_id}/shoe", dependencies=[Depends(require_csrf)])
def choose_activity_shoe(activity_id: str, runner: Runner, shoe_id: str = Form("")) -> Response:
    """The pair a run was in; an empty choice leaves it to the default pair of its day."""
    runner.training.set_activity_shoe(activity_id, shoe_id.strip() or None)
    return see_other(f"/training/activities/{activity_id}#shoe")


@router.post("/training/import", response_class=HTMLResponse)
async def training_import(request: Request, app: App, runner: Runner) -> Response:
    """The upload form of old pages. On PostgreSQL it becomes an import job like
    ``POST /imports`` (on to the job's page); on SQLite it imports in the request and
    shows the report on the training page."""
    jobs = app.import_jobs(runner.runner_id)
    if jobs.queued:
        return see_other(f"/imports/{await submitted_uploads(request, jobs)}")
    report = await imported_uploads(request, runner.training)
    for listed in (*report["set_aside"], *report["not_read"]):
        listed["reason"] = plain_reason(listed["reason"])
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
