"""`RunLog`: the compact, columnar input of every load metric.

One row per activity (runs and other sports alike: other sports do not add running load,
but they show the runner was recording). Days are local calendar days, stored as integers
counted from 1970-01-01 so the metrics can index NumPy arrays with them directly.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from stridewell.activities.model import Activity

I64 = npt.NDArray[np.int64]
I32 = npt.NDArray[np.int32]
F64 = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]

EPOCH = date(1970, 1, 1)
# 1970-01-01 was a Thursday: epoch day 4 is the first Monday, the start of ISO week 1970-W02.
_FIRST_MONDAY = 4

# Sports that add running load. Walking and hiking are on the feet too, but the 2025 spike
# study and the ratio literature count running sessions only.
RUNNING = "running"


def day_number(day: date) -> int:
    """Days from 1970-01-01 to `day` (the integer day used throughout `load`)."""
    return (day - EPOCH).days


def day_date(number: int) -> date:
    """The calendar date of a day number."""
    return EPOCH + timedelta(days=int(number))


def monday_of(number: int) -> int:
    """The day number of the Monday that starts the ISO week holding `number`."""
    return number - (number - _FIRST_MONDAY) % 7


@dataclass(frozen=True, eq=False)
class RunLog:
    """Activities as parallel NumPy arrays, sorted by runner, then day, then input order.

    ``shoe`` holds indexes into ``shoe_ids`` (-1: no shoe known). ``order`` is each row's
    position in the input, so results can be traced back to the activities. ``runner``
    numbers runners 0..n_runners-1; a single runner's log has them all 0.
    """

    day: I64
    distance_km: F64
    duration_s: F64
    is_run: Bools
    treadmill: Bools
    shoe: I32
    shoe_ids: tuple[str, ...]
    runner: I64
    n_runners: int
    order: I64

    def __len__(self) -> int:
        return int(self.day.shape[0])

    @property
    def is_empty(self) -> bool:
        return len(self) == 0

    def shoe_of_row(self, row: int) -> str | None:
        code = int(self.shoe[row])
        return None if code < 0 else self.shoe_ids[code]

    def for_runner(self, runner: int) -> RunLog:
        """The rows of one runner, as a single-runner log (runner numbers reset to 0)."""
        keep = self.runner == runner
        return RunLog(
            day=self.day[keep],
            distance_km=self.distance_km[keep],
            duration_s=self.duration_s[keep],
            is_run=self.is_run[keep],
            treadmill=self.treadmill[keep],
            shoe=self.shoe[keep],
            shoe_ids=self.shoe_ids,
            runner=np.zeros(int(keep.sum()), dtype=np.int64),
            n_runners=1,
            order=self.order[keep],
        )

    @classmethod
    def from_arrays(
        cls,
        day: npt.ArrayLike,
        distance_km: npt.ArrayLike,
        duration_s: npt.ArrayLike,
        *,
        is_run: npt.ArrayLike | None = None,
        treadmill: npt.ArrayLike | None = None,
        shoe: Sequence[str | None] | npt.NDArray[np.integer[Any]] | None = None,
        shoe_ids: Sequence[str] = (),
        runner: npt.ArrayLike | None = None,
        n_runners: int | None = None,
    ) -> RunLog:
        """Build a log from plain arrays (the fast path: no Python object per activity).

        ``day`` is datetime64, `date` objects or day numbers. ``is_run`` defaults to all
        True, ``treadmill`` to all False. ``shoe`` is either shoe ids (None for unknown) or
        integer codes into ``shoe_ids``. Raises ValueError on mismatched lengths or on
        negative or non-finite distances and durations.
        """
        days = _as_day_numbers(day)
        n = days.shape[0]
        km = _non_negative(distance_km, n, "distance_km")
        secs = _non_negative(duration_s, n, "duration_s")
        runs = _flags(is_run, n, True, "is_run")
        indoor = _flags(treadmill, n, False, "treadmill") & runs
        codes, ids = _shoe_codes(shoe, tuple(shoe_ids), n)
        who = np.zeros(n, np.int64) if runner is None else np.asarray(runner, np.int64)
        if who.shape != (n,):
            raise ValueError(f"runner has {who.shape} values, expected {n}")
        if n and who.min() < 0:
            raise ValueError("runner numbers start at 0")
        count = int(who.max()) + 1 if n else 1
        if n_runners is not None:
            if n_runners < count:
                raise ValueError(f"n_runners={n_runners} but runner numbers go to {count - 1}")
            count = n_runners
        # A stable sort keeps same-day activities in input order; input already in order
        # (as a database query returns it) skips the sort.
        same = who[1:] == who[:-1]
        ordered = bool(np.all((who[1:] > who[:-1]) | (same & (days[1:] >= days[:-1]))))
        idx = np.arange(n) if ordered else np.lexsort((days, who))
        return cls(
            day=days[idx],
            distance_km=km[idx],
            duration_s=secs[idx],
            is_run=runs[idx],
            treadmill=indoor[idx],
            shoe=codes[idx],
            shoe_ids=ids,
            runner=who[idx],
            n_runners=count,
            order=idx.astype(np.int64),
        )

    @classmethod
    def from_activities(
        cls,
        activities: Iterable[Activity],
        tz: tzinfo,
        shoe_of: Callable[[Activity, date], str | None] | None = None,
    ) -> RunLog:
        """One row per activity; its day is the local date of its start in `tz`.

        Time is moving time where the file has it (pauses are not load), else elapsed time.
        A treadmill run is a run recorded indoors (treadmill, indoor or virtual sub-sport).
        ``shoe_of(activity, local_day)`` names the shoe of a run; the default takes the
        activity's gear as is (`stridewell.shoes.assign_shoes` maps gear to tracked shoes).
        Raises ValueError for a naive start time: its local day would be a guess.
        """
        pick = shoe_of if shoe_of is not None else _gear
        days: list[int] = []
        km: list[float] = []
        secs: list[float] = []
        runs: list[bool] = []
        indoor: list[bool] = []
        shoes: list[str | None] = []
        for act in activities:
            local = _local_day(act.start_time, tz)
            is_run = act.sport == RUNNING
            days.append(day_number(local))
            km.append(_finite(act.distance_m) / 1000.0)
            moving = _finite(act.moving_time_s)
            secs.append(moving if moving > 0 else _finite(act.duration_s))
            runs.append(is_run)
            indoor.append(is_run and act.is_indoor)
            shoes.append(pick(act, local) if is_run else None)
        return cls.from_arrays(
            np.array(days, np.int64),
            np.array(km, np.float64),
            np.array(secs, np.float64),
            is_run=np.array(runs, np.bool_),
            treadmill=np.array(indoor, np.bool_),
            shoe=shoes,
        )


def _gear(activity: Activity, _day: date) -> str | None:
    return activity.gear


def _local_day(start: datetime, tz: tzinfo) -> date:
    if start.tzinfo is None or start.utcoffset() is None:
        raise ValueError(f"activity start {start.isoformat()} has no timezone")
    return start.astimezone(tz).date()


def _finite(value: float) -> float:
    # Importers keep activities whole; a NaN or negative total counts as nothing here.
    return value if math.isfinite(value) and value > 0 else 0.0


def _as_day_numbers(day: npt.ArrayLike) -> I64:
    arr = np.asarray(day)
    if arr.ndim != 1:
        raise ValueError("day must be one-dimensional")
    if arr.dtype.kind == "M":
        return arr.astype("datetime64[D]").astype(np.int64)
    if arr.dtype.kind == "O":
        return np.array(arr, dtype="datetime64[D]").astype(np.int64)
    if arr.dtype.kind in "iu" or arr.size == 0:
        return arr.astype(np.int64)
    raise ValueError(f"day must hold dates or integer day numbers, not {arr.dtype}")


def _non_negative(values: npt.ArrayLike, n: int, name: str) -> F64:
    arr = np.asarray(values, np.float64)
    if arr.shape != (n,):
        raise ValueError(f"{name} has {arr.shape} values, expected {n}")
    if not np.all(np.isfinite(arr)) or (n and arr.min() < 0):
        raise ValueError(f"{name} must be finite and not negative")
    return arr


def _flags(values: npt.ArrayLike | None, n: int, default: bool, name: str) -> Bools:
    if values is None:
        return np.full(n, default, np.bool_)
    arr = np.asarray(values, np.bool_)
    if arr.shape != (n,):
        raise ValueError(f"{name} has {arr.shape} values, expected {n}")
    return arr


def _shoe_codes(
    shoe: Sequence[str | None] | npt.NDArray[np.integer[Any]] | None,
    ids: tuple[str, ...],
    n: int,
) -> tuple[I32, tuple[str, ...]]:
    if shoe is None:
        return np.full(n, -1, np.int32), ids
    if isinstance(shoe, np.ndarray) and shoe.dtype.kind in "iu":
        codes = shoe.astype(np.int32)
        if codes.shape != (n,):
            raise ValueError(f"shoe has {codes.shape} values, expected {n}")
        if n and (codes.min() < -1 or codes.max() >= len(ids)):
            raise ValueError("shoe codes must index shoe_ids (or be -1)")
        return codes, ids
    names = list(shoe)
    if len(names) != n:
        raise ValueError(f"shoe has {len(names)} values, expected {n}")
    index = {name: i for i, name in enumerate(ids)}
    out = np.empty(n, np.int32)
    for i, name in enumerate(names):
        if name is None:
            out[i] = -1
            continue
        code = index.get(name)
        if code is None:
            code = index[name] = len(index)
        out[i] = code
    return out, tuple(index)
