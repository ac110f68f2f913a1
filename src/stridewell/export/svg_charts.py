"""Small inline SVG charts for the web pages and the handover PDF: pure functions returning
escaped markup (`|safe`).

No JavaScript, fonts or other hosts; `viewBox` with width 100% (capped by an inline max-width);
a `<title>` and `<desc>` that say the data in words; explicit fill and stroke attributes so it
looks right without a stylesheet, and `sw-*` classes for styling and tests.
"""

from __future__ import annotations

import contextlib
import math
import re
import zlib
from collections.abc import Sequence
from datetime import date
from html import escape
from itertools import groupby, pairwise

from stridewell.export.charts import PHASE_COLOURS, PainPoint, PhaseSpan
from stridewell.knowledge.vocabulary import vocabulary
from stridewell.text import day_words

__all__ = ["pain_chart_svg", "shoe_bars_svg", "weekly_load_svg"]

NS = "http://www.w3.org/2000/svg"
WIDTH = 420  # viewBox width: text stays readable on a phone; a max-width of 640px on a laptop
INK, MUTED, GRID, TRACK = "#1b1f24", "#555f6b", "#dedad2", "#ebe8e2"
BLUE, GREY, AMBER, RED = "#1f5f8b", "#6b7280", "#b45309", "#b91c1c"
BAND_FALLBACK = ("#e8e4f3", "#fde7d4", "#dcefe9", "#f3e8c8", "#e3e9f4")
STATUS = {"ok": (BLUE, ""), "check": (AMBER, "check"), "replace": (RED, "replace")}
STATUS["retired"] = (GREY, "retired")
MAX_JOIN_DAYS = 1  # pain scores further apart than this are not joined by the line
PLOT_H = 150


def _n(value: float) -> str:
    """A coordinate or amount with at most one decimal and no trailing '.0'."""
    text = f"{value:.1f}"
    text = text[:-2] if text.endswith(".0") else text
    return "0" if text == "-0" else text


def _num(value: object) -> float | None:
    """A finite number from an int, float or numeric string; None for anything else."""
    number = math.nan
    with contextlib.suppress(ValueError):
        if isinstance(value, int | float | str) and not isinstance(value, bool):
            number = float(value)
    return number if math.isfinite(number) else None


def _day(day: date, year: bool = False) -> str:
    return day_words(day, year=year)


def _week_day(label: str) -> str:
    """The first day of an ISO week label ('2026-W48' -> '23 Nov'), as runners read a
    week; a label that is no ISO week is shown as it is."""
    try:
        year, week = label.split("-W")
        return _day(date.fromisocalendar(int(year), int(week), 1))
    except ValueError:
        return label


def _phase(phase: str) -> str:
    """A plan phase as the runner reads it on /today ("First days", "Gentle movement")."""
    return vocabulary().phase(phase).label


