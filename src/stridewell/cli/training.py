"""CLI commands for training data: `import`, `activities` (and later `load`, `shoes`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from stridewell.cli.errors import reports_errors


def _service() -> Any:
    from stridewell.service import Stridewell

    return Stridewell()


def register(app: typer.Typer) -> None:
    app.command("import")(import_files)
    app.command("activities")(activities)


@reports_errors
def import_files(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Files (.fit, .gpx, .tcx, also .gz), folders or a Strava export zip."),
    ],
    quiet: Annotated[bool, typer.Option("--quiet", help="No progress bar.")] = False,
) -> None:
    """Import activities from your watch or a Strava bulk export."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    console = Console(stderr=True)
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        from stridewell.errors import InvalidInput

        raise InvalidInput(f"no such file or folder: {', '.join(missing)}", field="paths")
    service = _service()
    with Progress(
        TextColumn("[bold]importing"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]} files/s"),
        TimeRemainingColumn(),
        console=console,
        disable=quiet,
        transient=True,
    ) as bar:
        task = bar.add_task("import", total=None, rate="-")

        def progress(done: int, total: int | None, _name: str) -> None:
            elapsed = bar.tasks[0].elapsed or 0.0
            rate = f"{done / elapsed:,.0f}" if elapsed > 0 else "-"
            bar.update(task, completed=done, total=total, rate=rate)

        report = service.import_paths(paths, progress=progress)
    out = Console()
    out.print(f"[bold]{report.summary()}[/bold] ({report.files} files read)")
    for source, reason in report.set_aside:
        out.print(f"  set aside: {source}: {reason}")
    for source, warning in report.warnings[:20]:
        out.print(f"  [dim]note: {source}: {warning}[/dim]")


@reports_errors
def activities(
    limit: Annotated[int, typer.Option(min=1, max=10_000, help="How many to list.")] = 20,
    sport: Annotated[str | None, typer.Option(help="Only this sport (e.g. running).")] = None,
) -> None:
    """List imported activities, newest first."""
    from rich.console import Console
    from rich.table import Table

    rows = _service().activities(limit=limit, sport=sport)
    table = Table(title="Activities", title_justify="left")
    for column in ("start", "sport", "km", "time", "pace /km", "source"):
        table.add_column(column)
    for a in rows:
        minutes = a.duration_s / 60
        pace = ""
        if a.distance_m > 0 and a.sport == "running":
            per_km = a.moving_time_s / (a.distance_m / 1000)
            pace = f"{int(per_km // 60)}:{int(per_km % 60):02d}"
        sport_text = a.sport + (f" ({a.sub_sport})" if a.sub_sport else "")
        table.add_row(
            a.start_time.astimezone().strftime("%Y-%m-%d %H:%M"),
            sport_text,
            f"{a.distance_m / 1000:.2f}",
            f"{int(minutes // 60)}:{int(minutes % 60):02d}",
            pace,
            Path(a.source_name).name,
        )
    Console().print(table)
