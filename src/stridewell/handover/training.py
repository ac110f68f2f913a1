"""Training and shoes for the handover: weekly distance, single-run spikes, surfaces, shoes.

Pure: the runs come in as any records with an activity's summary fields (storage's
`ActivitySummary` and the importers' `Activity` both fit), days are local days in `tz`.
The numbers come from the `load` and `shoes` packages, so the handover says what the
training page says.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, datetime, timedelta, tzinfo
from typing import Protocol

import numpy as np

from stridewell.load import RunLog, daily_series, run_spikes, weekly
from stridewell.load.runlog import RUNNING, day_date
from stridewell.load.spikes import BAND_TEXT
from stridewell.shoes import Shoe, mileage

from .model import ShoeRow, SpikeRun, SurfaceShare, Training, TrainingWeek


class RunLike(Protocol):
    """The fields of an activity the handover reads."""

    @property
    def start_time(self) -> datetime: ...
    @property
    def sport(self) -> str: ...
    @property
    def sub_sport(self) -> str | None: ...
    @property
    def is_indoor(self) -> bool: ...
    @property
    def distance_m(self) -> float: ...
    @property
    def duration_s(self) -> float: ...
    @property
    def gear(self) -> str | None: ...


def surface_of(run: RunLike) -> str:
    """Where a run was, as far as the file tells: treadmill, track, trail, else outdoors."""
    sub = (run.sub_sport or "").lower()
    if run.is_indoor or "treadmill" in sub:
        return "treadmill"
    if "track" in sub:
        return "track"
    if "trail" in sub:
        return "trail"
    return "road or other outdoor"


def _local_day(run: RunLike, tz: tzinfo) -> date:
    return run.start_time.astimezone(tz).date()


def _shoe_key(run: RunLike) -> str | None:
    # Storage resolves a run's shoe at import (shoe_id); a file only names its gear.
    shoe_id = getattr(run, "shoe_id", None)
    return shoe_id if isinstance(shoe_id, str) else run.gear


def _finite_km(run: RunLike) -> float:
    km = run.distance_m / 1000.0
    return km if math.isfinite(km) and km > 0 else 0.0


def run_log(runs: Sequence[RunLike], tz: tzinfo) -> RunLog:
    """A single-runner `RunLog` of `runs`, with each run's shoe or gear."""
    days = [_local_day(r, tz) for r in runs]
    secs = [r.duration_s if math.isfinite(r.duration_s) and r.duration_s > 0 else 0.0 for r in runs]
    return RunLog.from_arrays(
        np.array(days, dtype="datetime64[D]"),
        np.array([_finite_km(r) for r in runs], np.float64),
        np.array(secs, np.float64),
        is_run=np.array([r.sport == RUNNING for r in runs], np.bool_),
        treadmill=np.array([surface_of(r) == "treadmill" for r in runs], np.bool_),
        shoe=[_shoe_key(r) if r.sport == RUNNING else None for r in runs],
    )


def training_in(
    runs: Sequence[RunLike], start: date, today: date, tz: tzinfo, stated_surface: str | None
) -> Training:
    """Weekly distance, spikes and surfaces of the ISO weeks from `start` (a Monday) to today."""
    if start.weekday() != 0:
        raise ValueError("the training window starts on a Monday")
    log = run_log(runs, tz)
    daily = daily_series(log, start, today, recorded_through=today)
    weeks = weekly(daily)
    spikes = run_spikes(log, start, today)
    spike_rows = [
        SpikeRun(
            day=day_date(int(spikes.day[i])),
            km=round(float(spikes.km[i]), 2),
            previous_longest_km=round(float(spikes.previous_longest_km[i]), 2),
            pct=round(pct, 1),
            band=BAND_TEXT[band],
        )
        for i in range(len(spikes))
        if (pct := spikes.pct_at(i)) is not None
        and (band := spikes.band_name(i)) is not None
        and band != "up_to_10"
    ]
    rows: list[TrainingWeek] = []
    for w, (monday, label) in enumerate(zip(weeks.monday.tolist(), weeks.labels, strict=True)):
        first = day_date(int(monday))
        lo, hi = max(0, (first - start).days), min(daily.n_days, (first - start).days + 7)
        change = float(weeks.change_pct[w])
        rows.append(
            TrainingWeek(
                monday=first,
                label=label,
                km=round(float(weeks.km[w]), 1),
                runs=int(daily.run_count[lo:hi].sum()),
                longest_km=round(float(daily.longest_km[lo:hi].max(initial=0.0)), 1),
                change_pct=None if math.isnan(change) else round(change),
                spikes=sum(1 for s in spike_rows if first <= s.day < first + timedelta(days=7)),
            )
        )
    shares: dict[str, list[float]] = {}
    for run in runs:
        if run.sport == RUNNING and start <= _local_day(run, tz) <= today:
            share = shares.setdefault(surface_of(run), [0.0, 0.0])
            share[0] += _finite_km(run)
            share[1] += 1
    surfaces = [
        SurfaceShare(surface=name, km=round(km, 1), runs=int(count))
        for name, (km, count) in sorted(shares.items(), key=lambda item: -item[1][0])
    ]
    daily_km = [
        (daily.date_at(i), round(float(km), 2))
        for i, km in enumerate(daily.run_km.tolist())
        if km > 0
    ]
    return Training(
        weeks=rows,
        spikes=spike_rows,
        surfaces=surfaces,
        stated_surface=stated_surface,
        daily_km=daily_km,
        total_km=round(float(daily.run_km.sum()), 1),
    )


def shoe_rows(shoes: Sequence[Shoe], runs: Sequence[RunLike], tz: tzinfo) -> list[ShoeRow]:
    """Each pair with its distance (all runs, plus what it had before it was tracked)."""
    if not shoes:
        return []
    used = mileage(shoes, run_log(runs, tz), tz)
    rows = []
    for shoe in shoes:
        km = used.km[shoe.id]
        status = (
            "retired"
            if shoe.retired is not None
            else "replace"
            if km >= shoe.replace_km
            else "check"
            if km >= shoe.check_km
            else "ok"
        )
        rows.append(
            ShoeRow(
                id=shoe.id,
                name=shoe.name,
                km=round(km, 1),
                check_km=shoe.check_km,
                replace_km=shoe.replace_km,
                retired=shoe.retired is not None,
                status=status,
                last_run=used.last_run.get(shoe.id),
            )
        )
    return rows


def window_start(today: date, weeks: int) -> date:
    """The Monday that starts the first of `weeks` ISO weeks ending with today's week."""
    return today - timedelta(days=today.weekday() + 7 * (weeks - 1))
