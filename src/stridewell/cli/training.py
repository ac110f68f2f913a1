"""CLI commands for training data: `import`, `activities` (and later `load`, `shoes`)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from stridewell.cli.errors import reports_errors
from stridewell.cli.services import local_runner
from stridewell.text import day_words

if TYPE_CHECKING:
    from rich.text import Text

    from stridewell.service.shoes import ShoeService


shoes_app = typer.Typer(
    help="Your shoes: mileage, alerts and rotation.", invoke_without_command=True
)


def register(app: typer.Typer) -> None:
    app.command("import")(import_files)
    app.command("activities")(activities)
    app.command("load")(load)
    app.add_typer(shoes_app, name="shoes")


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
    training = local_runner().training
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

        report = training.import_paths(paths, progress=progress)
    out = Console()
    out.print(f"[bold]{report.summary()}[/bold] ({report.files} files read)")
    for source, reason in report.set_aside:
        out.print(f"  set aside: {source}: {reason}")
    for source, _reason in report.not_read:
        out.print(f"  [dim]not read (not an activity file): {source}[/dim]")
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
    from rich.text import Text

    rows = local_runner().training.activity_list(limit=limit, sport=sport)
    console = Console()
    if not rows:
        what = "activities" if sport is None else f"activities of the sport '{sport}'"
        console.print(
            f"No {what} yet. Import runs with [bold]stridewell import PATH[/bold] "
            "(.fit, .gpx or .tcx files, or a Strava export)."
        )
        return
    table = Table(title="Activities", title_justify="left")
    for column in ("date", "name", "distance", "time", "pace", "heart rate"):
        table.add_column(column, no_wrap=column != "name")
    for item in rows:
        name = item.name if item.sport == "running" else f"{item.name} ({item.sport_label})"
        table.add_row(
            day_words(item.start),
            Text(name),
            item.distance_text,
            item.duration_text,
            item.pace_text,
            item.hr_text,
        )
    console.print(table)


def _note_line(level: str, text: str, style: str) -> Text:
    """A note as the web shows it: its text, a warning led by "Take care" (never the
    level's id), in the level's colour."""
    from rich.text import Text

    lead = "Take care: " if level == "warning" else ""
    return Text(lead + text, style=style)


def week_monday(label: str) -> date:
    """The Monday of an ISO week label such as '2026-W37' (the service's week key)."""
    year, week = label.split("-W")
    return date.fromisocalendar(int(year), int(week), 1)


@reports_errors
def load(
    weeks: Annotated[int, typer.Option(min=1, max=520, help="How many weeks to show.")] = 12,
    chart: Annotated[
        Path | None, typer.Option(help="Draw weekly distance into a .png or .svg file.")
    ] = None,
) -> None:
    """Weekly training load, with single-run spike warnings and the ratios as information."""
    from rich.console import Console
    from rich.table import Table

    training = local_runner().training
    data = training.load(weeks=weeks)
    console = Console()
    if not data["weeks"]:
        console.print("No activities yet. Import some with [bold]stridewell import PATH[/bold].")
        return
    table = Table(title="Weekly running load", title_justify="left")
    for column in ("week of", "km", "hours", "change"):
        table.add_column(column, justify="right" if column != "week of" else "left")
    this_year = date.fromisoformat(data["today"]).year
    for week in data["weeks"]:
        change = "" if week["change_pct"] is None else f"{week['change_pct']:+.0f} %"
        monday = week_monday(week["week"])
        shown = day_words(monday, year=monday.year != this_year)
        table.add_row(shown, f"{week['km']:.1f}", f"{week['hours']:.1f}", change)
    console.print(table)
    styles = {"warning": "bold yellow", "info": "dim", "favourable": "green"}
    for note in data["notes"]:
        console.print(_note_line(note["level"], note["text"], styles.get(note["level"], "")))
    if chart is not None:
        path = training.load_chart(chart, weeks=weeks)
        console.print(f"chart written to {path}")


@shoes_app.callback()
@reports_errors
def shoes(
    ctx: typer.Context,
    miles: Annotated[bool, typer.Option("--miles", help="Show miles instead of km.")] = False,
) -> None:
    """List your shoes with their mileage and alerts."""
    if ctx.invoked_subcommand is not None:
        return
    from rich.console import Console
    from rich.table import Table

    data = local_runner().shoes.overview(unit="mi" if miles else "km")
    console = Console()
    if not data["shoes"]:
        console.print(
            "No shoes yet. Add a pair with [bold]stridewell shoes add BRAND MODEL[/bold]."
        )
        return
    from stridewell.knowledge.vocabulary import vocabulary
    from stridewell.shoes.model import to_unit

    unit = data["unit"]
    table = Table(title="Shoes", title_justify="left")
    for column in ("id", "shoe", "type", unit, "default", "retired"):
        table.add_column(column)
    for shoe in data["shoes"]:
        name = f"{shoe['brand']} {shoe['model']}".strip()
        kind = vocabulary().shoe_type(shoe["type"]).label
        table.add_row(shoe["id"][:8], name, kind, f"{to_unit(shoe['km'], unit):.0f}",
                      "yes" if shoe["is_default"] else "", shoe["retired"] or "")  # fmt: skip
    console.print(table)
    for alert in data["alerts"]:
        console.print(_note_line(alert["level"], alert["text"], "bold yellow"))
    if data["rotation"]:
        console.print(data["rotation"]["text"])
    for advice in data["advice"]:
        console.print(f"[bold]for your latest assessment[/]: {advice['text']}")


# The values --type accepts, each explained (the words are the vocabulary's shoe_types;
# tests/test_cli_training_words.py keeps the two in step).
SHOE_TYPE_HELP = (
    "The kind of shoe: neutral_cushioned (cushioned, no extra support under the arch), "
    "stability (firmer support on the inner side), motion_control (the firmest support), "
    "high_cushion (a thick, soft sole) or other."
)


@shoes_app.command("add")
@reports_errors
def shoes_add(
    brand: Annotated[str, typer.Argument(help="e.g. Acme")],
    model: Annotated[str, typer.Argument(help="e.g. Glide 5")],
    shoe_type: Annotated[
        str,
        typer.Option("--type", help=SHOE_TYPE_HELP),
    ] = "other",
    nickname: Annotated[str | None, typer.Option(help="A name to tell pairs apart.")] = None,
    default: Annotated[bool, typer.Option("--default", help="Use for runs without gear.")] = False,
    start_km: Annotated[float, typer.Option(help="Km already on the pair.")] = 0.0,
    replace_km: Annotated[float, typer.Option(help="Replace by this many km.")] = 800.0,
    check_km: Annotated[float, typer.Option(help="Check the pair at this many km.")] = 500.0,
    strava_gear: Annotated[
        str | None, typer.Option(help="Its gear name in a Strava export.")
    ] = None,
) -> None:
    """Add a pair of shoes."""
    stored = local_runner().shoes.add(
        {
            "brand": brand,
            "model": model,
            "type": shoe_type,
            "nickname": nickname,
            "is_default": default,
            "start_km": start_km,
            "replace_km": replace_km,
            "check_km": check_km,
            "strava_gear": strava_gear,
        }
    )
    typer.echo(f"added {stored.brand} {stored.model} (id {stored.id})")


@shoes_app.command("edit")
@reports_errors
def shoes_edit(
    shoe_id: Annotated[str, typer.Argument(help="The shoe's id (from `stridewell shoes`).")],
    brand: Annotated[str | None, typer.Option()] = None,
    model: Annotated[str | None, typer.Option()] = None,
    shoe_type: Annotated[str | None, typer.Option("--type", help=SHOE_TYPE_HELP)] = None,
    nickname: Annotated[str | None, typer.Option()] = None,
    default: Annotated[bool | None, typer.Option("--default/--not-default")] = None,
    start_km: Annotated[float | None, typer.Option()] = None,
    check_km: Annotated[float | None, typer.Option()] = None,
    replace_km: Annotated[float | None, typer.Option()] = None,
    strava_gear: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Change a pair's details."""
    shoes = local_runner().shoes
    stored = shoes.edit(
        _full_shoe_id(shoes, shoe_id),
        {
            "brand": brand,
            "model": model,
            "type": shoe_type,
            "nickname": nickname,
            "is_default": default,
            "start_km": start_km,
            "check_km": check_km,
            "replace_km": replace_km,
            "strava_gear": strava_gear,
        },
    )
    typer.echo(f"updated {stored.brand} {stored.model}")


def _full_shoe_id(shoes: ShoeService, prefix: str) -> str:
    """Shoe ids are shown shortened: accept a unique prefix."""
    from stridewell.errors import InvalidInput, NotFound

    ids = [s["id"] for s in shoes.overview()["shoes"] if s["id"].startswith(prefix)]
    if not ids:
        raise NotFound(f"no shoe with id '{prefix}'")
    if len(ids) > 1:
        raise InvalidInput(f"'{prefix}' matches several shoes: give more of the id", field="id")
    return str(ids[0])


@shoes_app.command("retire")
@reports_errors
def shoes_retire(shoe_id: Annotated[str, typer.Argument(help="The shoe's id.")]) -> None:
    """Retire a pair (its runs keep counting for it)."""
    shoes = local_runner().shoes
    stored = shoes.retire(_full_shoe_id(shoes, shoe_id))
    typer.echo(f"retired {stored.brand} {stored.model} on {stored.retired}")
