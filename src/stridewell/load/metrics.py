"""All load metrics of a period in one pass: ratios, monotony, strain, weeks and spikes.

Definitions (all on running load; ``load="km"`` by default, or ``"minutes"``):

- Rolling acute:chronic ratio (ACWR): acute = the load of the 7 days ending on a day;
  chronic = the weekly average of the 21 days *before* that week (uncoupled, so the acute
  week is not part of its own baseline); ``coupled=True`` uses the 28 days ending on the
  day instead. Computed only when all 28 days are recorded and the chronic load is above 0.
- EWMA ratio (Williams et al. 2017): y[t] = lambda * load[t] + (1 - lambda) * y[t-1],
  lambda = 2 / (N + 1), N = 7 (acute) and 28 (chronic). Each runner's averages start on
  their first recorded day from the mean daily load of their first 28 recorded days (or as
  many as the period holds): a start from zero would make the first month's ratios look
  like a surge. Shown only once 28 recorded days end on the day; the start value then
  keeps about 14 % of the chronic average's weight, under 2 % a month later.
- Monotony and strain (Foster 1998): mean / SD of the 7 daily loads ending on a day, and
  the 7-day load times monotony.
- Single-run spikes: see `stridewell.load.spikes`.

Every array is NaN where its window is not fully recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

import numpy as np

from stridewell.load import kernels as k
from stridewell.load.runlog import F64, I64, RunLog, day_number, monday_of
from stridewell.load.series import (
    DailySeries,
    WeeklySeries,
    _daily,
    _row,
    recorded_until,
    runner_bounds,
    weekly,
)
from stridewell.load.spikes import SPIKE_WINDOW_DAYS, RunSpikes, spikes_from_daily

ACUTE_DAYS = 7
CHRONIC_DAYS = 28
LoadUnit = Literal["km", "minutes"]


@dataclass(frozen=True, eq=False)
class LoadMetrics:
    """The metrics of a period: day arrays along the last axis (1-D for one runner)."""

    daily: DailySeries
    load_unit: LoadUnit
    coupled: bool
    acute_load: F64  # load of the 7 days ending on each day
    chronic_load: F64  # weekly average load of the chronic window
    acwr_rolling: F64
    ewma_acute: F64
    ewma_chronic: F64
    acwr_ewma: F64
    monotony: F64
    strain: F64
    weeks: WeeklySeries
    spikes: RunSpikes

    def for_runner(self, runner: int) -> LoadMetrics:
        """One runner's metrics out of a many-runner result."""
        if self.acute_load.ndim == 1:
            if runner != 0:
                raise IndexError(runner)
            return self
        w = self.weeks
        return LoadMetrics(
            daily=_row(self.daily, runner),
            load_unit=self.load_unit,
            coupled=self.coupled,
            acute_load=self.acute_load[runner],
            chronic_load=self.chronic_load[runner],
            acwr_rolling=self.acwr_rolling[runner],
            ewma_acute=self.ewma_acute[runner],
            ewma_chronic=self.ewma_chronic[runner],
            acwr_ewma=self.acwr_ewma[runner],
            monotony=self.monotony[runner],
            strain=self.strain[runner],
            weeks=WeeklySeries(
                monday=w.monday,
                km=w.km[runner],
                seconds=w.seconds[runner],
                complete=w.complete[runner],
                change_pct=w.change_pct[runner],
            ),
            spikes=self.spikes.for_runner(runner),
        )


def load_metrics(
    log: RunLog,
    start: date,
    end: date,
    *,
    recorded_through: date | None = None,
    load: LoadUnit = "km",
    coupled: bool = False,
) -> LoadMetrics:
    """Every load metric of one runner from `start` to `end` inclusive (1-D arrays)."""
    if log.n_runners != 1:
        raise ValueError("load_metrics takes one runner's log; use load_metrics_many")
    many = load_metrics_many(
        log, start, end, recorded_through=recorded_through, load=load, coupled=coupled
    )
    return many.for_runner(0)


