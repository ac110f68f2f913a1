"""Rich rendering of the journal and the plan for the terminal."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table
from rich.text import Text

from stridewell.journal.model import StoredEntry
from stridewell.knowledge.vocabulary import vocabulary
from stridewell.plan.running_rule import running_rule_for_plan
from stridewell.text import day_words

if TYPE_CHECKING:
    from stridewell.journal.trend import Trend
    from stridewell.plan.model import Plan, Task
    from stridewell.service.views import AdherenceWeek

PHASE_STYLE = {
    "protect": "red",
    "mobilise": "yellow",
    "test_jog": "cyan",
    "return_to_run": "green",
    "continuous_running": "bold green",
    "see_clinician": "bold magenta",
}


def _score(value: int | None) -> str:
    return "-" if value is None else str(value)


def print_journal(entries: list[StoredEntry], trend: Trend, console: Console | None = None) -> None:
    console = console or Console()
    if not entries:
        console.print("No check-ins yet. Log one with [bold]stridewell log[/bold].")
        return
    table = Table(title="Pain journal (0-10)", title_justify="left")
    for column in ("day", "rest", "morning", "during", "after", "activity", "notes"):
        table.add_column(column, no_wrap=column not in ("notes", "activity"))
    for stored in entries:
        e = stored.entry
        activity = vocabulary().task_kind(e.activity.value) if e.activity else "-"
        if e.activity_minutes:
            activity += f" {e.activity_minutes} min"
        table.add_row(
            day_words(e.day, weekday=True),
            _score(e.pain_rest),
            _score(e.pain_morning),
            _score(e.pain_during),
            _score(e.pain_after),
            activity,
            e.notes,
        )
    console.print(table)
    if trend is not None:
        direction = getattr(trend, "direction", trend)
        console.print(Text.assemble("Trend: ", (vocabulary().trend(str(direction)).label, "bold")))
        method = getattr(trend, "method", "")
        if method:
            console.print(Text(method, style="dim"))


def print_plan(plan: Plan, *, days_ahead: int = 7, console: Console | None = None) -> None:
    """The plan: its one running rule first, a referral in words, then the days ahead."""
    console = console or Console()
    words = vocabulary()
    console.print(Text.assemble(("Running: ", "bold"), running_rule_for_plan(plan)))
    if plan.referral is not None:
        when = {"emergency": "today", "urgent": "within one to two days"}.get(
            plan.referral.level.value, "within about two weeks"
        )
        line = Text(f"See a {words.who_to_see()} {when}: ", style="bold magenta")
        line.append("; ".join(plan.referral.reasons))
        console.print(line)
    phase = words.phase(plan.phase.value)
    console.print(
        Text.assemble(
            f"Recovery plan from {day_words(plan.start)} · today: ",
            (phase.label, PHASE_STYLE.get(plan.phase.value, "bold")),
            f" · pain: {words.trend(str(plan.trend.direction)).label}",
        )
    )
    shown = [d for d in plan.days if plan.today <= d.day][: days_ahead + 1]
    for day in shown:
        style = PHASE_STYLE.get(day.phase.value, "bold")
        label = "today" if day.day == plan.today else day_words(day.day, weekday=True, year=False)
        console.rule(
            Text(f"Day {day.day_number} · {label} · {words.phase(day.phase.value).label}", style)
        )
        for task in day.tasks:
            dose = f" — {task.dose}" if task.dose else ""
            console.print(Text(f"  • {task.text}{dose}"))
        rule = words.rule(day.rule.id)
        detail = f" ({day.rule.detail})" if day.rule.detail else ""
        console.print(Text(f"  why: {rule.label}. {rule.explanation}{detail}", style="dim"))


def print_exercises(
    items: list[tuple[Task, bool]], adherence: list[AdherenceWeek], console: Console | None = None
) -> None:
    console = console or Console()
    if not items:
        console.print("No exercises prescribed for today.")
    table = Table(title="Today's exercises", title_justify="left")
    # The last column is what to type, not a label: `stridewell exercises --done NAME`.
    for column in ("done", "exercise", "dose", "to mark it done"):
        table.add_column(column)
    for task, done in items:
        command = f"--done {task.exercise_id}" if task.exercise_id and not done else ""
        table.add_row("✔" if done else " ", task.text, task.dose or "", command)
    if items:
        console.print(table)
    for week in adherence:
        pct = week["adherence_pct"]
        shown = "-" if pct is None else f"{pct} %"
        monday = date.fromisoformat(week["week"])
        console.print(
            f"week of {day_words(monday)}: {week['done']} of {week['prescribed']} done ({shown})"
        )


def print_all_exercises(console: Console | None = None) -> None:
    from stridewell.knowledge import load_knowledge

    console = console or Console()
    table = Table(title="Exercises", title_justify="left")
    for column in ("exercise", "dose", "to mark it done"):
        table.add_column(column)
    for ex in load_knowledge().exercises:
        table.add_row(ex.name, ex.dose, f"--done {ex.id}")
    console.print(table)
