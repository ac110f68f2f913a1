"""Calendar and chart exports: real files, parsed back by independent readers."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from pathlib import Path

import icalendar
import pytest
import vobject

from stridewell.errors import InvalidInput
from stridewell.export.charts import MAX_DAY_LABELS, PainPoint, PhaseSpan, pain_chart
from stridewell.export.ics import CalendarDay, plan_calendar

START = date(2026, 3, 2)
DAYS = [
    CalendarDay(
        START + timedelta(days=i), f"Stridewell day {i + 1}: rest", ["Ice 15-20 min", "Log pain"]
    )
    for i in range(5)
]
STAMP = datetime(2026, 3, 1, 12, tzinfo=UTC)


def test_plan_calendar_parses_back_with_icalendar_and_keeps_the_tasks() -> None:
    data = plan_calendar("p1", DAYS, stamp=STAMP)
    calendar = icalendar.Calendar.from_ical(data)
    events = list(calendar.walk("VEVENT"))
    assert [e.decoded("dtstart") for e in events] == [d.day for d in DAYS]
    assert all("Ice 15-20 min" in str(e.get("description")) for e in events)
    assert len({str(e.get("uid")) for e in events}) == len(DAYS)


def test_plan_calendar_parses_back_with_an_independent_parser() -> None:
    data = plan_calendar("p1", DAYS, stamp=STAMP)
    parsed = vobject.readOne(data.decode("utf-8"))
    events = parsed.contents["vevent"]
    assert len(events) == len(DAYS)
    assert events[0].summary.value == "Stridewell day 1: rest"
    assert events[0].dtstart.value == START
    assert "Log pain" in events[0].description.value


def test_event_ids_are_stable_so_a_reimport_updates_instead_of_duplicating() -> None:
    assert plan_calendar("p1", DAYS, stamp=STAMP) == plan_calendar("p1", DAYS, stamp=STAMP)


def test_calendar_refuses_a_naive_timestamp() -> None:
    with pytest.raises(ValueError, match="timezone"):
        plan_calendar("p1", DAYS, stamp=datetime(2026, 3, 1))


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_pain_chart_renders_an_image_file(tmp_path: Path, suffix: str) -> None:
    points = [PainPoint(START + timedelta(days=i), max(0, 6 - i)) for i in range(7)]
    phases = [PhaseSpan("protect", START, START + timedelta(days=2)),
              PhaseSpan("mobilise", START + timedelta(days=3), START + timedelta(days=6))]  # fmt: skip
    path = pain_chart(points, phases, tmp_path / f"pain{suffix}")
    head = path.read_bytes()[:8]
    if suffix == ".png":
        assert head == b"\x89PNG\r\n\x1a\n"
    else:
        assert b"<svg" in path.read_bytes()[:2000]
    assert path.stat().st_size > 5_000


def test_pain_chart_refuses_other_formats_and_empty_journals(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match=r"\.png or \.svg"):
        pain_chart([PainPoint(START, 3)], [], tmp_path / "pain.jpg")
    with pytest.raises(InvalidInput, match="no pain scores"):
        pain_chart([], [], tmp_path / "pain.png")


def _axis_dates(svg: str) -> list[str]:
    """The date labels along the chart's axis (SVG text is kept as text)."""
    return re.findall(r">(\d{1,2} [A-Z][a-z]{2}|\d\d-\d\d \d\d)<", svg)


def test_pain_chart_labels_its_axis_in_days_never_hours(tmp_path: Path) -> None:
    points = [PainPoint(START + timedelta(days=i), 5 - i) for i in range(4)]
    phases = [PhaseSpan("protect", START, START + timedelta(days=3))]
    svg = pain_chart(points, phases, tmp_path / "pain.svg").read_text()
    assert _axis_dates(svg) == ["2 Mar", "3 Mar", "4 Mar", "5 Mar"]  # no leading zero


def test_a_long_pain_chart_labels_every_few_days_in_whole_days(tmp_path: Path) -> None:
    points = [PainPoint(START + timedelta(days=i), i % 8) for i in range(0, 60, 2)]
    svg = pain_chart(points, [], tmp_path / "pain.svg").read_text()
    labels = _axis_dates(svg)
    assert 2 <= len(labels) <= MAX_DAY_LABELS
    days = [datetime.strptime(f"{label} 2026", "%d %b %Y").date() for label in labels]
    steps = {(b - a).days for a, b in pairwise(days)}
    assert len(steps) == 1 and steps.pop() >= 1
    assert days[0] == START
