"""Rich rendering of triage reports and the assessment history for the terminal.

Everything printed comes from the report or the knowledge base, wrapped in `Text` so a
stray bracket in the data is never read as Rich markup. Layout fits 80 columns, and the
words carry the meaning on their own, so nothing is lost when colour is off (NO_COLOR).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from rich import box
from rich.console import Console
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from stridewell.contract import Level
from stridewell.knowledge import load_knowledge
from stridewell.knowledge.questions import load_questionnaire

if TYPE_CHECKING:
    from stridewell.contract import RankedCondition, RedFlagHit, TriageReport
    from stridewell.service.records import StoredAssessment

LEVEL_STYLE: dict[Level, str] = {
    Level.emergency: "bold red",
    Level.urgent: "bold dark_orange",
    Level.soon: "bold yellow",
    Level.self_care: "bold green",
}
LEVEL_WORD: dict[Level, str] = {
    Level.emergency: "EMERGENCY",
    Level.urgent: "URGENT",
    Level.soon: "SEE SOMEONE SOON",
    Level.self_care: "SELF-CARE",
}
_BAR_WIDTH = 10


def level_headline(level: Level) -> str:
    """The knowledge base's one-line headline for a level ("Book a clinician")."""
    text = load_knowledge().meta.levels.get(level)
    return text.headline if text is not None else LEVEL_WORD[level].capitalize()


def _heading(console: Console, title: str) -> None:
    console.print()
    console.print(Text(title, style="bold underline"))


def _bullets(console: Console, items: Iterable[str], marker: str = "•") -> None:
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1, overflow="fold")
    for item in items:
        grid.add_row(f"  {marker}", Text(item))
    console.print(grid, width=min(console.width, 80))


def _indented(console: Console, text: Text, indent: int = 4) -> None:
    console.print(Padding(text, (0, 0, 0, indent)), width=min(console.width, 80))


def _red_flag_name(flag_id: str) -> str:
    for flag in load_knowledge().red_flags:
        if flag.id == flag_id:
            return flag.name
    return flag_id.replace("_", " ").capitalize()


def plain_finding(item: str) -> str:
    """'bone_tenderness: navicular' as 'tender bone: navicular'."""
    return load_questionnaire().plain_finding(item)


def likelihood_bar(likelihood: float) -> str:
    """A ten-cell bar and a percentage, e.g. '██████░░░░  61%'."""
    share = min(max(likelihood, 0.0), 1.0)
    filled = round(share * _BAR_WIDTH)
    return "█" * filled + "░" * (_BAR_WIDTH - filled) + f" {round(share * 100):3d}%"


def _print_level(console: Console, report: TriageReport) -> None:
    level = report.triage.level
    style = LEVEL_STYLE[level]
    headline = level_headline(level)
    title = Text(f" {LEVEL_WORD[level]}: {headline} ", style=style)
    # The summary opens with the same headline; the panel title already says it.
    summary = report.summary.removeprefix(headline).lstrip(". ") or report.summary
    body = Text(summary)
    console.print(
        Panel(body, title=title, title_align="left", border_style=style, box=box.HEAVY),
        width=min(console.width, 80),
    )


def _print_red_flags(console: Console, flags: Sequence[RedFlagHit]) -> None:
    if not flags:
        return
    _heading(console, "Warning signs")
    for flag in flags:
        line = Text("  ! ", style=LEVEL_STYLE[flag.level])
        line.append(flag.name or _red_flag_name(flag.id), style="bold")
        line.append(f"  ({LEVEL_WORD[flag.level].lower()})", style=LEVEL_STYLE[flag.level])
        console.print(line)
        if flag.because:
            because = Text("Because: ", style="italic")
            because.append("; ".join(plain_finding(b) for b in flag.because))
            _indented(console, because)
        _indented(console, Text(flag.advice))


