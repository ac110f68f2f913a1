"""Daily and weekly series from a `RunLog`, with the days the runner actually recorded.

Coverage rule: a day is *covered* when it lies between the runner's first and last recorded
activity (any sport, anywhere in the log, not only inside the period asked for). A rest day
inside that span is a real zero; a day before the first record is unknown rather than zero,
and no ratio or change is computed over it. After the last record the span runs on to the end
of that record's week (or to the end of the period, if sooner): a runner who ran on Saturday
and not on Sunday rested on Sunday, and their latest week has its total and its change. Days
after that week are unknown. A caller that knows the record is complete up to some day (the
runner is assessing pain today, say) passes ``recorded_through`` to extend the span to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt

from stridewell.load.runlog import F64, I64, Bools, RunLog, day_date, day_number, monday_of


@dataclass(frozen=True, eq=False)
class DailySeries:
    """One value per calendar day from ``first_day`` on, along the last axis.

    Arrays are 1-D for one runner and (runners x days) for many. Running and other sports
    are kept apart: only running adds running load.
    """

    first_day: int
    run_km: F64
    run_s: F64
    other_km: F64
    other_s: F64
    treadmill_km: F64
    longest_km: F64
    run_count: I64
    covered: Bools

    @property
    def n_days(self) -> int:
        return int(self.run_km.shape[-1])

    @property
    def days(self) -> npt.NDArray[np.datetime64]:
        """The calendar days, as datetime64[D]."""
        return (np.arange(self.n_days) + self.first_day).astype("datetime64[D]")

    def index(self, day: date) -> int:
        """Position of `day` along the last axis (may be outside the series)."""
        return day_number(day) - self.first_day

    def date_at(self, index: int) -> date:
        return day_date(self.first_day + index)

    def sliced(self, start: int, stop: int) -> DailySeries:
        """Days ``start``..``stop - 1`` (positions along the last axis)."""
        return DailySeries(
            first_day=self.first_day + start,
            run_km=self.run_km[..., start:stop],
            run_s=self.run_s[..., start:stop],
            other_km=self.other_km[..., start:stop],
            other_s=self.other_s[..., start:stop],
            treadmill_km=self.treadmill_km[..., start:stop],
            longest_km=self.longest_km[..., start:stop],
            run_count=self.run_count[..., start:stop],
            covered=self.covered[..., start:stop],
        )


@dataclass(frozen=True, eq=False)
class WeeklySeries:
    """Totals per ISO week (Monday to Sunday), along the last axis.

    ``complete`` is True for a week whose seven days are all covered (and not after the end
    of the period). ``change_pct`` compares each week with the one before, and is NaN unless
    both weeks are complete and the week before had some running.
    """

    monday: I64
    km: F64
    seconds: F64
    complete: Bools
    change_pct: F64

    @property
    def labels(self) -> list[str]:
        """ISO week labels such as ``2026-W11``."""
        out = []
        for number in self.monday.tolist():
            year, week, _ = day_date(number).isocalendar()
            out.append(f"{year}-W{week:02d}")
        return out


def runner_bounds(log: RunLog) -> tuple[I64, I64, Bools]:
    """First and last recorded day per runner, and whether the runner has any record."""
    runners = np.arange(log.n_runners)
    if log.is_empty:
        zeros = np.zeros(log.n_runners, np.int64)
        return zeros, zeros.copy(), np.zeros(log.n_runners, np.bool_)
    lo = np.searchsorted(log.runner, runners, side="left")
    hi = np.searchsorted(log.runner, runners, side="right")
    has = hi > lo
    # Rows are sorted by day within a runner, so the first and last rows hold the extremes.
    first = np.where(has, log.day[np.minimum(lo, len(log) - 1)], 0)
    last = np.where(has, log.day[np.maximum(hi - 1, 0)], 0)
    return first.astype(np.int64), last.astype(np.int64), has


def daily_matrix(
    log: RunLog, start: date, end: date, *, recorded_through: date | None = None
) -> DailySeries:
    """Daily series for every runner of `log`, as (runners x days) arrays, start..end."""
    return _daily(log, day_number(start), day_number(end), recorded_through)


def daily_series(
    log: RunLog, start: date, end: date, *, recorded_through: date | None = None
) -> DailySeries:
    """Daily series of a single-runner log from `start` to `end` inclusive (1-D arrays).

    Days without activity are zeros; ``covered`` says which of them were recorded (see the
    module notes).
    """
    if log.n_runners != 1:
        raise ValueError("daily_series takes one runner's log; use daily_matrix for many")
    series = _daily(log, day_number(start), day_number(end), recorded_through)
    return _row(series, 0)


def _row(series: DailySeries, runner: int) -> DailySeries:
    return DailySeries(
        first_day=series.first_day,
        run_km=series.run_km[runner],
        run_s=series.run_s[runner],
        other_km=series.other_km[runner],
        other_s=series.other_s[runner],
        treadmill_km=series.treadmill_km[runner],
        longest_km=series.longest_km[runner],
        run_count=series.run_count[runner],
        covered=series.covered[runner],
    )


def _daily(log: RunLog, first: int, last: int, recorded_through: date | None) -> DailySeries:
    if last < first:
        raise ValueError("the period ends before it starts")
    days = last - first + 1
    runners = log.n_runners
    inside = (log.day >= first) & (log.day <= last)
    cell = log.runner * days + (log.day - first)
    size = runners * days

    def total(weights: F64, rows: Bools) -> F64:
        keep = inside & rows
        out = np.bincount(cell[keep], weights=weights[keep], minlength=size)
        return out.astype(np.float64, copy=False).reshape(runners, days)

    runs, others = log.is_run, ~log.is_run
    run_km = total(log.distance_km, runs)
    longest = np.zeros(size)
    keep = inside & runs
    if keep.any():
        # Rows are sorted by runner then day, so equal cells are adjacent: reduceat takes
        # each day's maximum without a Python loop or the slower ufunc.at.
        cells = cell[keep]
        starts = np.flatnonzero(np.concatenate(([True], cells[1:] != cells[:-1])))
        longest[cells[starts]] = np.maximum.reduceat(log.distance_km[keep], starts)
    counts = np.bincount(cell[keep], minlength=size).reshape(runners, days)
    return DailySeries(
        first_day=first,
        run_km=run_km,
        run_s=total(log.duration_s, runs),
        other_km=total(log.distance_km, others),
        other_s=total(log.duration_s, others),
        treadmill_km=total(log.distance_km, log.treadmill),
        longest_km=longest.reshape(runners, days),
        run_count=counts.astype(np.int64, copy=False),
        covered=_coverage(log, first, days, recorded_through),
    )


def recorded_until(log: RunLog, last: int, recorded_through: date | None) -> I64:
    """Each runner's last covered day: the Sunday of their last record's week (no later
    than `last`, the period's end, but never before the record), or `recorded_through`."""
    _, hi, _ = runner_bounds(log)
    sunday = monday_of_many(hi) + 6
    hi = np.maximum(hi, np.minimum(sunday, last))
    if recorded_through is not None:
        hi = np.maximum(hi, day_number(recorded_through))
    return hi


def monday_of_many(numbers: I64) -> I64:
    """`monday_of` for an array of day numbers."""
    return numbers - (numbers - monday_of(0)) % 7


def _coverage(log: RunLog, first: int, days: int, recorded_through: date | None) -> Bools:
    lo, _, has = runner_bounds(log)
    hi = recorded_until(log, first + days - 1, recorded_through)
    t = np.arange(days)[None, :] + first
    covered: Bools = has[:, None] & (t >= lo[:, None]) & (t <= hi[:, None])
    return covered


def weekly(daily: DailySeries) -> WeeklySeries:
    """ISO-week totals of running distance and time over the days of `daily`.

    Weeks cut by either end of the series count as incomplete: the days outside it are
    treated as unrecorded, never as rest.
    """
    lead = daily.first_day - monday_of(daily.first_day)
    n = daily.n_days
    weeks = -(-(lead + n) // 7)
    tail = weeks * 7 - lead - n
    shape = daily.run_km.shape[:-1]

    def fold(values: F64 | Bools, fill: float | bool) -> F64:
        pad = [(0, 0)] * len(shape) + [(lead, tail)]
        padded = np.pad(values, pad, constant_values=fill)
        folded: F64 = padded.reshape(*shape, weeks, 7).sum(axis=-1, dtype=np.float64)
        return folded

    km = fold(daily.run_km, 0.0)
    seconds = fold(daily.run_s, 0.0)
    complete = fold(daily.covered, False) >= 6.5
    before = np.concatenate((np.full((*shape, 1), np.nan), km[..., :-1]), axis=-1)
    both = complete & np.concatenate((np.zeros((*shape, 1), bool), complete[..., :-1]), axis=-1)
    change = np.full(km.shape, np.nan)
    ok = both & (np.nan_to_num(before) > 0)
    np.divide((km - before) * 100.0, before, out=change, where=ok)
    monday = monday_of(daily.first_day) + 7 * np.arange(weeks, dtype=np.int64)
    return WeeklySeries(monday=monday, km=km, seconds=seconds, complete=complete, change_pct=change)
