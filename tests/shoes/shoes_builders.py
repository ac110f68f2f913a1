"""Builders shared by the shoe tests (a plain module with a name no other folder uses)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import numpy as np

from stridewell.activities.model import Activity, Samples


def run(day: date, km: float, gear: str | None = None, *, sport: str = "running") -> Activity:
    """An activity at 07:00 UTC on `day`."""
    return Activity(
        source_format="strava",
        sport=sport,
        sub_sport=None,
        is_indoor=False,
        start_time=datetime.combine(day, time(7, 0), tzinfo=UTC),
        duration_s=km * 330.0,
        moving_time_s=km * 330.0,
        distance_m=km * 1000.0,
        elevation_gain_m=None,
        avg_hr=None,
        max_hr=None,
        avg_cadence=None,
        samples=Samples(time_s=np.zeros(0, np.float32)),
        gear=gear,
    )
