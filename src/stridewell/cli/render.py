"""Rich rendering of triage reports and the assessment history for the terminal.

Everything printed comes from the report or the knowledge base, wrapped in `Text` so a
stray bracket in the data is never read as Rich markup. Layout fits 80 columns, and the
words carry the meaning on their own, so nothing is lost when colour is off (NO_COLOR).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import tzinfo
from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import Console
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from stridewell.contract import Level
from stridewell.knowledge import load_knowledge
from stridewell.knowledge.questions import load_questionnaire
from stridewell.text import time_words

if TYPE_CHECKING:
    from stridewell.contract import TriageReport
    from stridewell.service.records import StoredAssessment
    from stridewell.web.report_view import FlagView, ReportView

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
    from stridewell.knowledge.vocabulary import vocabulary

    return vocabulary().flag(flag_id).label


def plain_finding(item: str) -> str:
    """'bone_tenderness: navicular' as 'tender bone: navicular'."""
    return load_questionnaire().plain_finding(item)


def likelihood_bar(likelihood: float) -> str:
    """A ten-cell bar and a percentage, e.g. '██████░░░░  61%' (kept for scripts; the
    report itself says the likelihood in words)."""
    share = min(max(likelihood, 0.0), 1.0)
    filled = round(share * _BAR_WIDTH)
    return "█" * filled + "░" * (_BAR_WIDTH - filled) + f" {round(share * 100):3d}%"


def _print_card(console: Console, view: ReportView, level: Level) -> None:
    """The summary card: what to do now, the one running rule, the likely cause."""
    style = LEVEL_STYLE[level]
    title = Text(f" {LEVEL_WORD[level]}: {view.level_label} ", style=style)
    body = Text(view.now)
    body.append("\n\nRunning: ", style="bold")
    body.append(view.running_rule)
    if view.cause is not None:
        body.append(f"\n{view.cause.words.capitalize()}: ", style="bold")
        body.append(view.cause.name)
    if view.not_known and level is Level.self_care:
        body.append("\n\n" + view.not_known_settle, style="italic")
        body.append(" see “" + view.not_known_title + "” below.")
    care = view.care
    body.append(f"\n\nIn an emergency, call {care.emergency}.", style="bold")
    console.print(
        Panel(body, title=title, title_align="left", border_style=style, box=box.HEAVY),
        width=min(console.width, 80),
    )


def _print_red_flags(console: Console, flags: Sequence[FlagView], levels: Sequence[Level]) -> None:
    if not flags:
        return
    _heading(console, "Warning signs")
    for flag, level in zip(flags, levels, strict=True):
        line = Text("  ! ", style=LEVEL_STYLE[level])
        line.append(flag.name, style="bold")
        line.append(f"  ({LEVEL_WORD[level].lower()})", style=LEVEL_STYLE[level])
        console.print(line)
        if flag.because:
            because = Text("Because: ", style="italic")
            because.append("; ".join(flag.because))
            _indented(console, because)
        _indented(console, Text(flag.advice))


def _print_conditions(console: Console, view: ReportView) -> None:
    if not view.causes:
        return
    _heading(console, "Likely causes, most likely first")
    table = Table(box=None, show_header=False, padding=(0, 1), expand=False)
    table.add_column("rank", justify="right", no_wrap=True)
    table.add_column("cause", ratio=1)
    table.add_column("likelihood", no_wrap=True)
    for rank, cond in enumerate(view.causes, start=1):
        table.add_row(Text(f"{rank}."), Text(cond.name, style="bold"), Text(cond.words))
        details = Text()
        if cond.summary and rank == 1:
            details.append(cond.summary, style="dim")
        lists = (("Why: ", cond.for_), ("Against: ", cond.against)) if cond.show_findings else ()
        for label, items in lists:
            if items:
                details.append("\n" if details else "")
                details.append(label, style="italic")
                details.append("; ".join(items))
        if details:
            table.add_row("", details, "")
    console.print(table, width=min(console.width, 80))
    if view.other_causes:
        _heading(console, "Other possibilities")
        _bullets(console, [f"{c.name} ({c.words})" for c in view.other_causes])


def print_report(
    report: TriageReport,
    console: Console | None = None,
    assessment: Mapping[str, Any] | None = None,
) -> None:
    """Print a triage report: the summary card first (level, what to do now, the running
    rule, the likely cause), then warning signs, causes and the rest of the advice.
    `assessment` (the answers behind it) lets the card name the safety questions left open."""
    from stridewell.web.report_view import report_view

    console = console or Console()
    view = report_view(report, assessment)
    _print_card(console, view, report.triage.level)
    _print_red_flags(console, view.flags, [f.level for f in report.red_flags])
    _print_conditions(console, view)
    if view.open_questions:
        _heading(console, "Questions that could change this (left open; a yes may be more urgent)")
        # Most important first; questions that share a reason are said with it once.
        grouped: dict[str, list[str]] = {}
        for ask, why in view.open_questions:
            grouped.setdefault(why, []).append(ask)
        _bullets(console, [f"{' / '.join(asks)} ({why})" for why, asks in grouped.items()])
    if view.not_known:
        _heading(console, view.not_known_title)
        _indented(console, Text(f"{view.not_known_text} {view.not_known_settle}"), indent=2)
        _bullets(console, view.not_known)
    for title, items in (
        ("What to do now", report.self_care),
        ("Shoe features that help", report.shoe_features),
        ("Exercises (with dose)", report.exercises),
        ("Preventing a comeback", report.prevention),
    ):
        if items:
            _heading(console, title)
            _bullets(console, items)
    if view.care.links:
        _heading(console, f"Find care ({view.care.country_name})")
        _bullets(console, [f"{label}: {url}" for label, url in view.care.links])
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
    from stridewell.knowledge.vocabulary import vocabulary

    return vocabulary().condition(condition_id).label


def history_table(
    records: Sequence[StoredAssessment], console: Console | None = None, *, zone: tzinfo
) -> None:
    """Past assessments, newest first: local date and time, level, likeliest cause, id.

    Below 100 columns the id goes on a second line under the cause, so that the cause
    keeps room to be read at 80 columns.
    """
    console = console or Console()
    if not records:
        console.print("No assessments yet. Run `stridewell assess` to make one.")
        return
    from stridewell.knowledge.vocabulary import vocabulary

    wide = console.width >= 100
    table = Table(box=box.SIMPLE_HEAD, title="Past assessments", title_justify="left")
    table.add_column("Date (local)", no_wrap=True)
    table.add_column("Level", max_width=None if wide else 20)
    table.add_column("Most likely cause" if wide else "Most likely cause / id")
    if wide:
        table.add_column("Id", no_wrap=True)
    for record in records:
        local = record.created_at.astimezone(zone)  # the runner's time zone
        when = time_words(local)
        try:
            level = Level(record.level)
            level_text = Text(vocabulary().level(level).label, style=LEVEL_STYLE[level])
        except ValueError:
            level_text = Text("Level unknown")
        cause = Text(_condition_name(record.top_condition))
        if record.corrected_by_id is not None and record.corrected_at is not None:
            # A corrected emergency stays listed, and says so (the web's history does too).
            from stridewell.triage.correction import mark

            cause.append(f"\n{mark('corrected', record.corrected_at, zone, runner=True)}")
        if wide:
            table.add_row(when, level_text, cause, record.id)
        else:
            cause.append(f"\n{record.id}", style="dim")
            table.add_row(when, level_text, cause)
    console.print(table)
    console.print(Text("Show one with: stridewell show ID", style="dim"))


__all__ = ["history_table", "level_headline", "likelihood_bar", "print_report"]
