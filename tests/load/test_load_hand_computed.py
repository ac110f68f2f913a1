"""Load metrics against values worked out by hand on four known weeks of running.

The block (ISO weeks 2026-W06 to W09, Monday 2 February to Sunday 1 March):

    W06: Mon 5, Wed 8, Sat 10   = 23 km
    W07: Mon 5, Wed 8, Sat 12   = 25 km
    W08: Mon 6, Wed 8, Sat 12   = 26 km
    W09: Mon 6, Wed 10, Sun 18  = 34 km

The runner's record starts on 2 February and ends on 1 March: exactly 28 recorded days.
"""

from __future__ import annotations

import math
import statistics
from datetime import date, timedelta

import numpy as np
import pytest
from load_builders import log_of

from stridewell.load import LoadMetrics, RunLog, load_metrics, run_spikes, spike_band
from stridewell.load.kernels import ewma

MON = date(2026, 2, 2)


def d(offset: int) -> date:
    return MON + timedelta(days=offset)


BLOCK = {
    d(0): 5.0, d(2): 8.0, d(5): 10.0,
    d(7): 5.0, d(9): 8.0, d(12): 12.0,
    d(14): 6.0, d(16): 8.0, d(19): 12.0,
    d(21): 6.0, d(23): 10.0, d(27): 18.0,
}  # fmt: skip
LAST = d(27)  # Sunday 1 March


@pytest.fixture(scope="module")
def metrics() -> LoadMetrics:
    return load_metrics(log_of(BLOCK), MON, LAST)


def test_weekly_totals_are_the_iso_week_sums(metrics: LoadMetrics) -> None:
    assert metrics.weeks.labels == ["2026-W06", "2026-W07", "2026-W08", "2026-W09"]
    assert metrics.weeks.km.tolist() == [23.0, 25.0, 26.0, 34.0]
    assert metrics.weeks.seconds.tolist() == [23 * 300.0, 25 * 300.0, 26 * 300.0, 34 * 300.0]
    assert metrics.weeks.complete.all()


def test_week_over_week_change_needs_a_recorded_week_before(metrics: LoadMetrics) -> None:
    change = metrics.weeks.change_pct
    assert math.isnan(change[0])  # the week before W06 was not recorded
    assert change[1] == pytest.approx((25 / 23 - 1) * 100)
    assert change[2] == pytest.approx((26 / 25 - 1) * 100)
    assert change[3] == pytest.approx((34 / 26 - 1) * 100)


def test_rolling_ratio_only_on_the_day_28_recorded_days_end(metrics: LoadMetrics) -> None:
    ratio = metrics.acwr_rolling
    assert np.isnan(ratio[:-1]).all()
    # Uncoupled: the last 7 days (34 km) against the weekly mean of the 21 days before.
    assert ratio[-1] == pytest.approx(34 / ((23 + 25 + 26) / 3))
    assert metrics.acute_load[-1] == pytest.approx(34.0)
    assert metrics.chronic_load[-1] == pytest.approx(74 / 3)


def test_coupled_ratio_includes_the_acute_week_in_its_baseline() -> None:
    coupled = load_metrics(log_of(BLOCK), MON, LAST, coupled=True)
    assert coupled.acwr_rolling[-1] == pytest.approx(34 / ((23 + 25 + 26 + 34) / 4))


def test_ewma_ratio_matches_the_recursion_by_hand(metrics: LoadMetrics) -> None:
    loads = [BLOCK.get(d(i), 0.0) for i in range(28)]
    seed = sum(loads) / 28  # mean daily load of the first 28 recorded days
    acute = chronic = seed
    for x in loads:
        acute = 0.25 * x + 0.75 * acute
        chronic = (2 / 29) * x + (1 - 2 / 29) * chronic
    assert metrics.ewma_acute[-1] == pytest.approx(acute)
    assert metrics.ewma_chronic[-1] == pytest.approx(chronic)
    assert metrics.acwr_ewma[-1] == pytest.approx(acute / chronic)
    assert np.isnan(metrics.acwr_ewma[:-1]).all()


def test_monotony_and_strain_of_the_last_week(metrics: LoadMetrics) -> None:
    week = [6.0, 0.0, 10.0, 0.0, 0.0, 0.0, 18.0]
    monotony = statistics.fmean(week) / statistics.pstdev(week)
    assert metrics.monotony[-1] == pytest.approx(monotony)
    assert metrics.strain[-1] == pytest.approx(34.0 * monotony)
    assert metrics.monotony[6] == pytest.approx(
        statistics.fmean([5, 0, 8, 0, 0, 10, 0]) / statistics.pstdev([5, 0, 8, 0, 0, 10, 0])
    )
    assert np.isnan(metrics.monotony[:6]).all()  # fewer than 7 recorded days


