"""Single-run spikes: each run against the longest run of the previous 30 days.

This is the measure of Frandsen et al. 2025 (`single_session_spike_2025`, 5,205 runners):
a run more than 10 % longer than the longest run of the 30 days before it went with more
overuse injuries (hazard rate ratios 1.64 for >10-30 %, 1.52 for >30-100 %, 2.28 for
>100 %), where the acute:chronic ratio and the week-to-week change did not.

Rules here:
- "The previous 30 days" are the 30 calendar days before the run's day; other runs on the
  same day are not part of its baseline (so a double day is not a spike against itself).
- A run with no run of any length in those 30 days has no comparison (None / NaN), not a
  100 % spike: there is nothing to compare it with. Runs of zero distance (manual entries,
  treadmill runs without a distance) are neither compared nor a baseline.
- Percentages are rounded to 1e-6 before banding, so a run exactly 10 % longer lands in
  the "up to 10 %" band despite binary floating point (11 / 10 - 1 is 0.10000000000000009).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt

from stridewell.load import kernels as k
from stridewell.load.runlog import F64, I64, RunLog, day_number
from stridewell.load.series import DailySeries, _daily

SPIKE_WINDOW_DAYS = 30
BANDS = ("up_to_10", "small", "moderate", "large")
BAND_EDGES_PCT = (10.0, 30.0, 100.0)
# Hazard rate ratios against runs up to 10 % longer (Frandsen 2025, table 2).
HAZARD_RATIOS = {"small": 1.64, "moderate": 1.52, "large": 2.28}
BAND_TEXT = {
    "up_to_10": "up to 10 %",
    "small": "more than 10 % and up to 30 %",
    "moderate": "more than 30 % and up to 100 %",
    "large": "more than 100 %",
}
NO_BAND = -1


def spike_band(pct: float | None) -> str | None:
    """The 2025 study's band of a spike percentage (None: no comparison)."""
    if pct is None or math.isnan(pct):
        return None
    return BANDS[int(np.digitize(round(pct, 6), BAND_EDGES_PCT, right=True))]


@dataclass(frozen=True, eq=False)
class RunSpikes:
    """One entry per compared run (runs of a period with a distance), in log order.

    ``row`` indexes the log; ``previous_longest_km`` and ``pct`` are NaN and ``band`` is -1
    when the run had no run in the 30 days before it.
    """

    row: I64
    runner: I64
    day: I64
    km: F64
    previous_longest_km: F64
    pct: F64
    band: npt.NDArray[np.int8]

    def __len__(self) -> int:
        return int(self.row.shape[0])

    def band_name(self, i: int) -> str | None:
        code = int(self.band[i])
        return None if code == NO_BAND else BANDS[code]

    def pct_at(self, i: int) -> float | None:
        value = float(self.pct[i])
        return None if math.isnan(value) else value

    def for_runner(self, runner: int) -> RunSpikes:
        keep = self.runner == runner
        return RunSpikes(
            row=self.row[keep],
            runner=np.zeros(int(keep.sum()), np.int64),
            day=self.day[keep],
            km=self.km[keep],
            previous_longest_km=self.previous_longest_km[keep],
            pct=self.pct[keep],
            band=self.band[keep],
        )


def run_spikes(log: RunLog, start: date, end: date) -> RunSpikes:
    """Spikes of every run (with a distance) from `start` to `end`, all runners of `log`."""
    first, last = day_number(start), day_number(end)
    daily = _daily(log, first - SPIKE_WINDOW_DAYS, last, None)
    return spikes_from_daily(log, daily, first, last)


def spikes_from_daily(log: RunLog, daily: DailySeries, first: int, last: int) -> RunSpikes:
    """Spikes of the runs on days `first`..`last`, from a daily series that starts at least
    30 days before `first` (its ``longest_km`` supplies the baselines)."""
    if daily.first_day > first - SPIKE_WINDOW_DAYS:
        raise ValueError("the daily series must start 30 days before the first run compared")
    # Longest run of the 30 days ending yesterday: a 30-day window max, moved one day on.
    previous = k.shift(k.window_max(daily.longest_km, SPIKE_WINDOW_DAYS), 1)
    previous = previous.reshape(-1, daily.n_days)
    rows = np.flatnonzero(
        log.is_run & (log.distance_km > 0) & (log.day >= first) & (log.day <= last)
    )
    km = log.distance_km[rows]
    base = previous[log.runner[rows], log.day[rows] - daily.first_day]
    has_base = base > 0
    pct = np.full(rows.shape[0], np.nan)
    np.divide(km - base, base, out=pct, where=has_base)
    pct = np.round(pct * 100.0, 6)
    band = np.where(
        has_base, np.digitize(np.nan_to_num(pct), BAND_EDGES_PCT, right=True), NO_BAND
    ).astype(np.int8)
    return RunSpikes(
        row=rows.astype(np.int64),
        runner=log.runner[rows],
        day=log.day[rows],
        km=km,
        previous_longest_km=np.where(has_base, base, np.nan),
        pct=pct,
        band=band,
    )
