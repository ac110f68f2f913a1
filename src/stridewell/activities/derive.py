"""Totals derived from samples, shared by the three parsers, and the Activity builder.

Rules (the same for every format, so the same run from two sources agrees):
- distance: the device's own total when the file has one, else the last cumulative distance
  sample, else great-circle (haversine) distance between consecutive positions within a
  track segment (no distance is counted across a segment break);
- elapsed duration: the device's total when given, else last minus first sample time;
- moving time: the device's moving (or timer) time when given, else the sum of sample
  intervals with a speed of at least 0.5 m/s (a slow walk) and no longer than 60 s;
  without any distance channel, the elapsed duration;
- elevation gain: the device's total ascent when given, else the sum of climbs in the
  altitude series once each climb exceeds 3 m, which filters GPS and barometer noise.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

import numpy as np

from .errors import ImportProblem
from .model import F32, F64, Activity, Samples
from .sports import normalise

EARTH_RADIUS_M = 6_371_008.8
MOVING_SPEED_MPS = 0.5
MAX_MOVING_GAP_S = 60.0
CLIMB_THRESHOLD_M = 3.0
MEDIAN_WINDOW = 31
# Earliest believable activity: GPS sport watches did not exist before 1995, and a 1901 time
# is a device clock that was never set.
EARLIEST = datetime(1995, 1, 1, tzinfo=UTC).timestamp()


@dataclass
class Track:
    """Raw per-point arrays, absolute times in Unix seconds (NaN where a point has none)."""

    time: F64
    distance: F64 | None = None
    heart_rate: F64 | None = None
    cadence: F64 | None = None
    altitude: F64 | None = None
    lat: F64 | None = None
    lon: F64 | None = None
    # Index of the first point of each segment after the first (no distance across breaks).
    segment_starts: list[int] = field(default_factory=list)


@dataclass
class Totals:
    """What the file itself states; None where it is silent."""

    raw_sport: str | None = None
    raw_sub_sport: str | None = None
    start: float | None = None
    elapsed_s: float | None = None
    moving_s: float | None = None
    distance_m: float | None = None
    ascent_m: float | None = None
    avg_hr: float | None = None
    max_hr: float | None = None
    avg_cadence: float | None = None
    name: str | None = None
    device: str | None = None
    warnings: list[str] = field(default_factory=list)


def haversine_cumulative(lat: F64, lon: F64, segment_starts: list[int]) -> F64:
    """Cumulative great-circle distance in metres; missing positions add nothing."""
    la, lo = np.radians(lat), np.radians(lon)
    dlat, dlon = np.diff(la), np.diff(lo)
    a = np.sin(dlat / 2) ** 2 + np.cos(la[:-1]) * np.cos(la[1:]) * np.sin(dlon / 2) ** 2
    step = 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
    step = np.nan_to_num(step, nan=0.0)
    for start in segment_starts:
        if 0 < start <= step.shape[0]:
            step[start - 1] = 0.0
    return np.concatenate(([0.0], np.cumsum(step)))


def moving_time(time: F64, distance: F64) -> float:
    dt = np.diff(time)
    dd = np.diff(np.fmax.accumulate(np.nan_to_num(distance, nan=0.0)))
    ok = (dt > 0) & (dt <= MAX_MOVING_GAP_S)
    moving = ok & (dd >= MOVING_SPEED_MPS * np.where(ok, dt, 1.0))
    return float(dt[moving].sum())


def elevation_gain(altitude: F64) -> float | None:
    alt = altitude[~np.isnan(altitude)]
    if alt.shape[0] < 2:
        return None
    if alt.shape[0] >= MEDIAN_WINDOW:
        # A running median leaves a steady climb as it is but removes spikes of up to half
        # the window (barometer glitches, GPS altitude jumps).
        half = MEDIAN_WINDOW // 2
        windows = np.lib.stride_tricks.sliding_window_view(alt, MEDIAN_WINDOW)
        alt = np.concatenate((alt[:half], np.median(windows, axis=1), alt[-half:]))
    # Dead band: the reference altitude moves only on a change of at least the threshold, and
    # only rises count, so noise of +-1 m around a flat road adds nothing.
    gain, ref = 0.0, float(alt[0])
    for value in alt.tolist():
        if value - ref >= CLIMB_THRESHOLD_M:
            gain += value - ref
            ref = value
        elif ref - value >= CLIMB_THRESHOLD_M:
            ref = value
    return gain


# Physically plausible ranges; values outside come from damaged data or sensor glitches.
_RANGES = {
    "heart_rate": (20.0, 250.0),
    "cadence": (0.0, 300.0),
    "altitude": (-500.0, 9000.0),
    "lat": (-90.0, 90.0),
    "lon": (-180.0, 180.0),
    "distance": (0.0, 2_000_000.0),
}
MAX_SPIKE_SPEED_MPS = 100.0
MAX_TIME_FROM_MEDIAN_S = 2 * 86400.0


def sanitise(track: Track) -> Track:
    """Drop points with implausible times and blank implausible values (NaN), so a glitch or
    a damaged stretch of a file cannot produce a 4,000 km climb or a 1901 start."""
    time = track.time
    timed = ~np.isnan(time)
    if bool(timed.any()):
        median = float(np.median(time[timed]))
        far = timed & (np.abs(time - median) > MAX_TIME_FROM_MEDIAN_S)
        if bool(far.any()):
            keep = ~far
            cut: dict[str, F64] = {
                name: getattr(track, name)[keep]
                for name in _RANGES
                if getattr(track, name) is not None
            }
            track = replace(track, time=time[keep], **cut)  # type: ignore[arg-type]
            track.segment_starts = [int(np.count_nonzero(keep[:i])) for i in track.segment_starts]
    changes: dict[str, F64] = {}
    for name, (low, high) in _RANGES.items():
        values = getattr(track, name)
        if values is not None:
            bad = (values < low) | (values > high)
            if name == "lat" and track.lon is not None:
                bad |= (values == 0) & (track.lon == 0)  # "null island": no fix
            if bool(bad.any()):
                changes[name] = np.where(bad, np.nan, values)
    if changes:
        track = replace(track, **changes)  # type: ignore[arg-type]
    if track.distance is not None and track.distance.shape[0] > 2:
        track = replace(track, distance=_despike(track.time, track.distance))
    return track


def _despike(time: F64, distance: F64) -> F64:
    """Blank a distance sample that jumps away and back at more than 100 m/s."""
    dt = np.diff(time)
    dd = np.diff(distance)
    with np.errstate(divide="ignore", invalid="ignore"):
        speed = np.abs(dd / np.where(dt > 0, dt, 1.0))
    fast = np.nan_to_num(speed, nan=0.0) > MAX_SPIKE_SPEED_MPS
    spike = np.zeros(distance.shape[0], dtype=bool)
    spike[1:-1] = fast[:-1] & fast[1:]
    return np.where(spike, np.nan, distance) if bool(spike.any()) else distance


def _f32(values: F64 | None) -> F32 | None:
    if values is None or bool(np.all(np.isnan(values))):
        return None
    return values.astype(np.float32)


def _mean(values: F64 | None) -> float | None:
    if values is None:
        return None
    valid = values[~np.isnan(values) & (values > 0)]
    return float(valid.mean()) if valid.shape[0] else None


def _max(values: F64 | None) -> float | None:
    if values is None:
        return None
    valid = values[~np.isnan(values)]
    return float(valid.max()) if valid.shape[0] else None


def build_activity(source_format: str, track: Track, totals: Totals) -> Activity:
    """Turn a track (already cut to one activity) and the file's own totals into an Activity."""
    track = sanitise(track)
    timed = ~np.isnan(track.time)
    if not bool(timed.any()):
        raise ImportProblem("no records with time")
    distance = track.distance
    if distance is None and track.lat is not None and track.lon is not None:
        distance = haversine_cumulative(track.lat, track.lon, track.segment_starts)
    # Positions without a time still count for distance (above); samples keep timed points.
    order = np.flatnonzero(timed)
    t = track.time[order]
    start = float(t.min()) if totals.start is None else totals.start
    if start < EARLIEST:
        raise ImportProblem(
            f"implausible start time {_iso(start)}: the device clock was probably not set"
        )
    elapsed = totals.elapsed_s if totals.elapsed_s is not None else float(t.max() - start)
    if elapsed <= 0 and t.shape[0] < 2:
        raise ImportProblem("only one timed record: not enough for an activity")
    if elapsed <= 0:
        raise ImportProblem("all records have the same time: the activity has no duration")

    def pick(values: F64 | None) -> F64 | None:
        return None if values is None else values[order]

    d = pick(distance)
    if totals.distance_m is not None:
        total_distance = totals.distance_m
    elif distance is not None and bool(np.any(~np.isnan(distance))):
        total_distance = float(np.nanmax(distance) - np.nanmin(distance))
    else:
        total_distance = 0.0
    if totals.moving_s is not None:
        moving = totals.moving_s
    elif d is not None and total_distance > 0:
        moving = moving_time(t, d)
    else:
        moving = elapsed
    alt = pick(track.altitude)
    ascent = (
        totals.ascent_m
        if totals.ascent_m is not None
        else (elevation_gain(alt) if alt is not None else None)
    )
    hr, cad = pick(track.heart_rate), pick(track.cadence)
    sport, sub, indoor = normalise(totals.raw_sport, totals.raw_sub_sport)
    if sport == "cycling" and track.lat is None and total_distance == 0:
        indoor = True  # a ride that went nowhere, without a single position: a trainer
    samples = Samples(
        time_s=(t - start).astype(np.float32),
        distance_m=_f32(d),
        heart_rate=_f32(hr),
        cadence=_f32(cad),
        altitude_m=_f32(alt),
        lat=None if track.lat is None else track.lat[order],
        lon=None if track.lon is None else track.lon[order],
    )
    return Activity(
        source_format=source_format,
        sport=sport,
        sub_sport=sub,
        is_indoor=indoor,
        start_time=datetime.fromtimestamp(start, UTC),
        duration_s=float(elapsed),
        moving_time_s=float(min(moving, elapsed) if moving > 0 else elapsed),
        distance_m=float(total_distance),
        elevation_gain_m=None if ascent is None else round(ascent, 1),
        avg_hr=totals.avg_hr if totals.avg_hr is not None else _mean(hr),
        max_hr=totals.max_hr if totals.max_hr is not None else _max(hr),
        avg_cadence=totals.avg_cadence if totals.avg_cadence is not None else _mean(cad),
        samples=samples,
        name=totals.name,
        device=totals.device,
        warnings=tuple(totals.warnings),
    )


def _iso(ts: float) -> str:
    try:
        return datetime.fromtimestamp(ts, UTC).isoformat(timespec="seconds")
    except (OverflowError, OSError, ValueError):
        return repr(ts)
