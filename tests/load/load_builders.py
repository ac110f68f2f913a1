"""Builders shared by the load tests: activities and run logs from short descriptions.

A plain module (not a conftest) so tests import the builders by a name no other folder uses.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import numpy as np

from stridewell.activities.model import Activity, Samples
from stridewell.load import RunLog


def activity(
    start: datetime,
    km: float,
    *,
    sport: str = "running",
    minutes: float = 50.0,
    indoor: bool = False,
    gear: str | None = None,
    moving_minutes: float | None = None,
) -> Activity:
    return Activity(
        source_format="fit",
        sport=sport,
        sub_sport="treadmill" if indoor else None,
        is_indoor=indoor,
        start_time=start,
        duration_s=minutes * 60.0,
        moving_time_s=(moving_minutes if moving_minutes is not None else minutes) * 60.0,
        distance_m=km * 1000.0,
        elevation_gain_m=None,
        avg_hr=None,
        max_hr=None,
        avg_cadence=None,
        samples=Samples(time_s=np.zeros(0, np.float32)),
        gear=gear,
    )


def log_of(runs: dict[date, float], **columns: object) -> RunLog:
    """A one-runner log of runs {day: km}, 5 min/km, in day order."""
    days = sorted(runs)
    km = [runs[d] for d in days]
    return RunLog.from_arrays(days, km, [k * 300.0 for k in km], **columns)


def at_noon(day: date) -> datetime:
    return datetime.combine(day, time(12, 0), tzinfo=UTC)


def every(first: date, days: int, step: int = 1) -> list[date]:
    return [first + timedelta(days=i) for i in range(0, days, step)]
