"""Building a RunLog from activities and from plain arrays."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from load_builders import activity

from stridewell.load import RunLog, day_date, day_number

LJUBLJANA = ZoneInfo("Europe/Ljubljana")


def test_day_of_an_activity_is_its_local_date_in_the_given_timezone() -> None:
    late = activity(datetime(2026, 3, 14, 23, 30, tzinfo=UTC), 10.0)
    assert day_date(int(RunLog.from_activities([late], UTC).day[0])) == date(2026, 3, 14)
    # 23:30 UTC is 00:30 the next day in Ljubljana (UTC+1 in March).
    assert day_date(int(RunLog.from_activities([late], LJUBLJANA).day[0])) == date(2026, 3, 15)


def test_naive_start_time_is_refused() -> None:
    naive = activity(datetime(2026, 3, 14, 7, 0), 10.0)
    with pytest.raises(ValueError, match="no timezone"):
        RunLog.from_activities([naive], UTC)


def test_only_running_is_a_run_and_only_indoor_runs_are_treadmill() -> None:
    start = datetime(2026, 3, 1, 8, tzinfo=UTC)
    log = RunLog.from_activities(
        [
            activity(start, 10.0),
            activity(start, 8.0, indoor=True),
            activity(start, 40.0, sport="cycling", indoor=True),
            activity(start, 5.0, sport="walking"),
        ],
        UTC,
    )
    assert log.is_run.tolist() == [True, True, False, False]
    assert log.treadmill.tolist() == [False, True, False, False]
    assert log.distance_km.tolist() == [10.0, 8.0, 40.0, 5.0]


def test_time_is_moving_time_when_the_file_has_it() -> None:
    start = datetime(2026, 3, 1, 8, tzinfo=UTC)
    paused = activity(start, 10.0, minutes=70.0, moving_minutes=55.0)
    no_moving = activity(start, 10.0, minutes=60.0, moving_minutes=0.0)
    log = RunLog.from_activities([paused, no_moving], UTC)
    assert log.duration_s.tolist() == [55 * 60.0, 60 * 60.0]


def test_gear_becomes_the_shoe_of_runs_only() -> None:
    start = datetime(2026, 3, 1, 8, tzinfo=UTC)
    log = RunLog.from_activities(
        [
            activity(start, 10.0, gear="Pegasus"),
            activity(start, 30.0, sport="cycling", gear="Bike"),
        ],
        UTC,
    )
    assert log.shoe_of_row(0) == "Pegasus"
    assert log.shoe_of_row(1) is None
    assert log.shoe_ids == ("Pegasus",)


def test_from_arrays_sorts_by_day_and_remembers_input_order() -> None:
    log = RunLog.from_arrays(
        np.array(["2026-03-03", "2026-03-01", "2026-03-02"], dtype="datetime64[D]"),
        [3.0, 1.0, 2.0],
        [0.0, 0.0, 0.0],
        shoe=["b", None, "a"],
    )
    assert log.distance_km.tolist() == [1.0, 2.0, 3.0]
    assert log.order.tolist() == [1, 2, 0]
    assert [log.shoe_of_row(i) for i in range(3)] == [None, "a", "b"]
    assert log.day[0] == day_number(date(2026, 3, 1))


def test_from_arrays_takes_shoe_codes_and_runner_numbers() -> None:
    log = RunLog.from_arrays(
        [5, 3, 4], [1.0, 2.0, 3.0], [0.0] * 3,
        shoe=np.array([0, -1, 1]), shoe_ids=("x", "y"), runner=[1, 0, 1],
    )  # fmt: skip
    assert log.n_runners == 2
    assert log.runner.tolist() == [0, 1, 1]
    assert log.for_runner(1).distance_km.tolist() == [3.0, 1.0]
    assert log.for_runner(1).shoe_of_row(1) == "x"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"distance_km": [-1.0]}, "distance_km"),
        ({"distance_km": [float("nan")]}, "distance_km"),
        ({"duration_s": [float("inf")]}, "duration_s"),
        ({"distance_km": [1.0, 2.0]}, "expected 1"),
        ({"runner": [-1]}, "start at 0"),
        ({"n_runners": 0}, "n_runners"),
        ({"shoe": np.array([3]), "shoe_ids": ("a",)}, "shoe codes"),
    ],
)
def test_from_arrays_refuses_impossible_values(kwargs: dict[str, object], message: str) -> None:
    args: dict[str, object] = {"day": [1], "distance_km": [1.0], "duration_s": [1.0], **kwargs}
    with pytest.raises(ValueError, match=message):
        RunLog.from_arrays(**args)  # type: ignore[arg-type]


def test_empty_log_is_allowed() -> None:
    log = RunLog.from_activities([], UTC)
    assert log.is_empty and log.n_runners == 1


def test_shoe_of_gets_each_run_and_its_local_day() -> None:
    seen: list[tuple[float, date]] = []

    def pick(act: object, day: date) -> str:
        seen.append((act.distance_m, day))  # type: ignore[attr-defined]
        return "default-of-" + day.isoformat()

    start = datetime(2026, 3, 14, 23, 30, tzinfo=UTC)
    acts = [activity(start, 10.0), activity(start, 20.0, sport="cycling")]
    log = RunLog.from_activities(acts, LJUBLJANA, shoe_of=pick)
    assert seen == [(10_000.0, date(2026, 3, 15))]  # asked for runs only
    assert log.shoe_of_row(0) == "default-of-2026-03-15"