def load_metrics_many(
    log: RunLog,
    start: date,
    end: date,
    *,
    recorded_through: date | None = None,
    load: LoadUnit = "km",
    coupled: bool = False,
) -> LoadMetrics:
    """Every load metric for all runners of `log` at once, as (runners x days) arrays.

    The days before `start` that the windows need (and each runner's whole earlier record,
    for the EWMA) are computed too and cut off at the end, so the values on `start` are the
    same whatever period is asked for.
    """
    first, last = day_number(start), day_number(end)
    if last < first:
        raise ValueError("the period ends before it starts")
    lo, hi, has = runner_bounds(log)
    earliest = int(lo[has].min()) if has.any() else first
    # Start on a Monday so the first ISO week is whole, and early enough for every window.
    origin = monday_of(min(first - SPIKE_WINDOW_DAYS, earliest))
    full = _daily(log, origin, last, recorded_through)
    x = full.run_km if load == "km" else full.run_s / 60.0
    covered = full.covered
    # Coverage is one unbroken run of days per runner, so a window is recorded when both
    # of its ends are.
    recorded_7 = k.interval_all(covered, ACUTE_DAYS)
    recorded_28 = k.interval_all(covered, CHRONIC_DAYS)

    acute = k.window_sum(x, ACUTE_DAYS)
    if coupled:
        chronic = k.window_sum(x, CHRONIC_DAYS) * (ACUTE_DAYS / CHRONIC_DAYS)
    else:
        gap = CHRONIC_DAYS - ACUTE_DAYS
        chronic = k.shift(k.window_sum(x, gap), ACUTE_DAYS) * (ACUTE_DAYS / gap)
    rolling = k.ratio(acute, chronic, recorded_28)

    hi = recorded_until(log, last, recorded_through)
    ewma_a, ewma_c = _ewmas(x, covered, lo, hi, has, origin)
    by_ewma = k.ratio(ewma_a, ewma_c, recorded_28)

    mono = k.monotony(x, recorded_7, ACUTE_DAYS)
    strain = acute * mono  # NaN wherever monotony is

    cut = slice(first - origin, last - origin + 1)
    weeks = weekly(full)
    keep = weeks.monday >= monday_of(first)
    nan = np.nan
    return LoadMetrics(
        daily=full.sliced(cut.start, cut.stop),
        load_unit=load,
        coupled=coupled,
        acute_load=np.where(recorded_7, acute, nan)[..., cut],
        chronic_load=np.where(recorded_28, chronic, nan)[..., cut],
        acwr_rolling=rolling[..., cut],
        ewma_acute=ewma_a[..., cut],
        ewma_chronic=ewma_c[..., cut],
        acwr_ewma=by_ewma[..., cut],
        monotony=mono[..., cut],
        strain=strain[..., cut],
        weeks=WeeklySeries(
            monday=weeks.monday[keep],
            km=weeks.km[..., keep],
            seconds=weeks.seconds[..., keep],
            complete=weeks.complete[..., keep],
            change_pct=weeks.change_pct[..., keep],
        ),
        spikes=spikes_from_daily(log, full, first, last),
    )


def _ewmas(
    x: F64,
    covered: k.Bools,
    lo: I64,
    hi: I64,
    has: k.Bools,
    origin: int,
) -> tuple[F64, F64]:
    days = x.shape[-1]
    start = np.where(has, lo - origin, days)  # a runner with no record never starts
    stop = np.clip(np.minimum(start + CHRONIC_DAYS, hi - origin + 1), start + 1, days)
    total = np.concatenate((np.zeros((x.shape[0], 1)), np.cumsum(x, axis=-1)), axis=-1)
    rows = np.arange(x.shape[0])
    begin = np.minimum(start, days)
    seed = (total[rows, stop] - total[rows, begin]) / np.maximum(stop - begin, 1)
    acute = np.where(covered, k.ewma_seeded(x, ACUTE_DAYS, start, seed), np.nan)
    chronic = np.where(covered, k.ewma_seeded(x, CHRONIC_DAYS, start, seed), np.nan)
    return acute, chronic
