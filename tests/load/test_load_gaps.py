"""Honest gaps: days the runner did not record are never counted as rest in a ratio."""

from __future__ import annotations

import math
from datetime import date, timedelta

import numpy as np
from load_builders import every, log_of

from stridewell.load import RunLog, daily_matrix, daily_series, load_metrics

FIRST = date(2026, 1, 5)


def test_window_before_the_first_record_is_not_covered() -> None:
    log = log_of({FIRST + timedelta(days=10): 5.0, FIRST + timedelta(days=20): 5.0})
    series = daily_series(log, FIRST, FIRST + timedelta(days=30))
    assert not series.covered[:10].any()
    assert series.covered[10:21].all()  # rest days between two runs are real zeros
    assert not series.covered[21:].any()  # after the last record: unknown


def test_recorded_through_extends_coverage_to_that_day() -> None:
    log = log_of({FIRST: 5.0})  # a Monday: its week is covered to Sunday, day 6
    series = daily_series(
        log, FIRST, FIRST + timedelta(days=13), recorded_through=FIRST + timedelta(days=9)
    )
    assert series.covered.tolist() == [True] * 10 + [False] * 4


def test_the_last_records_week_is_covered_to_its_sunday_and_no_further() -> None:
    # Runs on Monday and Saturday of the second week: Sunday was rest, the weeks after unknown.
    log = log_of({FIRST: 10.0, FIRST + timedelta(days=7): 10.0, FIRST + timedelta(days=12): 4.0})
    series = daily_series(log, FIRST, FIRST + timedelta(days=20))
    assert series.covered.tolist() == [True] * 14 + [False] * 7
    m = load_metrics(log, FIRST, FIRST + timedelta(days=20))
    assert m.weeks.complete.tolist() == [True, True, False]
    assert m.weeks.change_pct[1] == 40.0  # 14 km after 10 km: the latest week has its change
    # The current week up to today: covered to today, not yet to Sunday.
    midweek = daily_series(log, FIRST, FIRST + timedelta(days=12))
    assert midweek.covered.all()
    assert math.isnan(load_metrics(log, FIRST, FIRST + timedelta(days=12)).weeks.change_pct[1])


def test_other_sports_count_as_recorded_days_but_not_as_running_load() -> None:
    log = RunLog.from_arrays(
        [FIRST, FIRST + timedelta(days=3)], [30.0, 5.0], [3600.0, 1500.0], is_run=[False, True]
    )
    series = daily_series(log, FIRST, FIRST + timedelta(days=3))
    assert series.covered.all()
    assert series.run_km.tolist() == [0.0, 0.0, 0.0, 5.0]
    assert series.other_km[0] == 30.0 and series.other_s[0] == 3600.0


def test_no_ratio_until_28_recorded_days_end_on_the_day() -> None:
    runs = {day: 6.0 for day in every(FIRST, 60, 2)}
    m = load_metrics(log_of(runs), FIRST - timedelta(days=20), FIRST + timedelta(days=58))
    first_valid = int(np.flatnonzero(~np.isnan(m.acwr_rolling))[0])
    assert m.daily.date_at(first_valid) == FIRST + timedelta(days=27)
    assert np.isnan(m.acwr_ewma[:first_valid]).all()
    assert not math.isnan(m.acwr_ewma[first_valid])


def test_ratio_stops_after_the_last_record_unless_the_caller_vouches_for_the_days() -> None:
    runs = {day: 6.0 for day in every(FIRST, 40, 2)}  # last run on day 38, a Thursday
    end = FIRST + timedelta(days=45)
    plain = load_metrics(log_of(runs), FIRST, end)
    assert not np.isnan(plain.acwr_rolling[39:42]).any()  # the rest of that week: rest
    assert np.isnan(plain.acwr_rolling[42:]).all()  # the weeks after it: unknown
    vouched = load_metrics(log_of(runs), FIRST, end, recorded_through=end)
    assert not np.isnan(vouched.acwr_rolling[39:]).any()
    assert vouched.acwr_rolling[-1] < vouched.acwr_rolling[38]  # rest days lower the ratio


def test_a_week_cut_by_the_period_end_has_no_change() -> None:
    runs = {day: 5.0 for day in every(FIRST, 30)}  # every day from a Monday for 30 days
    m = load_metrics(log_of(runs), FIRST, FIRST + timedelta(days=29))
    assert m.weeks.complete.tolist() == [True, True, True, True, False]
    assert m.weeks.km.tolist() == [35.0, 35.0, 35.0, 35.0, 10.0]
    assert math.isnan(m.weeks.change_pct[-1])


def test_many_runners_have_their_own_coverage() -> None:
    log = RunLog.from_arrays(
        [FIRST, FIRST + timedelta(days=4), FIRST + timedelta(days=2)],
        [5.0, 5.0, 5.0],
        [0.0] * 3,
        runner=[0, 0, 2],
        n_runners=3,
    )
    series = daily_matrix(log, FIRST, FIRST + timedelta(days=4))
    assert series.covered.tolist() == [
        [True] * 5,
        [False] * 5,  # a runner with no record at all
        [False, False, True, True, True],  # covered to the end of the period, in its week
    ]
