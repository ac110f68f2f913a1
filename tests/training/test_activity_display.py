"""What a runner reads about an activity: default names, times, pace, the charts of one
activity, the weekly chart's legend, and notes worded for the runner or their coach."""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from stridewell.export.activity_svg import route_svg, series_svg
from stridewell.export.svg_charts import weekly_load_svg
from stridewell.service import Stridewell
from stridewell.service.activity_view import clock_text, default_name
from stridewell.service.sharing import runner_flags

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "activities"))
from synthetic import synthetic_run, write_fit

SVG = "{http://www.w3.org/2000/svg}"
NOW = datetime(2026, 3, 20, 18, 0, tzinfo=UTC)


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def _with_class(root: ET.Element, cls: str) -> list[ET.Element]:
    return [el for el in root.iter() if cls in el.get("class", "").split()]


def _legend(root: ET.Element) -> list[str]:
    return [t.text or "" for el in _with_class(root, "sw-legend") for t in el.iter(f"{SVG}text")]


@pytest.mark.parametrize(
    ("sport", "hour", "name"),
    [
        ("running", 7, "Morning run"),
        ("running", 12, "Afternoon run"),
        ("cycling", 18, "Evening ride"),
        ("walking", 23, "Night walk"),
        ("running", 3, "Night run"),
        ("paddling", 9, "Morning activity"),
    ],
)
def test_an_unnamed_activity_is_named_by_time_of_day_and_sport(
    sport: str, hour: int, name: str
) -> None:
    assert default_name(sport, datetime(2026, 3, 1, hour, 30, tzinfo=UTC)) == name


@pytest.mark.parametrize(
    ("seconds", "text"), [(0, "0:00"), (59.6, "1:00"), (2832, "47:12"), (3723, "1:02:03")]
)
def test_times_read_as_a_clock(seconds: float, text: str) -> None:
    assert clock_text(seconds) == text


def test_the_ratio_is_named_in_the_legend_only_when_drawn_and_as_what_is_drawn() -> None:
    weeks: list[dict[str, object]] = [{"week": "2026-W44", "km": 20.0}, {"week": "2026-W45", "km": 22.0}]  # fmt: skip
    plain = _parse(weekly_load_svg(weeks))
    assert _legend(plain) == ["km per week"] and not _with_class(plain, "sw-ratio-point")
    one = _parse(weekly_load_svg([weeks[0], {**weeks[1], "acwr": 1.1}]))
    assert _legend(one) == ["km per week", "acute:chronic ratio"]
    assert not _with_class(one, "sw-ratio-line")  # a lone ratio is a dot, and so is its key
    assert one.find(f".//{SVG}g[@class='sw-legend']//{SVG}circle") is not None
    both = _parse(weekly_load_svg([{**w, "acwr": 1.0} for w in weeks]))
    assert len(_with_class(both, "sw-ratio-line")) == 1
    assert both.find(f".//{SVG}g[@class='sw-legend']//{SVG}circle") is None


def test_weeks_read_as_the_date_they_start() -> None:
    root = _parse(weekly_load_svg([{"week": "2026-W48", "km": 30.0, "spike": True}]))
    assert [t.text for t in _with_class(root, "sw-axis")][-1] == "23 Nov"
    desc = root.findtext(f"{SVG}desc") or ""
    assert "weeks starting 23 Nov to 23 Nov" in desc and "spike in the week of 23 Nov" in desc
    assert "W48" not in desc


def test_a_pace_chart_puts_faster_higher_and_breaks_where_the_runner_stood() -> None:
    times = [0.0, 60, 120, 180, 240, 300]
    paces: list[float | None] = [300.0, 240.0, None, 360.0, 300.0, 300.0]
    root = _parse(
        series_svg("pace", times, paces, title="Pace", say=lambda s: f"{s:.0f} s",
                   summary="Pace over time.", faster_is_lower=True)
    )  # fmt: skip
    assert root.get("role") == "img"
    lines = _with_class(root, "sw-series-pace")
    assert len(lines) == 2  # the gap splits the line
    first = [tuple(map(float, p.split(","))) for p in (lines[0].get("points") or "").split()]
    assert first[1][1] < first[0][1]  # 4:00 /km drawn above 5:00 /km
    desc = root.findtext(f"{SVG}desc") or ""
    assert (
        desc.startswith("Pace over time.")
        and "averaged over short stretches, runs from 240 s to 360 s" in desc
    )
    assert "Gaps where nothing was recorded." in desc


def test_a_chart_with_too_little_data_says_so_and_a_route_needs_two_positions() -> None:
    empty = _parse(series_svg("hr", [0.0], [150.0], title="Heart rate", say=str, summary="x"))
    assert [t.text for t in empty.iter(f"{SVG}text")] == ["Not recorded"]
    route = _parse(route_svg([(46.0, 14.5)]))
    assert [t.text for t in route.iter(f"{SVG}text")] == ["No positions recorded"]


def test_a_round_route_is_drawn_round_and_says_it_ends_where_it_started() -> None:
    run = synthetic_run(3, NOW, 2000)  # a circle of about 556 m radius
    points = list(zip(run.lat.tolist(), run.lon.tolist(), strict=True))
    root = _parse(route_svg(points))
    [line] = _with_class(root, "sw-route")
    xy = [tuple(map(float, p.split(","))) for p in (line.get("points") or "").split()]
    width = max(x for x, _ in xy) - min(x for x, _ in xy)
    height = max(y for _, y in xy) - min(y for _, y in xy)
    assert width / height == pytest.approx(1.0, rel=0.02)
    assert "1.1 km east to west" in (root.findtext(f"{SVG}desc") or "")


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Stridewell]:
    sw = Stridewell(f"sqlite:///{tmp_path / 't.db'}", clock=lambda: NOW)
    sw.upgrade_database()
    yield sw
    sw.close()


def test_a_spike_reads_your_run_to_the_runner_and_their_run_to_a_coach(
    service: Stridewell, tmp_path: Path
) -> None:
    folder = tmp_path / "runs"
    folder.mkdir()
    for i in range(14):
        start = NOW - timedelta(days=31 - 2 * i, hours=10)
        (folder / f"easy-{i:02d}.fit").write_bytes(write_fit(synthetic_run(i, start, 2400)))
    long_run = synthetic_run(99, NOW - timedelta(days=3, hours=10), 3600)
    (folder / "long.fit").write_bytes(write_fit(long_run))
    training = service.local().training
    training.import_paths([folder])

    def spikes(reader: str) -> list[str]:
        load = training.load(weeks=4, reader="coach" if reader == "coach" else "runner")
        return [n["text"] for n in load["notes"] if n["kind"] == "single_run_spike"]

    [mine] = spikes("runner")
    [theirs] = spikes("coach")
    assert mine.startswith("Your run on") and "Keep your next long runs" in mine
    assert theirs.startswith("Their run on") and "than their longest run" in theirs
    assert " your " not in f" {theirs.lower()} " and " you " not in f" {theirs.lower()} "
    # What a coach's dashboard and runner page read.
    [flagged] = runner_flags(service.local())["spikes"]
    assert flagged["text"] == theirs
