"""The running plan page: the weeks back to the runner's usual running, each run with its
reason, the targets form, and the calendar and watch-workout links; and the start of
it, from the end of the recovery plan ("Back to your running") or from today."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from stridewell.errors import InvalidInput
from stridewell.running import RunningPlan, Targets, Week, start_after_recovery
from stridewell.service import RunnerServices
from stridewell.service.running import GoalInput, TargetsInput
from stridewell.web.csrf import require_csrf
from stridewell.web.deps import Runner
from stridewell.web.pages import render, see_other

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True, slots=True)
class RunningSummary:
    """What Today and the running page show of the running plan."""

    plan: RunningPlan | None
    week: Week | None  # the week of today, or the plan's first week before it starts
    recovery_active: bool
    recovery_finished: date | None
    suggested: Targets | None


def running_summary(runner: RunnerServices) -> RunningSummary:
    plan = runner.running.current()
    week = None
    if plan is not None:
        week = plan.week_of(plan.today) or (plan.weeks[0] if plan.weeks else None)
    recovery = runner.plans.current()
    finished = start_after_recovery(recovery) if recovery is not None else None
    # Worked out from the runs before the pain only when the plan can start (the
    # recovery plan has done its job, or there is none): not on every day of recovery.
    ready = plan is None and (recovery is None or finished is not None)
    suggested = runner.running.suggested_targets() if ready else None
    return RunningSummary(plan, week, recovery is not None, finished, suggested)


@router.get("/running", response_class=HTMLResponse)
def running_page(request: Request, runner: Runner) -> Response:
    summary = running_summary(runner)
    plan = summary.plan
    shown: list[Week] = []
    later: list[Week] = []
    if plan is not None and summary.week is not None:
        first = plan.weeks.index(summary.week)
        shown, later = plan.weeks[first : first + 2], plan.weeks[first + 2 :]
    return render(
        request,
        "running.html",
        {
            "summary": summary,
            "plan": plan,
            "shown": shown,
            "later": later,
            "targets": plan.targets if plan is not None else summary.suggested,
            "today": runner.today(),
            "fit_links": True,
        },
    )


def _targets(
    weekly_km: float | None, runs_per_week: int | None, long_run_km: float | None
) -> TargetsInput | None:
    given = (weekly_km, runs_per_week, long_run_km)
    if all(v is None for v in given):
        return None
    if weekly_km is None or runs_per_week is None or long_run_km is None:
        raise InvalidInput(
            "give your usual weekly distance, runs a week and long run, all three",
            field="targets",
        )
    return TargetsInput(weekly_km=weekly_km, runs_per_week=runs_per_week, long_run_km=long_run_km)


@router.post("/running/start", dependencies=[Depends(require_csrf)])
def start_running(
    runner: Runner,
    weekly_km: float | None = Form(None, gt=0, le=300),
    runs_per_week: int | None = Form(None, ge=1, le=7),
    long_run_km: float | None = Form(None, gt=0, le=100),
    goal_km: float | None = Form(None, gt=0, le=100),
    goal_date: date | None = Form(None),
) -> Response:
    """Back to your running: start the plan (targets from the form, else from history)."""
    goal = None
    if goal_km is not None or goal_date is not None:
        if goal_km is None or goal_date is None:
            raise InvalidInput("a goal needs both a distance and a day", field="goal")
        goal = GoalInput(km=goal_km, day=goal_date)
    runner.running.start(_targets(weekly_km, runs_per_week, long_run_km), goal)
    return see_other("/running#this-week")


@router.post("/running/targets", dependencies=[Depends(require_csrf)])
def change_targets(
    runner: Runner,
    weekly_km: float = Form(..., gt=0, le=300),
    runs_per_week: int = Form(..., ge=1, le=7),
    long_run_km: float = Form(..., gt=0, le=100),
) -> Response:
    runner.running.change_targets(
        TargetsInput(weekly_km=weekly_km, runs_per_week=runs_per_week, long_run_km=long_run_km)
    )
    return see_other("/running#this-week")
