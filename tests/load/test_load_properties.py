"""Properties of the load metrics on random histories (Hypothesis), checked against plain
Python loops that follow the definitions word for word."""

from __future__ import annotations

import math
from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stridewell.load import RunLog, daily_series, load_metrics, load_metrics_many, run_spikes
from stridewell.load.kernels import ewma

ORIGIN = date(2025, 1, 6)
KM = st.sampled_from([0.0, 1.0, 3.5, 5.0, 8.0, 10.0, 12.5, 21.1, 42.2])
ACTIVITY = st.tuples(
    st.integers(0, 120), KM, st.booleans() | st.just(True), st.booleans()
)  # (day offset, km, is_run, treadmill)
HISTORY = st.lists(ACTIVITY, min_size=0, max_size=40)
PERIOD = st.tuples(st.integers(-10, 130), st.integers(0, 60))


def _log(rows: list[tuple[int, float, bool, bool]], runner: int = 0) -> RunLog:
    return RunLog.from_arrays(
        [ORIGIN + timedelta(days=r[0]) for r in rows],
        [r[1] for r in rows],
        [r[1] * 330.0 for r in rows],
        is_run=[r[2] for r in rows],
        treadmill=[r[3] for r in rows],
        runner=[runner] * len(rows),
    )


def _period(period: tuple[int, int]) -> tuple[date, date]:
    start = ORIGIN + timedelta(days=period[0])
    return start, start + timedelta(days=period[1])


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and bool(np.allclose(a, b, equal_nan=True, rtol=1e-9, atol=1e-9))


@given(HISTORY, PERIOD)
@settings(max_examples=150, deadline=None)
def test_series_length_equals_the_day_span(rows, period) -> None:
    start, end = _period(period)
    series = daily_series(_log(rows), start, end)
    assert series.n_days == (end - start).days + 1
    assert series.days[0] == np.datetime64(start) and series.days[-1] == np.datetime64(end)
    # Running km per day is the sum of the runs of that day, other sports excluded.
    for i in range(series.n_days):
        day = (start + timedelta(days=i) - ORIGIN).days
        want = sum(r[1] for r in rows if r[0] == day and r[2])
        assert series.run_km[i] == pytest.approx(want)


@given(HISTORY, PERIOD)
@settings(max_examples=150, deadline=None)
def test_days_are_covered_from_the_first_record_to_the_end_of_the_last_ones_week(
    rows, period
) -> None:
    start, end = _period(period)
    series = daily_series(_log(rows), start, end)
    offsets = [r[0] for r in rows]
    # ORIGIN is a Monday: the last record's week ends on the next offset that is 6 mod 7,
    # and the series' own end cuts it short.
    last = max(offsets, default=0)
    until = max(last, min(last + 6 - last % 7, (end - ORIGIN).days))
    for i in range(series.n_days):
        day = (start + timedelta(days=i) - ORIGIN).days
        want = bool(offsets) and min(offsets) <= day <= until
        assert bool(series.covered[i]) == want


@given(HISTORY, PERIOD)
@settings(max_examples=150, deadline=None)
def test_spikes_match_the_definition_and_need_a_previous_run(rows, period) -> None:
    start, end = _period(period)
    log = _log(rows)
    spikes = run_spikes(log, start, end)
    first, last = (start - ORIGIN).days, (end - ORIGIN).days
    compared = [r for r in rows if r[2] and r[1] > 0 and first <= r[0] <= last]
    assert len(spikes) == len(compared)
    for i in range(len(spikes)):
        row = rows[int(log.order[spikes.row[i]])]
        before = [r[1] for r in rows if r[2] and r[1] > 0 and row[0] - 30 <= r[0] < row[0]]
        if not before:
            assert spikes.pct_at(i) is None and spikes.band_name(i) is None
        else:
            assert spikes.pct_at(i) == pytest.approx((row[1] / max(before) - 1) * 100, abs=1e-5)


def _reference_ratio(loads: list[float], covered: list[bool], t: int) -> float:
    if t < 27 or not all(covered[t - 27 : t + 1]):
        return math.nan
    acute = sum(loads[t - 6 : t + 1])
    chronic = sum(loads[t - 27 : t - 6]) / 3
    return acute / chronic if chronic > 0 else math.nan


@given(HISTORY)
@settings(max_examples=100, deadline=None)
def test_rolling_ratio_matches_a_loop_and_never_covers_unrecorded_days(rows) -> None:
    start, end = ORIGIN, ORIGIN + timedelta(days=120)
    m = load_metrics(_log(rows), start, end)
    loads = m.daily.run_km.tolist()
    covered = m.daily.covered.tolist()
    for t in range(len(loads)):
        want = _reference_ratio(loads, covered, t)
        got = float(m.acwr_rolling[t])
        assert (math.isnan(got) and math.isnan(want)) or got == pytest.approx(want)
        if not all(covered[max(t - 27, 0) : t + 1]) or t < 27:
            assert math.isnan(float(m.acwr_ewma[t]))


