"""REST API for the running plan: back to the runner's usual running after the recovery
plan (or towards a goal), its targets, its calendar and each run as a watch workout."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Response
from pydantic import BaseModel, ConfigDict

from stridewell.running import RunningPlan, Targets
from stridewell.service.running import GoalInput, TargetsInput
from stridewell.web.deps import Runner

router = APIRouter(prefix="/api/v1", tags=["running"])
CALENDAR: dict[int | str, dict[str, object]] = {
    200: {"content": {"text/calendar": {"schema": {"type": "string"}}}}
}
FIT_TYPE = "application/vnd.ant.fit"
WORKOUT: dict[int | str, dict[str, object]] = {
    200: {"content": {FIT_TYPE: {"schema": {"type": "string", "format": "binary"}}}}
}


class StartRunningBody(BaseModel):
    """Targets typed in (else worked out from the imported runs), and an optional goal."""

    model_config = ConfigDict(extra="forbid")

    targets: TargetsInput | None = None
    goal: GoalInput | None = None


class RunningStatusBody(BaseModel):
    """Whether a running plan can start, and the targets the imported runs suggest."""

    has_plan: bool
    recovery_finished: date | None
    suggested_targets: Targets | None


@router.get("/running-plan", response_model=RunningPlan)
def running_plan(runner: Runner) -> RunningPlan:
    """The running plan as of today, rebuilt from the journal, imported runs and shoes."""
    return runner.running.require()


@router.get("/running-plan/status", response_model=RunningStatusBody)
def running_status(runner: Runner) -> RunningStatusBody:
    return RunningStatusBody(
        has_plan=runner.running.current() is not None,
        recovery_finished=runner.running.recovery_finished(),
        suggested_targets=runner.running.suggested_targets(),
    )


@router.post("/running-plan", status_code=201, response_model=RunningPlan)
def start_running_plan(runner: Runner, body: StartRunningBody) -> RunningPlan:
    """Start the plan: the day after a recovery plan that has done its job (pain-gated),
    or today for a runner without a recovery plan (prevention mode, optional goal)."""
    return runner.running.start(body.targets, body.goal)


@router.put("/running-plan/targets", response_model=RunningPlan)
def change_running_targets(runner: Runner, targets: TargetsInput) -> RunningPlan:
    return runner.running.change_targets(targets)


@router.get("/running-plan.ics", response_class=Response, responses=CALENDAR)
def running_plan_ics(runner: Runner) -> Response:
    """The running plan as an iCalendar file (one all-day event per day with a session)."""
    return Response(
        runner.running.ics(),
        media_type="text/calendar",
        headers={"Content-Disposition": 'attachment; filename="stridewell-running.ics"'},
    )


@router.get("/running-plan/workouts/{day}.fit", response_class=Response, responses=WORKOUT)
def running_workout(day: date, runner: Runner) -> Response:
    """The run planned on `day` as a FIT workout file (warm-up, run or walk-run steps,
    cool-down) that a watch can load."""
    return Response(
        runner.running.workout_fit(day),
        media_type=FIT_TYPE,
        headers={"Content-Disposition": f'attachment; filename="run-{day.isoformat()}.fit"'},
    )
