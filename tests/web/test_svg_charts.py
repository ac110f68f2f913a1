"""Inline SVG charts: well-formed, described in words, and drawing what the data says."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import date, timedelta

import pytest

from stridewell.export.charts import PainPoint, PhaseSpan
from stridewell.web.svg_charts import pain_chart_svg, shoe_bars_svg, weekly_load_svg

NS = "{http://www.w3.org/2000/svg}"
START = date(2025, 11, 3)


def day(offset: int) -> date:
    return START + timedelta(days=offset)


def pains(*scores: tuple[int, int]) -> list[PainPoint]:
    return [PainPoint(day(offset), worst) for offset, worst in scores]


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{NS}svg"
    return root


def with_class(root: ET.Element, cls: str) -> list[ET.Element]:
    return [el for el in root.iter() if cls in el.get("class", "").split()]


def desc_of(root: ET.Element) -> str:
    return root.findtext(f"{NS}desc") or ""


def shoe(distance: float, **extra: object) -> dict[str, object]:
    return {"name": "Pegasus", "distance": distance, "check_at": 500.0, "replace_at": 800.0} | extra


WEEKS: list[dict[str, object]] = [
    {"week": "2026-W44", "km": 20.0, "acwr": None},
    {"week": "2026-W45", "km": 24.5, "acwr": 1.1, "spike": True},
    {"week": "2026-W46", "km": 31.0, "acwr": 1.35, "spike": False},
    {"week": "2026-W47", "km": 12.0, "acwr": 0.6},
]


def test_pain_chart_is_an_image_labelled_by_its_title_and_desc() -> None:
    root = parse(pain_chart_svg(pains((0, 6), (1, 5), (2, 4)), title="Pain & <running>"))
    assert root.get("role") == "img"
    assert root.get("viewBox", "").startswith("0 0 ") and root.get("width") == "100%"
    title, desc = root.find(f"{NS}title"), root.find(f"{NS}desc")
    assert title is not None and desc is not None
    assert root.get("aria-labelledby", "").split() == [title.get("id"), desc.get("id")]
    assert title.text == "Pain & <running>"
    assert "Worst pain per day from 3 Nov to 5 Nov: 6, 5, 4." in (desc.text or "")


def test_pain_desc_says_missing_days_and_the_highest_score() -> None:
    text = desc_of(parse(pain_chart_svg(pains((0, 2), (4, 7), (5, 3)))))
    assert "2, no entry for 3 days, 7, 3" in text
    assert "Highest 7 on 7 Nov; latest 3 on 8 Nov." in text


def test_one_pain_dot_per_logged_day_carrying_its_day_and_score() -> None:
    root = parse(pain_chart_svg(pains((0, 6), (1, 5), (2, 4), (6, 3))))
    dots = with_class(root, "sw-pain-point")
    assert [d.get("data-pain") for d in dots] == ["6", "5", "4", "3"]
    assert [d.get("data-day") for d in dots] == [
        "2025-11-03",
        "2025-11-04",
        "2025-11-05",
        "2025-11-09",
    ]


def test_two_scores_on_one_day_give_one_dot_with_the_worst() -> None:
    dots = with_class(parse(pain_chart_svg(pains((0, 7), (0, 2), (1, 4)))), "sw-pain-point")
    assert [(d.get("data-day"), d.get("data-pain")) for d in dots] == [
        ("2025-11-03", "7"),
        ("2025-11-04", "4"),
    ]


def test_higher_pain_is_drawn_higher_up() -> None:
    dots = with_class(parse(pain_chart_svg(pains((0, 1), (1, 9)))), "sw-pain-point")
    assert float(dots[1].get("cy", "0")) < float(dots[0].get("cy", "0"))


@pytest.mark.parametrize(
    ("offsets", "line_lengths"),
    [
        ([0, 1, 2, 3], [4]),
        ([0, 1, 2, 7, 8, 9], [3, 3]),  # several days without an entry split the line
        ([0, 1, 3, 4, 5], [2, 3]),
        ([0, 5, 10], []),  # lone dots, no line at all
    ],
)
def test_pain_line_joins_consecutive_days_only(offsets: list[int], line_lengths: list[int]) -> None:
    root = parse(pain_chart_svg(pains(*((o, 5) for o in offsets))))
    lines = with_class(root, "sw-pain-line")
    assert [len(line.get("points", "").split()) for line in lines] == line_lengths
    assert len(with_class(root, "sw-pain-point")) == len(offsets)


def test_each_phase_span_is_one_band_and_each_phase_is_named_once_in_the_legend() -> None:
    phases = [
        PhaseSpan("protect", day(0), day(2)),
        PhaseSpan("test_jog", day(3), day(5)),
        PhaseSpan("protect", day(6), day(7)),
    ]
    root = parse(pain_chart_svg(pains((0, 5), (7, 2)), phases))
    bands = with_class(root, "sw-phase")
    assert [b.get("data-phase") for b in bands] == ["protect", "test_jog", "protect"]
    legend = [t.text for g in with_class(root, "sw-legend") for t in g.iter(f"{NS}text")]
    # The phases in the words /today uses, never their ids.
    assert legend.count("First days") == 1 and legend.count("Pain-free test") == 1
    assert "protect" not in legend and "test jog" not in legend
    assert (
        "Plan phases: First days 3 Nov to 5 Nov, Pain-free test 6 Nov to 8 Nov, "
        "First days 9 Nov to 10 Nov." in desc_of(root)
    )


def test_x_range_covers_phases_and_runs_outside_the_pain_scores() -> None:
    phases = [PhaseSpan("rest", day(-3), day(1))]
    root = parse(pain_chart_svg(pains((0, 5), (1, 4)), phases, [(day(6), 4.0)]))
    assert "Chart from 31 Oct to 9 Nov." in desc_of(root)
    band = with_class(root, "sw-phase")[0]
    first_dot = with_class(root, "sw-pain-point")[0]
    assert float(band.get("x", "0")) < float(first_dot.get("cx", "0"))


def test_daily_km_adds_bars_a_km_axis_and_a_running_summary() -> None:
    without = parse(pain_chart_svg(pains((0, 3), (1, 2))))
    assert not with_class(without, "sw-km-bars")
    root = parse(
        pain_chart_svg(
            pains((0, 3), (1, 2)), daily_km=[(day(0), 3.0), (day(1), 0.0), (day(2), 5.5)]
        )
    )
    (bars,) = with_class(root, "sw-km-bars")
    assert bars.get("d", "").count("M") == 2  # no bar for a day without running
    assert any((t.text or "").endswith(" km") for t in root.iter(f"{NS}text"))
    assert "Running: 8.5 km on 2 days, longest 5.5 km on 5 Nov." in desc_of(root)


def test_km_alone_still_draws_a_chart() -> None:
    root = parse(pain_chart_svg([], daily_km=[(day(0), 4.0)]))
    assert "No pain scores logged." in desc_of(root)
    assert with_class(root, "sw-km-bars") and not with_class(root, "sw-pain-point")


def test_ninety_day_chart_with_everything_stays_under_20_kb() -> None:
    points = [PainPoint(day(i), (i * 7) % 11) for i in range(90)]
    phases = [
        PhaseSpan(p, day(a), day(b))
        for p, a, b in [
            ("rest", 0, 6),
            ("mobility", 7, 20),
            ("test_jog", 21, 40),
            ("return", 41, 89),
        ]
    ]
    km = [(day(i), 3.0 + (i % 5)) for i in range(21, 90)]
    svg = pain_chart_svg(points, phases, km)
    assert len(svg.encode()) < 20_000
    assert len(with_class(parse(svg), "sw-pain-point")) == 90


def test_weekly_chart_has_one_bar_per_week_with_its_distance() -> None:
    root = parse(weekly_load_svg(WEEKS))
    bars = with_class(root, "sw-bar")
    assert [(b.get("data-week"), b.get("data-km")) for b in bars] == [
        ("2026-W44", "20"),
        ("2026-W45", "24.5"),
        ("2026-W46", "31"),
        ("2026-W47", "12"),
    ]
    assert float(bars[2].get("height", "0")) > float(bars[0].get("height", "0"))
    assert "20 km, 24.5 km, 31 km, 12 km" in desc_of(root)


def test_spike_marker_appears_only_over_spike_weeks() -> None:
    root = parse(weekly_load_svg(WEEKS))
    marks = with_class(root, "sw-spike")
    assert [m.get("data-week") for m in marks] == ["2026-W45"]
    assert marks[0].findtext(f"{NS}title") == "Single-run spike"
    assert any(t.text == "!" for t in marks[0].iter(f"{NS}text"))
    assert "Single-run spike in the week of 2 Nov." in desc_of(root)
    calm = parse(weekly_load_svg([w | {"spike": False} for w in WEEKS]))
    assert not with_class(calm, "sw-spike") and "spike" not in desc_of(calm)


def test_ratio_points_skip_weeks_without_a_ratio_and_the_scale_grows_past_two() -> None:
    root = parse(weekly_load_svg(WEEKS))
    assert [p.get("data-acwr") for p in with_class(root, "sw-ratio-point")] == [
        "1.10",
        "1.35",
        "0.60",
    ]
    assert "not enough data, 1.10, 1.35, 0.60" in desc_of(root)
    texts = {t.text for t in root.iter(f"{NS}text")}
    assert "2.0" in texts and "3.0" not in texts
    tall = parse(weekly_load_svg([{"week": "2026-W50", "km": 40.0, "acwr": 2.7}]))
    assert "3.0" in {t.text for t in tall.iter(f"{NS}text")}


@pytest.mark.parametrize(
    ("distance", "status", "label"),
    [
        (499.9, "ok", "499.9 km"),
        (500.0, "check", "500 km · check"),
        (799.9, "check", "799.9 km · check"),
        (800.0, "replace", "800 km · replace"),
        (950.0, "replace", "950 km · replace"),
    ],
)
def test_shoe_bar_colour_and_label_change_at_the_thresholds(
    distance: float, status: str, label: str
) -> None:
    root = parse(shoe_bars_svg([shoe(distance)]))
    (bar,) = with_class(root, "sw-bar")
    assert bar.get("data-status") == status and f"sw-bar-{status}" in (bar.get("class") or "")
    (text,) = with_class(root, "sw-status")
    assert text.text == label


def test_ok_check_replace_and_retired_bars_have_different_colours() -> None:
    root = parse(shoe_bars_svg([shoe(100.0), shoe(600.0), shoe(900.0), shoe(900.0, retired=True)]))
    bars = with_class(root, "sw-bar")
    assert [b.get("data-status") for b in bars] == ["ok", "check", "replace", "retired"]
    assert len({b.get("fill") for b in bars}) == 4


def test_shoe_ticks_mark_check_and_replace_in_order() -> None:
    root = parse(shoe_bars_svg([shoe(300.0)], unit="mi"))
    (check,) = with_class(root, "sw-tick-check")
    (replace,) = with_class(root, "sw-tick-replace")
    assert check.findtext(f"{NS}title") == "check at 500 mi"
    assert float(check.get("d", "M0").split()[0][1:]) < float(replace.get("d", "M0").split()[0][1:])


def test_retired_shoe_says_retired_instead_of_replace() -> None:
    root = parse(shoe_bars_svg([shoe(900.0, retired=True)]))
    assert with_class(root, "sw-bar")[0].get("data-status") == "retired"
    assert "retired" in (with_class(root, "sw-status")[0].text or "")


def test_shoe_name_with_markup_is_escaped() -> None:
    svg = shoe_bars_svg([shoe(100.0, name='<b>Trail & "Road"</b>')])
    assert "<b>" not in svg and "&lt;b&gt;Trail &amp;" in svg
    root = parse(svg)
    assert with_class(root, "sw-label")[0].text == '<b>Trail & "Road"</b>'
    assert '<b>Trail & "Road"</b>: 100 km' in desc_of(root)


def test_week_label_with_markup_is_escaped() -> None:
    root = parse(weekly_load_svg([{"week": "<W1>&", "km": 5.0, "acwr": None}]))
    assert with_class(root, "sw-bar")[0].get("data-week") == "<W1>&"


@pytest.mark.parametrize(
    ("draw", "message"),
    [
        (lambda: pain_chart_svg([]), "Nothing logged yet"),
        (lambda: pain_chart_svg([], [PhaseSpan("rest", day(0), day(3))]), "Nothing logged yet"),
        (lambda: weekly_load_svg([]), "No runs recorded yet"),
        (lambda: shoe_bars_svg([]), "No shoes yet"),
    ],
)
def test_empty_input_gives_a_small_placeholder(draw: Callable[[], str], message: str) -> None:
    root = parse(draw())
    assert [t.text for t in root.iter(f"{NS}text")] == [message]
    assert message in desc_of(root) and root.get("role") == "img"


def test_charts_need_no_script_or_other_host_and_ids_differ_between_charts() -> None:
    charts = [pain_chart_svg(pains((0, 4))), weekly_load_svg(WEEKS), shoe_bars_svg([shoe(10.0)])]
    for svg in charts:
        assert "<script" not in svg and "href" not in svg and "@import" not in svg
        assert svg.count("http") == 1  # the namespace only
    ids = [el.get("id") for svg in charts for el in parse(svg).iter() if el.get("id")]
    assert len(ids) == len(set(ids)) == 6