@given(st.floats(0.5, 50.0), st.integers(28, 200), st.integers(0, 30))
@settings(max_examples=60, deadline=None)
def test_constant_load_gives_a_ratio_of_one(km, days, lead) -> None:
    first = ORIGIN + timedelta(days=lead)
    log = RunLog.from_arrays(
        [first + timedelta(days=i) for i in range(days)], [km] * days, [0.0] * days
    )
    m = load_metrics(log, ORIGIN, first + timedelta(days=days - 1))
    valid = ~np.isnan(m.acwr_rolling)
    assert valid.sum() == days - 27
    assert m.acwr_rolling[valid] == pytest.approx(1.0)
    assert m.acwr_ewma[valid] == pytest.approx(1.0)
    assert np.isnan(m.monotony).all()  # identical days: no spread, monotony unbounded


@given(st.lists(st.floats(0.0, 60.0), min_size=1, max_size=300), st.sampled_from([7, 28]))
@settings(max_examples=100, deadline=None)
def test_ewma_stays_between_min_and_max_of_the_series(values, n) -> None:
    x = np.array(values)
    y = ewma(x, n)
    # Started from zero, the average is a weighted mean of 0 and the values.
    assert y.min() >= min(0.0, x.min()) - 1e-9
    assert y.max() <= x.max() + 1e-9


@given(HISTORY)
@settings(max_examples=80, deadline=None)
def test_seeded_ewma_stays_within_the_recorded_loads(rows) -> None:
    m = load_metrics(_log(rows), ORIGIN, ORIGIN + timedelta(days=120))
    covered = m.daily.covered
    if not covered.any():
        assert np.isnan(m.ewma_acute).all()
        return
    loads = m.daily.run_km[covered]
    for series in (m.ewma_acute, m.ewma_chronic):
        assert np.isnan(series[~covered]).all()
        assert series[covered].min() >= loads.min() - 1e-9
        assert series[covered].max() <= loads.max() + 1e-9


@given(st.lists(HISTORY, min_size=1, max_size=5), PERIOD)
@settings(max_examples=60, deadline=None)
def test_many_runners_at_once_equal_each_runner_alone(histories, period) -> None:
    start, end = _period(period)
    rows = [(r, row) for r, history in enumerate(histories) for row in history]
    many_log = RunLog.from_arrays(
        [ORIGIN + timedelta(days=x[0]) for _, x in rows],
        [x[1] for _, x in rows],
        [x[1] * 330.0 for _, x in rows],
        is_run=[x[2] for _, x in rows],
        treadmill=[x[3] for _, x in rows],
        runner=[r for r, _ in rows],
        n_runners=len(histories),
    )
    many = load_metrics_many(many_log, start, end)
    for r, history in enumerate(histories):
        alone = load_metrics(_log(history), start, end)
        mine = many.for_runner(r)
        for name in ("acute_load", "chronic_load", "acwr_rolling", "ewma_acute",
                     "ewma_chronic", "acwr_ewma", "monotony", "strain"):  # fmt: skip
            assert _same(getattr(mine, name), getattr(alone, name)), name
        assert _same(mine.daily.run_km, alone.daily.run_km)
        assert (mine.daily.covered == alone.daily.covered).all()
        assert _same(mine.weeks.km, alone.weeks.km)
        assert _same(mine.weeks.change_pct, alone.weeks.change_pct)
        assert _same(mine.spikes.pct, alone.spikes.pct)
        assert (mine.spikes.band == alone.spikes.band).all()


@given(HISTORY, PERIOD)
@settings(max_examples=100, deadline=None)
def test_complete_weeks_sum_their_days(rows, period) -> None:
    start, end = _period(period)
    m = load_metrics(_log(rows), start, end)
    for w, monday in enumerate(m.weeks.monday.tolist()):
        days = [monday + i - (ORIGIN - date(1970, 1, 1)).days for i in range(7)]
        want = sum(r[1] for r in rows if r[2] and r[0] in days)
        if m.weeks.complete[w]:
            assert m.weeks.km[w] == pytest.approx(want)
        else:
            assert math.isnan(m.weeks.change_pct[w])


@given(
    st.integers(1, 150), st.integers(1, 200), st.sampled_from([7, 28]), st.integers(0, 2**32 - 1)
)
@settings(max_examples=40, deadline=None)
def test_ewma_is_the_same_whichever_way_it_is_vectorised(rows, days, n, seed) -> None:
    # Wide arrays step through days for all runners at once; narrow ones use matrix blocks.
    x = np.random.default_rng(seed).random((rows, days)) * 30
    together = ewma(x, n)
    for r in range(rows):
        assert together[r] == pytest.approx(ewma(x[r], n), rel=1e-12, abs=1e-12)


def test_a_crowd_of_runners_equals_each_runner_alone() -> None:
    rng = np.random.default_rng(5)
    runners, per = 80, 60
    runner = np.repeat(np.arange(runners), per)
    day = rng.integers(0, 150, runner.shape[0])
    km = np.round(rng.gamma(3.0, 3.0, runner.shape[0]), 1)
    crowd = RunLog.from_arrays(day + 20_000, km, km * 300, runner=runner)
    start, end = date(2024, 10, 1), date(2025, 1, 1)
    many = load_metrics_many(crowd, start, end)
    for r in (0, 17, 79):
        alone = load_metrics(crowd.for_runner(r), start, end)
        mine = many.for_runner(r)
        assert _same(mine.acwr_ewma, alone.acwr_ewma)
        assert _same(mine.acwr_rolling, alone.acwr_rolling)
        assert _same(mine.monotony, alone.monotony)
        assert _same(mine.spikes.pct, alone.spikes.pct)
