"""Recovery pages: today's plan with the two-tap pain check-in, exercises, the journal."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from stridewell.errors import InvalidInput, field_message
from stridewell.knowledge.vocabulary import vocabulary
from stridewell.plan.running_rule import running_rule_for_plan
from stridewell.service import RunnerServices
from stridewell.web.csrf import require_csrf
from stridewell.web.deps import Runner
from stridewell.web.pages import render, see_other
from stridewell.web.pages_running import running_summary
from stridewell.web.svg_charts import pain_chart_svg

router = APIRouter(include_in_schema=False)

# Which moment a two-tap check-in scores: the journal's own fields.
MOMENTS = {
    "pain_morning": "First steps this morning",
    "pain_during": "During activity",
    "pain_after": "After activity",
    "pain_rest": "At rest",
}
JOURNAL_DAYS = 60


@router.get("/today", response_class=HTMLResponse)
def today_page(request: Request, runner: Runner, day: date | None = None) -> Response:
    today = runner.today()
    plan = runner.plans.current()
    shown_day = day if day is not None and day <= today else today
    plan_day = plan.day_of(shown_day) if plan else None
    exercises = runner.plans.exercises_for(shown_day) if plan else []
    ahead = [d for d in plan.days if d.day > shown_day][:7] if plan else []
    logged = runner.journal.entries(since=shown_day, until=shown_day)
    return render(
        request,
        "today.html",
        {
            "plan": plan,
            "plan_day": plan_day,
            "day": shown_day,
            "today": today,
            "exercises": exercises,
            "ahead": ahead,
            "moments": MOMENTS,
            "logged": logged,
            "earliest": today - timedelta(days=JOURNAL_DAYS),
            "running": running_summary(runner),
            # one running rule at the top; every label from the vocabulary
            "running_rule": running_rule_for_plan(plan) if plan else "",
            "words": vocabulary(),
        },
    )


@router.post("/checkin", dependencies=[Depends(require_csrf)])
def check_in(
    request: Request,
    runner: Runner,
    pain: int = Form(..., ge=0, le=10),
    moment: str = Form("pain_morning"),
    day: date | None = Form(None),
    minutes_run: int | None = Form(None, ge=1, le=600),
) -> Response:
    """Two taps: when it hurt (preselected) and how much (0-10); optionally the minutes
    run that day (a test jog), which the plan needs to move on. The same moment logged
    again for the day replaces the earlier score (`journal.supersede`)."""
    if moment not in MOMENTS:
        problem = "choose one of the moments listed"
        raise InvalidInput(field_message("moment", problem), field="moment")
    when = day or runner.today()
    entry: dict[str, object] = {"day": when.isoformat(), moment: pain}
    if minutes_run is not None:
        entry |= {"activity": "run", "activity_minutes": minutes_run}
    runner.journal.log_entry(entry)
    return see_other(f"/today?day={when.isoformat()}#checkin")


@router.post("/exercises/done", dependencies=[Depends(require_csrf)])
def exercise_done(
    request: Request,
    runner: Runner,
    exercise_id: str = Form(...),
    sets_done: int = Form(1, ge=0, le=50),
    day: date | None = Form(None),
) -> Response:
    when = day or runner.today()
    runner.journal.log_exercise(
        {"day": when.isoformat(), "exercise_id": exercise_id, "sets_done": sets_done}
    )
    return see_other(f"/today?day={when.isoformat()}#exercises")


@router.get("/journal", response_class=HTMLResponse)
def journal_page(request: Request, runner: Runner) -> Response:
    since = runner.today() - timedelta(days=JOURNAL_DAYS)
    points, phases = runner.plans.pain_series(since=since)
    entries = list(reversed(runner.journal.entries(since=since)))
    return render(
        request,
        "journal.html",
        {
            "chart": pain_chart_svg(points, phases, _daily_km(runner, since)),
            "entries": entries,
            "trend": runner.journal.pain_trend() if points else None,
            "words": vocabulary(),
        },
    )


def _daily_km(runner: RunnerServices, since: date) -> list[tuple[date, float]]:
    km: dict[date, float] = {}
    # A day early in UTC: the local day of a run may start before UTC midnight.
    first = datetime.combine(since - timedelta(days=1), time.min, tzinfo=UTC)
    zone = runner.zone()
    for activity in runner.training.activities(limit=None, sport="running", since=first):
        day = activity.start_time.astimezone(zone).date()
        if day >= since and activity.distance_m:
            km[day] = km.get(day, 0.0) + activity.distance_m / 1000
    return sorted(km.items())