def _print_conditions(console: Console, conditions: Sequence[RankedCondition]) -> None:
    if not conditions:
        return
    _heading(console, "Likely causes, most likely first")
    table = Table(box=None, show_header=False, padding=(0, 1), expand=False)
    table.add_column("rank", justify="right", no_wrap=True)
    table.add_column("cause", ratio=1)
    table.add_column("likelihood", no_wrap=True)
    for rank, cond in enumerate(conditions, start=1):
        table.add_row(
            Text(f"{rank}."), Text(cond.name, style="bold"), likelihood_bar(cond.likelihood)
        )
        details = Text()
        if cond.summary and rank == 1:
            details.append(cond.summary, style="dim")
        for label, items in (("Why: ", cond.for_), ("Against: ", cond.against)):
            if items:
                details.append("\n" if details else "")
                details.append(label, style="italic")
                details.append("; ".join(items))
        if details:
            table.add_row("", details, "")
    console.print(table, width=min(console.width, 80))


def print_report(report: TriageReport, console: Console | None = None) -> None:
    """Print a triage report: level first, then warning signs, causes and what to do."""
    console = console or Console()
    _print_level(console, report)
    _print_red_flags(console, report.red_flags)
    _print_conditions(console, report.conditions)
    if report.unanswered_safety_questions:
        questions = load_questionnaire()
        _heading(console, "Questions that could change this (left open; a yes may be more urgent)")
        # Most important first; questions that share a reason are said with it once.
        grouped: dict[str, list[str]] = {}
        for q in report.unanswered_safety_questions:
            grouped.setdefault(q.why, []).append(questions.prompt_for(q.field))
        _bullets(console, [f"{' / '.join(asks)} ({why})" for why, asks in grouped.items()])
    for title, items in (
        ("What to do now", report.self_care),
        ("Shoe features that help", report.shoe_features),
        ("Exercises (with dose)", report.exercises),
        ("Preventing a comeback", report.prevention),
    ):
        if items:
            _heading(console, title)
            _bullets(console, items)
    if report.sources:
        _heading(console, "Sources")
        _bullets(console, [s.title for s in report.sources])
    console.print()
    console.print(Text(f"Knowledge base {report.knowledge_base.version}", style="dim"))
    console.print(Panel(Text(report.disclaimer), title="Please note", title_align="left"))


def _condition_name(condition_id: str | None) -> str:
    if not condition_id:
        return "–"
    for cond in load_knowledge().conditions:
        if cond.id == condition_id:
            # The short name: "Plantar fasciitis (plantar heel pain)" -> "Plantar fasciitis".
            return cond.name.split(" (", 1)[0]
    return condition_id.replace("_", " ").capitalize()


def history_table(records: Sequence[StoredAssessment], console: Console | None = None) -> None:
    """Past assessments, newest first: local date and time, level, likeliest cause, id.

    Below 100 columns the id goes on a second line under the cause, so that the cause
    keeps room to be read at 80 columns.
    """
    console = console or Console()
    if not records:
        console.print("No assessments yet. Run `stridewell assess` to make one.")
        return
    wide = console.width >= 100
    table = Table(box=box.SIMPLE_HEAD, title="Past assessments", title_justify="left")
    table.add_column("Date (local)", no_wrap=True)
    table.add_column("Level", no_wrap=True)
    table.add_column("Most likely cause" if wide else "Most likely cause / id")
    if wide:
        table.add_column("Id", no_wrap=True)
    for record in records:
        when = record.created_at.astimezone().strftime("%Y-%m-%d %H:%M")
        try:
            level_text = Text(
                record.level.replace("_", "-"), style=LEVEL_STYLE[Level(record.level)]
            )
        except ValueError:
            level_text = Text(record.level)
        cause = Text(_condition_name(record.top_condition))
        if wide:
            table.add_row(when, level_text, cause, record.id)
        else:
            cause.append(f"\n{record.id}", style="dim")
            table.add_row(when, level_text, cause)
    console.print(table)
    console.print(Text("Show one with: stridewell show ID", style="dim"))


__all__ = ["history_table", "level_headline", "likelihood_bar", "print_report"]
