"""Mapping Strava gear to shoes, and the kilometres on each pair."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from shoes_builders import run

from stridewell.load import RunLog
from stridewell.shoes import Shoe, assign_shoes, match_strava_gear, mileage

PEG = Shoe(id="peg", brand="Nike", model="Pegasus 40", is_default=True, started=date(2026, 1, 1))
CLIF = Shoe(id="clif", brand="Hoka", model="Clifton 9", nickname="Blue Hokas", start_km=120.0)
SHOES = [PEG, CLIF]


@pytest.mark.parametrize(
    ("gear", "expected"),
    [
        ("Nike Pegasus 40", PEG),
        ("nike   PEGASUS 40 ", PEG),
        ("Blue Hokas", CLIF),
        ("blue hokas", CLIF),
        ("Hoka Clifton 9", CLIF),
        ("Blue Hokas (Hoka Clifton 9)", CLIF),
        ("Pegasus 40", None),  # the model alone could be anybody's
        ("Adidas Boston 12", None),
        ("", None),
        (None, None),
    ],
)
def test_strava_gear_names_map_to_tracked_shoes(gear: str | None, expected: Shoe | None) -> None:
    assert match_strava_gear(gear, SHOES) == expected


def test_two_pairs_of_one_model_are_told_apart_by_nickname_or_date() -> None:
    first = Shoe(
        id="p1", brand="Nike", model="Pegasus 40", nickname="Red", retired=date(2026, 2, 1)
    )
    second = Shoe(
        id="p2", brand="Nike", model="Pegasus 40", nickname="Green", started=date(2026, 2, 2)
    )
    pair = [first, second]
    assert match_strava_gear("Green", pair) == second
    assert match_strava_gear("Nike Pegasus 40", pair, on=date(2026, 1, 15)) == first
    assert match_strava_gear("Nike Pegasus 40", pair, on=date(2026, 3, 1)) == second
    assert match_strava_gear("Nike Pegasus 40", pair) == second  # the one not retired
    both_in_use = [first.model_copy(update={"retired": None}), second]
    assert match_strava_gear("Nike Pegasus 40", both_in_use, on=date(2026, 3, 1)) is None


def test_mileage_counts_gear_defaults_and_leaves_unknown_gear_unassigned() -> None:
    activities = [
        run(date(2026, 2, 1), 10.0, "Nike Pegasus 40"),
        run(date(2026, 2, 3), 8.0),  # no gear: the default pair
        run(date(2026, 2, 5), 12.0, "Blue Hokas"),
        run(date(2026, 2, 7), 15.0, "Adidas Boston 12"),  # a pair Stridewell does not track
        run(date(2026, 2, 8), 40.0, "Nike Pegasus 40", sport="cycling"),  # not running
        run(date(2026, 2, 9), 5.0, "clif"),  # gear holding a shoe id
    ]
    result = mileage(SHOES, activities)
    assert result.km == {"peg": 18.0, "clif": 120.0 + 17.0}
    assert result.runs == {"peg": 2, "clif": 2}
    assert result.unassigned_km == 15.0
    assert result.first_run == {"peg": date(2026, 2, 1), "clif": date(2026, 2, 5)}
    assert result.last_run["clif"] == date(2026, 2, 9)


def test_runs_without_gear_before_any_default_stay_unassigned() -> None:
    result = mileage(SHOES, [run(date(2025, 12, 30), 10.0)])  # PEG starts 2026-01-01
    assert result.km["peg"] == 0.0 and result.unassigned_km == 10.0


def test_the_local_day_decides_the_default_shoe() -> None:
    late = replace(
        run(date(2025, 12, 31), 10.0), start_time=datetime(2025, 12, 31, 23, 30, tzinfo=UTC)
    )
    assert mileage(SHOES, [late], UTC).km["peg"] == 0.0  # still 31 December
    assert mileage(SHOES, [late], ZoneInfo("Europe/Ljubljana")).km["peg"] == 10.0  # 1 January


def test_mileage_from_a_run_log_equals_mileage_from_activities() -> None:
    activities = [
        run(date(2026, 2, d), float(d), g) for d, g in [(1, None), (2, "Blue Hokas"), (3, "x")]
    ]
    from_log = mileage(SHOES, RunLog.from_activities(activities, UTC))
    assert from_log.km == mileage(SHOES, activities).km
    assert from_log.log.shoe_ids == ("peg", "clif")


def test_assign_shoes_refuses_duplicate_ids() -> None:
    with pytest.raises(ValueError, match="unique"):
        assign_shoes(RunLog.from_arrays([], [], []), [PEG, PEG])