def _nice_max(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 times a power of ten at or above `value`."""
    if value <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= value - 1e-9)


def _svg(kind: str, height: float, title: str, desc: str, body: Sequence[str]) -> str:
    uid = f"sw-{kind}-{zlib.crc32(''.join((title, desc, *body)).encode()):08x}"
    return (
        f'<svg xmlns="{NS}" viewBox="0 0 {WIDTH} {_n(height)}" width="100%" role="img" '
        f'aria-labelledby="{uid}-t {uid}-d" class="sw-chart sw-chart-{kind}" '
        f'style="max-width:640px;height:auto" font-family="system-ui, sans-serif" '
        f'font-size="12" fill="{INK}"><title id="{uid}-t">{escape(title)}</title>'
        f'<desc id="{uid}-d">{escape(desc)}</desc>{"".join(body)}</svg>'
    )


def _text(x: float, y: float, text: str, anchor: str = "start", extra: str = "") -> str:
    if anchor == "middle":  # keep a centred label inside the view box (~6.7 units a letter)
        x = min(max(x, 2 + 3.4 * len(text)), WIDTH - 2 - 3.4 * len(text))
    return (
        f'<text class="sw-axis" x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}" '
        f'fill="{MUTED}"{extra}>{escape(text)}</text>'
    )


def _placeholder(kind: str, title: str, message: str) -> str:
    text = _text(WIDTH / 2, 34, message, "middle", ' font-size="14"')
    return _svg(kind, 56, title, message + ".", [text.replace("sw-axis", "sw-empty")])


def _legend(items: Sequence[tuple[str, str]]) -> tuple[list[str], float]:
    """Swatches (pre-drawn at 0,0 inside a 12x10 box) with labels, wrapped into rows."""
    out, x, y = ['<g class="sw-legend">'], 8.0, 14.0
    for swatch, label in items:
        width = 17 + 6.7 * len(label) + 12
        if x > 8 and x + width > WIDTH - 8:
            x, y = 8.0, y + 17
        out.append(f'<g transform="translate({_n(x)} {_n(y - 9)})">{swatch}</g>')
        out.append(f'<text x="{_n(x + 17)}" y="{_n(y)}" fill="{INK}">{escape(label)}</text>')
        x += width
    out.append("</g>")
    return out, y + 10


def _polylines(pts: Sequence[tuple[float, float] | None], stroke: str, cls: str) -> list[str]:
    """One polyline per run of two or more points without a `None` between them."""
    runs = [[p for p in run if p] for ok, run in groupby(pts, lambda p: p is not None) if ok]
    return [
        f'<polyline class="sw-line {cls}" fill="none" stroke="{stroke}" stroke-width="2" '
        f'stroke-linejoin="round" points="{" ".join(f"{_n(x)},{_n(y)}" for x, y in run)}"/>'
        for run in runs
        if len(run) > 1
    ]


def _grid(left: float, right: float, ys: Sequence[float]) -> list[str]:
    path = "".join(f"M{_n(left)} {_n(y)}H{_n(right)}" for y in ys)
    return [f'<path class="sw-grid" d="{path}" stroke="{GRID}"/>']


def _words(values: Sequence[str | None]) -> str:
    """Values in order, with a run of missing ones said once ('no entry for 3 days')."""
    out: list[str] = []
    for missing, group in groupby(values, lambda v: v is None):
        run = list(group)
        out += [f"no entry for {len(run)} days" if len(run) > 1 else "no entry"] if missing else []
        out += [v for v in run if v is not None]
    return ", ".join(out)


def pain_chart_svg(
    points: Sequence[PainPoint],
    phases: Sequence[PhaseSpan] = (),
    daily_km: Sequence[tuple[date, float]] = (),
    *,
    title: str = "Pain and running",
) -> str:
    """Worst pain per day (0-10) as a line with a dot per logged day, broken where days are
    missing; the plan's phases as shaded bands; km per day as thin bars on a right axis."""
    worst: dict[date, int] = {}
    for p in points:
        score = min(10, max(0, int(p.worst)))
        worst[p.day] = max(score, worst.get(p.day, score))  # two entries a day: the worst
    km: dict[date, float] = {}
    for day, dist in daily_km:  # several runs on a day add up
        km[day] = km.get(day, 0.0) + max(0.0, _num(dist) or 0.0)
    if not worst and not km:
        return _placeholder("pain", title, "Nothing logged yet")
    spans = [s for s in phases if s.first <= s.last]
    days = [*worst, *km, *(s.first for s in spans), *(s.last for s in spans)]
    first, last = min(days), max(days)
    years = first.year != last.year
    count = (last - first).days + 1
    names = list(dict.fromkeys(s.phase for s in spans))
    fallback = dict(zip(names, BAND_FALLBACK * len(names), strict=False))
    colours = {name: PHASE_COLOURS.get(name, fallback[name]) for name in names}
    items = [(f'<path d="M0 5h12" stroke="{BLUE}" stroke-width="2"/>', "worst pain (0-10)")]
    if km:
        items.append((f'<rect x="4" y="1" width="4" height="9" fill="{GREY}"/>', "km run"))
    items += [(f'<rect width="12" height="10" fill="{colours[n]}"/>', _phase(n)) for n in names]
    body, top = _legend(items)
    left, right = 28.0, WIDTH - (42.0 if km else 16.0)
    bottom = top + PLOT_H
    slot = (right - left) / count

    def x_of(day: date) -> float:
        return left + ((day - first).days + 0.5) * slot

    def y_of(score: float) -> float:
        return bottom - PLOT_H * score / 10

    for span in spans:
        cls = re.sub(r"[^a-z0-9_-]", "", span.phase.lower())
        body.append(
            f'<rect class="sw-phase sw-phase-{cls}" data-phase="{escape(span.phase)}" '
            f'x="{_n(x_of(span.first) - slot / 2)}" y="{_n(top)}" '
            f'width="{_n((span.last - span.first).days * slot + slot)}" height="{PLOT_H}" '
            f'fill="{colours[span.phase]}"/>'
        )
    body += _grid(left, right, [y_of(score) for score in range(0, 11, 2)])
    body += [_text(left - 4, y_of(score) + 4, str(score), "end") for score in (0, 5, 10)]
    step = -(-count // (4 if years else 6))  # at most 6 date labels, 4 when they carry a year
    ticks = [date.fromordinal(first.toordinal() + i) for i in range(0, count, step)]
    body += [_text(x_of(day), bottom + 15, _day(day, years), "middle") for day in ticks]
    if km:
        top_km = _nice_max(max(km.values()))
        body += [_text(right + 4, top + 4, f"{_n(top_km)} km"), _text(right + 4, bottom + 4, "0")]
        # One path with a vertical stroke per day run: far smaller than a rect per day.
        runs = [(x_of(d), PLOT_H * k / top_km) for d, k in sorted(km.items()) if k > 0]
        bars = "".join(f"M{_n(x)} {_n(bottom)}v{_n(-h)}" for x, h in runs) or "M0 0"
        body.append(
            f'<path class="sw-km-bars" d="{bars}" fill="none" stroke="{GREY}" '
            f'stroke-width="{_n(max(1.0, min(4.0, slot * 0.4)))}"/>'
        )
    ordered = sorted(worst.items())
    line: list[tuple[float, float] | None] = []
    for i, (day, score) in enumerate(ordered):
        if i and (day - ordered[i - 1][0]).days > MAX_JOIN_DAYS:
            line.append(None)
        line.append((x_of(day), y_of(score)))
    body += _polylines(line, BLUE, "sw-pain-line")
    radius = _n(max(1.6, min(3.0, slot * 0.4)))
    body += [f'<g class="sw-pain-points" fill="{BLUE}" stroke="#fff" stroke-width="0.8">', *(
        f'<circle class="sw-pain-point" cx="{_n(x_of(day))}" cy="{_n(y_of(score))}" '
        f'r="{radius}" data-day="{day.isoformat()}" data-pain="{score}"/>'
        for day, score in ordered
    ), "</g>"]  # fmt: skip

    desc = [f"Chart from {_day(first, years)} to {_day(last, years)}.", "No pain scores logged."]
    if ordered:
        (start, _), (end, latest) = ordered[0], ordered[-1]
        days_in = (date.fromordinal(o) for o in range(start.toordinal(), end.toordinal() + 1))
        high_day, high = max(ordered, key=lambda item: item[1])
        desc[1] = (
            f"Worst pain per day from {_day(start, years)} to {_day(end, years)}: "
            f"{_words([str(worst[d]) if d in worst else None for d in days_in])}. "
            f"Highest {high} on {_day(high_day, years)}; latest {latest} on {_day(end, years)}."
        )
    if spans:
        said = (f"{_phase(s.phase)} {_day(s.first, years)} to {_day(s.last, years)}" for s in spans)
        desc.append(f"Plan phases: {', '.join(said)}.")
    if ran := [(d, k) for d, k in sorted(km.items()) if k > 0]:
        long_day, longest = max(ran, key=lambda item: item[1])
        desc.append(
            f"Running: {_n(sum(k for _, k in ran))} km on {len(ran)} days, "
            f"longest {_n(longest)} km on {_day(long_day, years)}."
        )
    return _svg("pain", bottom + 22, title, " ".join(desc), body)


def weekly_load_svg(
    weeks: Sequence[dict[str, object]], *, title: str = "Weekly running distance"
) -> str:
    """Bars of km per week, the acute:chronic ratio as a line on a right-hand scale, and a
    warning triangle over weeks with a single-run spike."""
    if not weeks:
        return _placeholder("load", title, "No runs recorded yet")
    rows = [
        (str(w.get("week", "")), max(0.0, _num(w.get("km")) or 0.0), _num(w.get("acwr")),
         bool(w.get("spike", False)))
        for w in weeks
    ]  # fmt: skip
    ratios = [r for _, _, r, _ in rows if r is not None]
    # The legend names only what is drawn: the ratio as a line where two weeks in a row
    # have one, as dots otherwise.
    joined = any(a[2] is not None and b[2] is not None for a, b in pairwise(rows))
    items = [(f'<rect y="1" width="12" height="9" fill="{BLUE}"/>', "km per week")]
    if joined:
        ratio_swatch = f'<path d="M0 5h12" stroke="{AMBER}" stroke-width="2"/>'
        items.append((ratio_swatch, "acute:chronic ratio"))
    elif ratios:
        items.append((f'<circle cx="6" cy="5" r="3" fill="{AMBER}"/>', "acute:chronic ratio"))
    if any(spike for *_, spike in rows):
        items.append((f'<path d="M6 0l6 10H0z" fill="{RED}"/>', "single-run spike"))
    body, top = _legend(items)
    left, right = 34.0, WIDTH - 30.0
    bottom = top + 14 + PLOT_H  # 14: room for a spike marker over the tallest bar
    top_km = _nice_max(max(km for _, km, _, _ in rows))
    top_ratio = max(2.0, math.ceil(max(ratios, default=0) * 2) / 2)
    slot = (right - left) / len(rows)
    ys = [(bottom - PLOT_H * f, f) for f in (0, 0.5, 1)]
    body += _grid(left, right, [y for y, _ in ys])
    body += [_text(left - 4, y + 4, _n(top_km * f), "end") for y, f in ys]
    if ratios:
        body += [_text(right + 4, y + 4, f"{top_ratio * f:.1f}") for y, f in ys]
    step = max(1, math.ceil(len(rows) / ((right - left) // 46)))  # "24 Nov" is ~40 wide
    line: list[tuple[float, float] | None] = []
    dots: list[str] = []
    marks: list[str] = []
    for i, (label, km, ratio, spike) in enumerate(rows):
        cx = left + (i + 0.5) * slot
        h = PLOT_H * km / top_km
        tip = f"Week of {_week_day(label)}: {_n(km)} km"
        tip += f", ratio {ratio:.2f}" if ratio is not None else ""
        body.append(
            f'<rect class="sw-bar" data-week="{escape(label)}" data-km="{_n(km)}" '
            f'x="{_n(cx - slot * 0.3)}" y="{_n(bottom - h)}" width="{_n(slot * 0.6)}" '
            f'height="{_n(h)}" fill="{BLUE}"><title>{escape(tip)}</title></rect>'
        )
        if (len(rows) - 1 - i) % step == 0:  # the latest week always labelled
            body.append(_text(cx, bottom + 15, _week_day(label), "middle"))
        y = bottom - PLOT_H * (ratio or 0) / top_ratio
        line.append(None if ratio is None else (cx, y))
        if ratio is not None:
            dots.append(
                f'<circle class="sw-ratio-point" data-week="{escape(label)}" '
                f'data-acwr="{ratio:.2f}" cx="{_n(cx)}" cy="{_n(y)}" r="3" fill="{AMBER}"/>'
            )
        if spike:
            y = bottom - h - 3
            marks.append(
                f'<g class="sw-spike" data-week="{escape(label)}"><title>Single-run spike</title>'
                f'<path d="M{_n(cx)} {_n(y - 13)}l7 13h-14z" fill="{RED}"/>'
                f'<text x="{_n(cx)}" y="{_n(y - 2)}" text-anchor="middle" font-size="9" '
                f'font-weight="bold" fill="#fff">!</text></g>'
            )
    body += [*_polylines(line, AMBER, "sw-ratio-line"), *dots, *marks]
    kms = ", ".join(f"{_n(km)} km" for _, km, _, _ in rows)
    said = ", ".join(f"{r:.2f}" if r is not None else "not enough data" for _, _, r, _ in rows)
    first, last = _week_day(rows[0][0]), _week_day(rows[-1][0])
    desc = f"Running distance per week, weeks starting {first} to {last}: {kms}. "
    desc += f"Acute:chronic ratio, as information: {said}." if ratios else "No ratio yet."
    if spiked := [_week_day(label) for label, *_, spike in rows if spike]:
        desc += f" Single-run spike in the week of {', '.join(spiked)}."
    return _svg("load", bottom + 22, title, desc, body)


def shoe_bars_svg(shoes: Sequence[dict[str, object]], *, unit: str = "km") -> str:
    """A horizontal bar per shoe with check and replace ticks; the bar turns amber from the
    check distance and red at the replace distance, with the word said next to it."""
    title = "Distance on each pair of shoes"
    if not shoes:
        return _placeholder("shoes", title, "No shoes yet")
    left, right, row_h = 8.0, WIDTH - 8.0, 40.0
    rows = [
        (str(s.get("name", "")), max(0.0, _num(s.get("distance")) or 0.0),
         _num(s.get("check_at")), _num(s.get("replace_at")), bool(s.get("retired", False)))
        for s in shoes
    ]  # fmt: skip
    scale = 1.08 * max([1.0, *(v for r in rows for v in r[1:4] if isinstance(v, float))])
    tick = '<path d="M6 0v10" stroke-width="2" stroke='
    body, top = _legend(
        [(f'{tick}"{AMBER}" stroke-dasharray="3 2"/>', "check distance"),
         (f'{tick}"{RED}"/>', "replace distance")]
    )  # fmt: skip
    desc: list[str] = []
    for i, (name, dist, check, replace, retired) in enumerate(rows):
        y = top + i * row_h
        due = [k for k, at in (("replace", replace), ("check", check)) if at and dist >= at]
        status = "retired" if retired else (due or ["ok"])[0]  # replace outranks check
        colour, word = STATUS[status]
        shown = name if len(name) <= 40 else name[:39] + "…"
        amount = f"{_n(dist)} {unit}" + (f" · {word}" if word else "")
        body.append(
            f'<text class="sw-label" x="{_n(left)}" y="{_n(y + 13)}">{escape(shown)}</text>'
            f'<text class="sw-status sw-status-{status}" x="{_n(right)}" y="{_n(y + 13)}" '
            f'text-anchor="end" fill="{colour}" font-weight="bold">{escape(amount)}</text>'
        )
        body.append(
            f'<rect class="sw-track" x="{_n(left)}" y="{_n(y + 19)}" width="{_n(right - left)}" '
            f'height="10" rx="2" fill="{TRACK}"/><rect class="sw-bar sw-bar-{status}" '
            f'data-status="{status}" data-distance="{_n(dist)}" x="{_n(left)}" y="{_n(y + 19)}" '
            f'width="{_n((right - left) * dist / scale)}" height="10" rx="2" fill="{colour}"/>'
        )
        said = f"{name}: {_n(dist)} {unit}"
        ticks = (("check", check, AMBER, ' stroke-dasharray="3 2"'), ("replace", replace, RED, ""))
        for kind, at, tick_colour, dash in ticks:
            if at is None:
                continue
            x = _n(left + (right - left) * at / scale)
            body.append(
                f'<path class="sw-tick sw-tick-{kind}" d="M{x} {_n(y + 16)}v16" '
                f'stroke="{tick_colour}" stroke-width="2"{dash}>'
                f"<title>{kind} at {_n(at)} {escape(unit)}</title></path>"
            )
            said += f", {kind} at {_n(at)}"
        desc.append(said + (f" ({word})" if word else ""))
    height = top + len(rows) * row_h + 4
    return _svg("shoes", height, title, f"Shoe distance in {unit}: " + "; ".join(desc) + ".", body)
