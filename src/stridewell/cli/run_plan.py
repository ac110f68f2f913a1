"""`stridewell run-plan`: back to your running, week by week.

Shows this week and next (each run with its distance and time, the walk-run steps, the
pair of shoes to wear and why); starts the plan (`--start`), changes its targets, and
writes it as a calendar (`--ics`) or one day's run as a watch workout (`--fit`).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from stridewell.cli.errors import reports_errors
from stridewell.cli.files import write_file
from stridewell.cli.services import local_runner
from stridewell.errors import InvalidInput, NotFound
from stridewell.text import day_words

if TYPE_CHECKING:
    from stridewell.running import RunDay, RunningPlan, Week

WEEKS_SHOWN = 2


def register(app: typer.Typer) -> None:
    app.command("run-plan")(run_plan)


def _day(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{option}: a date as YYYY-MM-DD, got '{value}'", field=option) from None


@reports_errors
def run_plan(
    start: Annotated[
        bool,
        typer.Option(
            "--start",
            help="Start the plan: after your recovery plan, or from today without pain.",
        ),
    ] = False,
    weekly_km: Annotated[
        float | None, typer.Option(help="Your usual distance a week, in km (a target).")
    ] = None,
    runs_per_week: Annotated[
        int | None, typer.Option(help="How many runs you usually do a week (a target).")
    ] = None,
    long_run_km: Annotated[
        float | None, typer.Option(help="Your usual long run, in km (a target).")
    ] = None,
    goal_km: Annotated[
        float | None, typer.Option(help="A distance you want to run on --goal-date, in km.")
    ] = None,
    goal_date: Annotated[
        str | None, typer.Option(help="The day of your goal run (YYYY-MM-DD).", metavar="DATE")
    ] = None,
    ics: Annotated[
        Path | None, typer.Option(help="Write the plan as an iCalendar (.ics) file.")
    ] = None,
    fit: Annotated[
        tuple[str, Path] | None,
        typer.Option(
            help="Write the run of DATE as a FIT workout file a watch can load.",
            metavar="DATE FILE",
        ),
    ] = None,
) -> None:
    """Back to your running: this week and next, each run with why (or start the plan)."""
    from stridewell.service.running import NO_RUNNING_PLAN, GoalInput, TargetsInput

    running = local_runner().running
    typed = (weekly_km, runs_per_week, long_run_km)
    targets = None
    if any(v is not None for v in typed):
        if weekly_km is None or runs_per_week is None or long_run_km is None:
            raise InvalidInput(
                "targets: give all three of --weekly-km, --runs-per-week and --long-run-km",
                field="targets",
            )
        targets = TargetsInput(
            weekly_km=weekly_km, runs_per_week=runs_per_week, long_run_km=long_run_km
        )
    goal = None
    if (goal_km is None) != (goal_date is None):
        raise InvalidInput("a goal needs both --goal-km and --goal-date", field="goal")
    if goal_km is not None and goal_date is not None:
        goal = GoalInput(km=goal_km, day=_day(goal_date, "--goal-date"))
    try:
        if start:
            plan = running.start(targets, goal)
        elif goal is not None:
            raise InvalidInput("a goal is set when the plan starts: add --start", field="goal")
        elif targets is not None:
            plan = running.change_targets(targets)
        else:
            plan = running.require()
    except NotFound as exc:
        if str(exc) != NO_RUNNING_PLAN:
            raise
        # The service's words fit every surface; here the way to start is a command.
        raise NotFound("no running plan yet: start one with `stridewell run-plan --start`") from exc
    print_running_plan(plan)
    if ics is not None:
        write_file(ics, running.ics(), field="ics")
        typer.echo(f"calendar written to {ics}")
    if fit is not None:
        day, path = _day(fit[0], "--fit"), fit[1]
        write_file(path, running.workout_fit(day), field="fit")
        typer.echo(f"workout for {day_words(day, weekday=True)} written to {path}")


# The plan's mode in words (the web's running page says the same in its own sentence).
MODE_WORDS: dict[str, str] = {
    "back_to_running": "back to running after the recovery plan",
    "prevention": "to keep running without injury",
}


def print_running_plan(plan: RunningPlan) -> None:
    targets = plan.targets
    typer.echo(
        f"Running plan ({MODE_WORDS[plan.mode]}), from {day_words(plan.start, weekday=True)}. "
        f"Targets: {targets.runs_per_week} runs, {targets.weekly_km} km a week, "
        f"long run {targets.long_run_km} km."
    )
    typer.echo(f"  how: {targets.method.text}")
    for note in plan.notes:
        typer.echo(f"  your clinician: {note.text}")
    if plan.restricted_targets is not None:
        held = plan.restricted_targets
        typer.echo(
            f"  in force now: {held.runs_per_week} runs, {held.weekly_km} km a week, "
            f"long run {held.long_run_km} km"
        )
    if plan.targets_week is not None:
        typer.echo(f"  at your targets in week {plan.targets_week}, if every check passes")
    if plan.goal is not None:
        typer.echo(f"  goal: {plan.goal.reason.text}")
    if plan.ending is not None:
        typer.echo(f"The plan has stopped on {_short(plan.ending.day)}: {plan.ending.reason.text}")
        typer.echo("Next: a new assessment (`stridewell assess`).")
    current = plan.week_of(plan.today)
    weeks = plan.weeks
    first = weeks.index(current) if current is not None else 0
    for week in weeks[first : first + WEEKS_SHOWN]:
        _print_week(week, plan.today)
    for bound in plan.bounds:
        typer.echo(f"- {bound.text}")


def _print_week(week: Week, today: date) -> None:
    typer.echo("")
    typer.echo(
        f"Week {week.number} from {_short(week.first_day)}: up to {week.budget_km} km, "
        f"{week.runs} runs, long run {week.long_run_km} km"
        + (", easy running only" if week.easy_only else "")
    )
    typer.echo(f"  why: {week.decision.text}")
    for day in week.days:
        _print_day(day, today)


def _print_day(day: RunDay, today: date) -> None:
    mark = ">" if day.day == today else " "
    if day.run is None:
        what = "; ".join(s.text for s in day.sessions) or "rest"
        typer.echo(f"{mark} {_short(day.day):<10}  {what}")
    else:
        run = day.run
        steps = ""
        if run.run_interval is not None and run.walk_interval is not None:
            steps = f", run {run.run_interval} min / walk {run.walk_interval} min"
        typer.echo(f"{mark} {_short(day.day):<10}  {run.km} km, about {run.minutes} min{steps}")
        typer.echo(f"      {run.text}")
        if run.shoe is not None:
            typer.echo(f"      shoes: {run.shoe.text}")
            if run.shoe.warning:
                typer.echo(f"      warning: {run.shoe.warning}")
        for session in day.sessions:
            typer.echo(f"      also: {session.text}")
    if day.done_km is not None:
        typer.echo(f"      done: {day.done_km} km")
    for reason in day.reasons:
        typer.echo(f"      why: {reason.text}")


def _short(day: date) -> str:
    """A day of this plan as the list shows it: "Thu 3 Dec" (the plan's year is known)."""
    return day_words(day, weekday=True, year=False)
