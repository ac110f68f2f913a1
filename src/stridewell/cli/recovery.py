"""CLI commands for recovery: `log`, `journal`, `exercises` and `plan`.

Registered on the main app by `register(app)`; heavy imports stay inside the commands.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from stridewell.cli.errors import reports_errors
from stridewell.cli.services import local_runner
from stridewell.errors import InvalidInput
from stridewell.text import day_words

if TYPE_CHECKING:
    from stridewell.service import RunnerServices

ACTIVITY_HELP = "What you did: rest, walk:MIN, cross_training:MIN or run:MIN (e.g. run:20)."


def parse_activity(value: str) -> tuple[str, int | None]:
    """'run:20' -> ('run', 20); 'rest' -> ('rest', None). Errors name the option."""
    kind, _, minutes = value.partition(":")
    kind = kind.strip().replace("-", "_")
    if kind == "cross":
        kind = "cross_training"
    if not minutes:
        return kind, None
    try:
        return kind, int(minutes)
    except ValueError:
        raise InvalidInput(
            f"--activity: minutes must be a whole number, got '{minutes}'", field="activity"
        ) from None


def register(app: typer.Typer) -> None:
    app.command("log")(log)
    app.command("journal")(journal)
    app.command("plan")(plan)
    app.command("exercises")(exercises)


@reports_errors
def log(
    rest: Annotated[int | None, typer.Option(help="Pain at rest, 0-10.")] = None,
    morning: Annotated[
        int | None, typer.Option(help="Pain with the first steps in the morning, 0-10.")
    ] = None,
    during: Annotated[int | None, typer.Option(help="Pain during activity, 0-10.")] = None,
    after: Annotated[int | None, typer.Option(help="Pain after activity, 0-10.")] = None,
    activity: Annotated[str | None, typer.Option(help=ACTIVITY_HELP)] = None,
    swelling: Annotated[str | None, typer.Option(help="none, mild or marked.")] = None,
    exercise: Annotated[
        list[str] | None,
        typer.Option(
            "--exercise",
            help="An exercise you did, by the name `stridewell exercises --all` lists "
            "(repeatable).",
        ),
    ] = None,
    note: Annotated[str, typer.Option(help="Anything else worth noting.")] = "",
    day: Annotated[
        str | None, typer.Option(help="The day (YYYY-MM-DD) if not today.", metavar="DATE")
    ] = None,
    numb: Annotated[
        bool | None, typer.Option("--numb/--not-numb", help="New numbness or tingling?")
    ] = None,
) -> None:
    """Record today's pain check-in (interactive when no scores are given)."""
    runner = local_runner()
    values: dict[str, object] = {"day": day or runner.today().isoformat(), "notes": note}
    for key, value in (
        ("pain_rest", rest),
        ("pain_morning", morning),
        ("pain_during", during),
        ("pain_after", after),
        ("swelling", swelling),
    ):
        if value is not None:
            values[key] = value
    if activity:
        kind, minutes = parse_activity(activity)
        values["activity"] = kind
        if minutes is not None:
            values["activity_minutes"] = minutes
    if exercise:
        values["exercises_done"] = list(exercise)
    if numb is not None:
        values["checkin"] = {"numbness_tingling": numb}
    if not any(k.startswith("pain_") for k in values) and sys.stdin.isatty():
        values.update(_ask_scores())
    try:
        stored = runner.journal.log_entry(values)
    except InvalidInput as exc:
        if exc.field != "exercises_done":
            raise
        hint = f"{exc} (`stridewell exercises --all` lists the names to type)"
        raise InvalidInput(hint, field=exc.field) from exc
    when = day_words(stored.entry.day, weekday=True)
    if stored.revision > 1:
        # A moment of that day was already logged: the new score replaced the earlier one.
        typer.echo(
            f"corrected your check-in for {when}: the new score replaces the earlier one "
            f"(id {stored.id})"
        )
    else:
        typer.echo(f"logged check-in for {when} (id {stored.id})")
    _print_plan_hint(runner)


def _ask_scores() -> dict[str, int]:
    from rich.prompt import IntPrompt

    answers: dict[str, int] = {}
    for key, text in (
        ("pain_rest", "Pain at rest (0-10)"),
        ("pain_morning", "First steps this morning (0-10)"),
        ("pain_during", "During activity today (0-10)"),
        ("pain_after", "After activity (0-10)"),
    ):
        answers[key] = IntPrompt.ask(text, choices=[str(i) for i in range(11)], show_choices=False)
    return answers


def _print_plan_hint(runner: RunnerServices) -> None:
    plan = runner.plans.current()
    if plan is None:
        return
    day = plan.day_of(runner.today())
    if day is not None:
        from stridewell.knowledge.vocabulary import vocabulary

        typer.echo(f"today: {vocabulary().phase(day.phase).label} ({day.rule.why})")
    if plan.referral is not None:
        typer.echo("see a clinician: " + "; ".join(plan.referral.reasons), err=True)


@reports_errors
def journal(
    days: Annotated[int, typer.Option(min=1, max=3650, help="How many days back.")] = 28,
    chart: Annotated[
        Path | None, typer.Option(help="Draw pain against days into a .png or .svg file.")
    ] = None,
) -> None:
    """Show the pain journal with the trend; optionally draw a chart."""
    from datetime import timedelta

    from stridewell.cli.recovery_render import print_journal

    runner = local_runner()
    since: date = runner.today() - timedelta(days=days - 1)
    entries = runner.journal.entries(since=since)
    print_journal(entries, runner.journal.pain_trend())
    if chart is not None:
        path = runner.plans.pain_chart(chart, since=since)
        typer.echo(f"chart written to {path}")


@reports_errors
def plan(
    start: Annotated[
        bool, typer.Option("--start", help="Start a plan from your latest assessment.")
    ] = False,
    assessment: Annotated[
        str | None, typer.Option(help="Start from this assessment id instead.")
    ] = None,
    days: Annotated[int, typer.Option(min=1, max=60, help="How many days ahead to show.")] = 7,
    ics: Annotated[
        Path | None, typer.Option(help="Write the plan as an iCalendar (.ics) file.")
    ] = None,
) -> None:
    """Show today's recovery plan and the days ahead (or start one with --start)."""
    from stridewell.cli.recovery_render import print_plan

    plans = local_runner().plans
    current = plans.start(assessment) if start or assessment else plans.require()
    print_plan(current, days_ahead=days)
    if ics is not None:
        from stridewell.cli.files import write_file

        write_file(ics, plans.ics(), field="--ics")
        typer.echo(f"calendar written to {ics}")


@reports_errors
def exercises(
    done: Annotated[
        list[str] | None, typer.Option("--done", help="Mark an exercise as done (repeatable).")
    ] = None,
    sets: Annotated[int, typer.Option(min=0, max=50, help="Sets done (with --done).")] = 1,
    show_all: Annotated[bool, typer.Option("--all", help="List every exercise.")] = False,
) -> None:
    """Today's exercises with their dose; mark them done; weekly adherence."""
    from stridewell.cli.recovery_render import print_all_exercises, print_exercises

    if show_all:
        print_all_exercises()
        return
    runner = local_runner()
    for exercise_id in done or []:
        runner.journal.log_exercise(
            {"day": runner.today().isoformat(), "exercise_id": exercise_id, "sets_done": sets}
        )
    print_exercises(runner.plans.exercises_for(), runner.plans.adherence())
