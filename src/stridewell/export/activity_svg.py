"""Inline SVG for one activity's page: the route drawn from its recorded positions (no map
tiles, nothing fetched), and one measure over time (pace, heart rate, elevation).

Pure functions returning escaped markup, in the style of `svg_charts`: a `<title>` and a
`<desc>` that say the data in words, `role="img"`, explicit colours, `sw-*` classes.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from stridewell.export.svg_charts import BLUE, WIDTH, _grid, _n, _placeholder, _svg, _text

__all__ = ["route_svg", "series_svg"]

GREEN, RED = "#15803d", "#b91c1c"
ROUTE_H = 280.0  # the tallest a route may be drawn; a wide route is drawn lower
PAD = 12.0
SERIES_H = 110.0
EARTH_M_PER_DEG = 111_320.0


def route_svg(points: Sequence[tuple[float, float]], *, title: str = "Route") -> str:
    """The route as a line on a plain background, north up, true to shape (an
    equirectangular projection about the route's mid latitude), start and finish marked."""
    if len(points) < 2:
        return _placeholder("route", title, "No positions recorded")
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    mid = math.radians((min(lats) + max(lats)) / 2)
    xs = [lon * math.cos(mid) for lon in lons]  # degrees of longitude, shrunk to true scale
    span_x = max(max(xs) - min(xs), 1e-6)
    span_y = max(max(lats) - min(lats), 1e-6)
    scale = min((WIDTH - 2 * PAD) / span_x, (ROUTE_H - 2 * PAD) / span_y)
    height = span_y * scale + 2 * PAD
    left = (WIDTH - span_x * scale) / 2

    def at(i: int) -> tuple[float, float]:
        return left + (xs[i] - min(xs)) * scale, PAD + (max(lats) - lats[i]) * scale

    coords = " ".join(f"{_n(x)},{_n(y)}" for x, y in map(at, range(len(points))))
    (sx, sy), (fx, fy) = at(0), at(len(points) - 1)
    body = [
        f'<rect class="sw-route-bg" width="{WIDTH}" height="{_n(height)}" fill="#f4f2ee"/>',
        f'<polyline class="sw-route" fill="none" stroke="{BLUE}" stroke-width="3" '
        f'stroke-linejoin="round" stroke-linecap="round" points="{coords}"/>',
        f'<circle class="sw-route-start" cx="{_n(sx)}" cy="{_n(sy)}" r="5" fill="{GREEN}" '
        f'stroke="#fff" stroke-width="1.5"><title>Start</title></circle>',
        f'<circle class="sw-route-finish" cx="{_n(fx)}" cy="{_n(fy)}" r="5" fill="{RED}" '
        f'stroke="#fff" stroke-width="1.5"><title>Finish</title></circle>',
    ]
    east_km = span_x * EARTH_M_PER_DEG / 1000
    north_km = span_y * EARTH_M_PER_DEG / 1000
    ends_km = math.hypot((xs[-1] - xs[0]), (lats[-1] - lats[0])) * EARTH_M_PER_DEG / 1000
    loop = (
        "it ends where it started" if ends_km < 0.2 else f"it ends {ends_km:.1f} km from its start"
    )
    desc = (
        f"Route drawn from {len(points)} recorded positions, north up: it spans "
        f"{east_km:.1f} km east to west and {north_km:.1f} km north to south, and {loop}. "
        "The start is marked green, the finish red."
    )
    return _svg("route", height, title, desc, body)


def series_svg(
    kind: str,
    time_s: Sequence[float],
    values: Sequence[float | None],
    *,
    title: str,
    say: Callable[[float], str],
    summary: str,
    colour: str = BLUE,
    faster_is_lower: bool = False,
    gaps: str = "Gaps where nothing was recorded.",
) -> str:
    """One measure over elapsed time as a line, broken where there is no value. With
    `faster_is_lower` (pace) the scale is turned over, so that faster is higher, as on
    Strava and Garmin Connect. `say` words a value for the axis; `summary` is the text
    the chart's description opens with."""
    known = [v for v in values if v is not None and math.isfinite(v)]
    if len(known) < 2 or len(time_s) != len(values):
        return _placeholder(kind, title, "Not recorded")
    low, high = min(known), max(known)
    if high - low < 1e-6:
        low, high = low - 1, high + 1
    left, right, top = 66.0, WIDTH - 10.0, 10.0
    bottom = top + SERIES_H
    first, last = time_s[0], max(time_s[-1], time_s[0] + 1)

    def x_of(t: float) -> float:
        return left + (right - left) * (t - first) / (last - first)

    def y_of(v: float) -> float:
        share = (v - low) / (high - low)
        return top + SERIES_H * (share if faster_is_lower else 1 - share)

    body = _grid(left, right, [top, (top + bottom) / 2, bottom])
    ends = (low, high) if faster_is_lower else (high, low)
    body += [_text(left - 4, top + 4, say(ends[0]), "end")]
    body += [_text(left - 4, bottom + 4, say(ends[1]), "end")]
    minutes = (last - first) / 60
    step = next(s for s in (1, 2, 5, 10, 15, 30, 60, 120, 240) if minutes / s <= 6)
    ticks = range(0, int(minutes) + 1, step)
    hours = minutes >= 60
    body += [_text(x_of(first + m * 60), bottom + 15, _elapsed(m, hours), "middle") for m in ticks]
    runs: list[list[str]] = [[]]
    for t, v in zip(time_s, values, strict=True):
        if v is None or not math.isfinite(v):
            runs.append([])
        else:
            runs[-1].append(f"{_n(x_of(t))},{_n(y_of(v))}")
    body += [
        f'<polyline class="sw-line sw-series-{kind}" fill="none" stroke="{colour}" '
        f'stroke-width="2" stroke-linejoin="round" points="{" ".join(run)}"/>'
        for run in runs
        if len(run) > 1
    ]
    said_gaps = f" {gaps}" if any(v is None for v in values) else ""
    # The line is averaged over short stretches, so its range is narrower than the highest
    # and lowest single readings the page gives beside it: say so.
    line = f"the line, averaged over short stretches, runs from {say(low)} to {say(high)}"
    desc = f"{summary} Over {_elapsed(minutes, hours)}; {line}.{said_gaps}"
    return _svg(kind, bottom + 22, title, desc, body)


def _elapsed(minutes: float, hours: bool) -> str:
    """'25 min', or '1:30 h' on an axis that runs past an hour."""
    whole = round(minutes)
    if not hours:
        return f"{whole} min"
    return f"{whole // 60}:{whole % 60:02d} h"