def test_spikes_and_bands_of_each_run() -> None:
    spikes = run_spikes(log_of(BLOCK), MON, LAST)
    pct = [spikes.pct_at(i) for i in range(len(spikes))]
    bands = [spikes.band_name(i) for i in range(len(spikes))]
    expected = [
        (None, None),  # first run: nothing in the 30 days before
        (60.0, "moderate"),  # 8 vs 5
        (25.0, "small"),  # 10 vs 8
        (-50.0, "up_to_10"),  # 5 vs 10
        (-20.0, "up_to_10"),
        (20.0, "small"),  # 12 vs 10
        (-50.0, "up_to_10"),
        (-100 / 3, "up_to_10"),
        (0.0, "up_to_10"),  # 12 vs 12
        (-50.0, "up_to_10"),
        (-100 / 6, "up_to_10"),
        (50.0, "moderate"),  # 18 vs 12
    ]
    assert bands == [b for _, b in expected]
    for got, (want, _) in zip(pct, expected, strict=True):
        assert got == (None if want is None else pytest.approx(want, abs=1e-6))
    assert spikes.previous_longest_km[-1] == 12.0


@pytest.mark.parametrize(
    ("km", "band"),
    [(10.5, "up_to_10"), (11.0, "up_to_10"), (11.01, "small"), (13.0, "small"),
     (13.01, "moderate"), (20.0, "moderate"), (20.01, "large"), (3.0, "up_to_10")],
)  # fmt: skip
def test_band_edges_follow_the_2025_study(km: float, band: str) -> None:
    log = log_of({d(0): 10.0, d(10): km})
    spikes = run_spikes(log, d(10), d(10))
    assert spikes.band_name(0) == band


def test_thirty_day_window_includes_day_minus_30_and_not_minus_31() -> None:
    inside = run_spikes(log_of({d(0): 20.0, d(30): 10.0}), d(30), d(30))
    outside = run_spikes(log_of({d(0): 20.0, d(31): 10.0}), d(31), d(31))
    assert inside.pct_at(0) == pytest.approx(-50.0)
    assert outside.pct_at(0) is None
    assert outside.band_name(0) is None


def test_same_day_runs_are_not_each_others_baseline() -> None:
    double = RunLog.from_arrays([d(0), d(5), d(5)], [10.0, 4.0, 15.0], [0.0, 0.0, 0.0])
    spikes = run_spikes(double, d(5), d(5))
    assert [spikes.pct_at(i) for i in range(2)] == [pytest.approx(-60.0), pytest.approx(50.0)]


def test_spike_band_of_plain_numbers() -> None:
    assert spike_band(None) is None
    assert spike_band(float("nan")) is None
    assert spike_band(-80.0) == "up_to_10"
    assert spike_band(10.000000000000009) == "up_to_10"
    assert spike_band(100.0) == "moderate"
    assert spike_band(100.5) == "large"


def test_ewma_kernel_by_hand_and_across_block_edges() -> None:
    assert ewma(np.array([4.0, 0.0, 0.0]), 7).tolist() == pytest.approx([1.0, 0.75, 0.5625])
    rng = np.random.default_rng(3)
    x = rng.random(200) * 20
    naive = np.empty_like(x)
    y = 0.0
    for i, v in enumerate(x):
        y = (2 / 29) * v + (1 - 2 / 29) * y
        naive[i] = y
    assert ewma(x, 28, block=64) == pytest.approx(naive)


def test_ratio_on_minutes_uses_running_time() -> None:
    minutes = load_metrics(log_of(BLOCK), MON, LAST, load="minutes")
    # Every run in the block takes 5 min/km, so the ratio is the same and the loads x5.
    assert minutes.acute_load[-1] == pytest.approx(34 * 5.0)
    assert minutes.acwr_rolling[-1] == pytest.approx(34 / ((23 + 25 + 26) / 3))


def test_empty_log_has_no_metrics_and_no_spikes() -> None:
    m = load_metrics(RunLog.from_arrays([], [], []), MON, LAST)
    assert m.daily.n_days == 28 and not m.daily.covered.any()
    assert np.isnan(m.acwr_rolling).all() and np.isnan(m.acwr_ewma).all()
    assert len(m.spikes) == 0
    assert not m.weeks.complete.any()
