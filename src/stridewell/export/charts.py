"""Charts as PNG or SVG files, drawn with matplotlib's non-interactive backend.

matplotlib is imported inside the functions: it is slow to import, and only the chart
commands need it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from stridewell.errors import InvalidInput
from stridewell.knowledge.vocabulary import vocabulary
from stridewell.text import day_words

FORMATS = {".png": "png", ".svg": "svg"}
PHASE_COLOURS = {
    "protect": "#fde2e2",
    "mobilise": "#fff1c9",
    "test_jog": "#e0f0ff",
    "return_to_run": "#dff5e3",
    "continuous_running": "#c8ecd0",
    "see_clinician": "#eadcf7",
}


@dataclass(frozen=True)
class PainPoint:
    day: date
    worst: int


@dataclass(frozen=True)
class PhaseSpan:
    phase: str
    first: date
    last: date


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day)


def chart_format(path: Path) -> str:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InvalidInput(
            f"cannot draw a chart as '{path.suffix or path.name}': use a .png or .svg file",
            field="chart",
        )
    return fmt


def _figure() -> tuple[Any, Any]:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 3.6), dpi=120)
    return fig, ax


def pain_chart(points: Sequence[PainPoint], phases: Sequence[PhaseSpan], path: Path) -> Path:
    """Worst pain per day (0-10) against days, with the plan's phases shaded behind."""
    fmt = chart_format(path)
    if not points:
        raise InvalidInput("no pain scores recorded yet: log a check-in first", field="journal")
    fig, ax = _figure()
    from matplotlib import pyplot as plt

    try:
        for span in phases:
            # Whole days: from the middle of the night before to the one after the span.
            ax.axvspan(
                _midnight(span.first) - timedelta(hours=12),
                _midnight(span.last) + timedelta(hours=12),
                color=PHASE_COLOURS.get(span.phase, "#eeeeee"),
                label=vocabulary().phase(span.phase).label,
                zorder=0,
            )
        days = [_midnight(p.day) for p in points]
        ax.plot(days, [p.worst for p in points], marker="o", color="#1f5f8b", zorder=2,
                label="worst pain")  # fmt: skip
        _label_days(ax, points, phases)
        ax.set_ylim(0, 10)
        ax.set_ylabel("pain (0-10)")
        ax.set_title("Pain over time, with the plan's phases")
        ax.grid(axis="y", alpha=0.3)
        handles, labels = ax.get_legend_handles_labels()
        unique = dict(zip(labels, handles, strict=True))
        ax.legend(unique.values(), unique.keys(), loc="upper right", fontsize="small")
        fig.autofmt_xdate()
        fig.tight_layout()
        path.parent.mkdir(parents=True, exist_ok=True)
        # Text stays text in an SVG (readable, searchable), not outlines.
        with plt.rc_context({"svg.fonttype": "none"}):
            fig.savefig(path, format=fmt)
    finally:
        plt.close(fig)
    return path


# At most this many dates along the axis: beyond it, every second (third...) day.
MAX_DAY_LABELS = 12


def day_ticks(first: date, last: date) -> list[date]:
    """The days the pain chart labels: whole days from ``first``, one step apart, the
    step the smallest number of days that keeps to ``MAX_DAY_LABELS`` labels."""
    span = (last - first).days + 1
    step = max(1, -(-span // MAX_DAY_LABELS))
    return [first + timedelta(days=k) for k in range(0, span, step)]


def _label_days(ax: Any, points: Sequence[PainPoint], phases: Sequence[PhaseSpan]) -> None:
    """Label the axis in days ("02 Mar"), never in hours: matplotlib's own choice for a
    few days is 12-hour steps, which says nothing about a daily journal."""
    first = min([p.day for p in points] + [s.first for s in phases])
    last = max([p.day for p in points] + [s.last for s in phases])
    ax.set_xlim(_midnight(first) - timedelta(hours=12), _midnight(last) + timedelta(hours=12))
    ticks = day_ticks(first, last)
    ax.set_xticks([_midnight(d) for d in ticks], labels=[day_words(d, year=False) for d in ticks])
    ax.set_xticks([], minor=True)


def load_chart(weeks: Sequence[dict[str, Any]], path: Path) -> Path:
    """Weekly running distance as bars, with week-over-week change as a line (information,
    not an injury gate: the 2025 single-session study found no link for it)."""
    fmt = chart_format(path)
    fig, ax = _figure()
    try:
        labels = [str(w["week"]) for w in weeks]
        ax.bar(labels, [w["km"] for w in weeks], color="#1f5f8b", label="km per week")
        ax.set_ylabel("km per week")
        ax.set_title("Weekly running distance")
        change = ax.twinx()
        change.plot(labels, [w["change_pct"] if w["change_pct"] is not None else float("nan")
                             for w in weeks], color="#d97706", marker="o",
                    label="change vs week before (%)")  # fmt: skip
        change.axhline(0, color="#999999", linewidth=0.8)
        change.set_ylabel("change (%)")
        ax.tick_params(axis="x", labelrotation=60, labelsize="small")
        fig.tight_layout()
        path.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path, format=fmt)
    finally:
        import matplotlib.pyplot as plt

        plt.close(fig)
    return path
