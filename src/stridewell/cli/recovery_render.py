"""Rich rendering of the journal and the plan for the terminal."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from stridewell.journal.model import StoredEntry


def _score(value: int | None) -> str:
    return "-" if value is None else str(value)


def print_journal(entries: list[StoredEntry], trend: Any, console: Console | None = None) -> None:
    console = console or Console()
    if not entries:
        console.print("No check-ins yet. Log one with [bold]stridewell log[/bold].")
        return
    table = Table(title="Pain journal (0-10)", title_justify="left")
    for column in ("day", "rest", "morning", "during", "after", "activity", "notes"):
        table.add_column(column, no_wrap=column != "notes")
    for stored in entries:
        e = stored.entry
        activity = e.activity.value.replace("_", " ") if e.activity else "-"
        if e.activity_minutes:
            activity += f" {e.activity_minutes} min"
        table.add_row(
            e.day.isoformat(),
            _score(e.pain_rest),
            _score(e.pain_morning),
            _score(e.pain_during),
            _score(e.pain_after),
            activity,
            e.notes,
        )
    console.print(table)
    if trend is not None:
        console.print(f"Trend: [bold]{getattr(trend, 'direction', trend)}[/bold]")
        method = getattr(trend, "method", "")
        if method:
            console.print(f"[dim]{method}[/dim]")
