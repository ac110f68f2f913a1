"""Garmin FIT activities: decoded messages (see fit_decode) turned into Activities.

One Activity per session message: a multisport file (triathlon) gives one per leg and per
transition, so a run leg counts as running and a bike leg as cycling. A file without any
session message (cut short, or written by a device that never closes it) gives one Activity
computed from its records. Chained FIT files are read one after another; chained files that
are not activities (settings, a course) are ignored when an activity is present.
"""

from __future__ import annotations

from dataclasses import replace
from typing import BinaryIO

import numpy as np

from .derive import Totals, Track, build_activity
from .errors import OUT_OF_MEMORY, ImportProblem
from .fit_decode import F64, MAX_SEGMENTS, TIMESTAMP, FitError, Segment, Table, decode
from .model import FOOT_SPORTS, Activity
from .sports import fit_names, normalise

FIT_EPOCH = 631065600  # 1989-12-31T00:00:00Z in Unix seconds
RELATIVE_LIMIT = 0x10000000  # FIT date_time values below this count from device power-on
SEMICIRCLE_DEG = 180.0 / 2**31

FILE_ID, SPORT, SESSION, LAP, RECORD, ACTIVITY = 0, 12, 18, 19, 20, 34
ACTIVITY_FILE = 4
FILE_TYPES = {
    1: "device",
    2: "settings",
    3: "sport",
    5: "workout",
    6: "course",
    7: "schedules",
    9: "weight",
    10: "totals",
    11: "goals",
    14: "blood_pressure",
    15: "monitoring_a",
    20: "activity_summary",
    28: "monitoring_daily",
    32: "monitoring_b",
    34: "segment",
    35: "segment_list",
}
MANUFACTURERS = {
    1: "Garmin",
    13: "Dynastream",
    15: "Dynastream",
    23: "Suunto",
    32: "Wahoo",
    70: "Sigma",
    71: "TomTom",
    89: "Tacx",
    95: "Stryd",
    123: "Polar",
    255: "development",
    260: "Zwift",
    265: "Strava",
    267: "Bryton",
    289: "Hammerhead",
    294: "Coros",
}


def parse_fit(stream: BinaryIO, check_crc: bool = True) -> list[Activity]:
    """Read a FIT file (possibly chained) into Activities, or raise ImportProblem."""
    return parse_fit_bytes(stream.read(), check_crc=check_crc)


def parse_fit_bytes(
    buf: bytes, check_crc: bool = True, max_segments: int = MAX_SEGMENTS
) -> list[Activity]:
    try:
        return _parse(buf, check_crc, max_segments)
    except ImportProblem:
        raise
    except FitError as exc:
        raise ImportProblem(str(exc)) from exc
    except MemoryError:  # over the decoder's memory ceiling (pool.py)
        raise ImportProblem(OUT_OF_MEMORY) from None
    except Exception as exc:  # a decoder bug must not stop a bulk import
        raise ImportProblem(f"FIT file could not be read ({type(exc).__name__}: {exc})") from exc


def _parse(buf: bytes, check_crc: bool, max_segments: int) -> list[Activity]:
    segments = decode(buf, check_crc=check_crc, max_segments=max_segments)
    activities: list[Activity] = []
    problems: list[str] = []
    for segment in segments:
        if not segment.tables and not segment.warnings:
            continue  # a chained file with nothing we read (device data): nothing to say
        try:
            activities.extend(_segment_activities(segment))
        except ImportProblem as exc:
            problems.append(exc.reason)
    if activities:
        if problems:
            # A broken or non-activity file chained after the activity: say it was skipped.
            extra = tuple(f"a chained FIT file was skipped: {p}" for p in problems)
            activities = [replace(a, warnings=a.warnings + extra) for a in activities]
        return activities
    if problems:
        raise ImportProblem(problems[0])
    raise ImportProblem("no records with time")


def _segment_activities(segment: Segment) -> list[Activity]:
    tables = segment.tables
    file_id = tables.get(FILE_ID)
    file_type = file_id.first(0) if file_id is not None else None
    if file_type is not None and int(file_type) != ACTIVITY_FILE:
        name = FILE_TYPES.get(int(file_type), f"type {int(file_type)}")
        raise ImportProblem(f"not an activity: FIT file type is '{name}'")
    warnings = list(segment.warnings)
    if file_id is None:
        warnings.append("FIT file has no file_id message")
    records = tables.get(RECORD)
    if records is None or records.n == 0:
        raise ImportProblem(_no_records(segment))
    times = records.column(TIMESTAMP)
    if bool(np.all(np.isnan(times))):
        raise ImportProblem(_no_records(segment))
    shift = _clock_shift(tables, times, warnings)
    track = _track(records, times + shift)
    device = _device(file_id)
    sessions = tables.get(SESSION)
    if sessions is None or sessions.n == 0:
        totals = _fallback_totals(tables, warnings, device)
        warnings.append("no session message: totals computed from the records")
        return [build_activity("fit", _with_cadence(track, totals), totals)]
    activities = []
    for i in range(sessions.n):
        totals, window = _session_totals(tables, sessions, i, shift, warnings, device)
        part = track if sessions.n == 1 else _cut(track, *window)
        if part is None:
            continue  # a session without records is not reported (never 0 records)
        activities.append(build_activity("fit", _with_cadence(part, totals), totals))
    if not activities:
        raise ImportProblem("no records with time inside any session")
    return activities


def _no_records(segment: Segment) -> str:
    truncated = [w for w in segment.warnings if "truncated" in w or "damaged" in w]
    return truncated[0] + "; no records with time" if truncated else "no records with time"


def _clock_shift(tables: dict[int, Table], times: F64, warnings: list[str]) -> float:
    """Seconds to add to raw FIT times to get Unix time.

    Devices without a set clock (FR70-era) write times relative to power-on. The activity
    message's local_timestamp then gives the wall clock, in local time: the UTC offset is
    unknown, so the start may be off by the time zone, and the activity says so.
    """
    if float(np.nanmax(times)) >= RELATIVE_LIMIT:
        return float(FIT_EPOCH)
    activity = tables.get(ACTIVITY)
    if activity is not None:
        ts, local = activity.first(TIMESTAMP), activity.first(5)
        if ts is not None and local is not None and local >= RELATIVE_LIMIT:
            warnings.append(
                "FIT times count from device power-on; placed with the device's local clock "
                "(UTC offset unknown)"
            )
            return float(FIT_EPOCH) + local - ts
    raise ImportProblem("FIT times count from device power-on and the file has no clock reference")


def _track(records: Table, times: F64) -> Track:
    distance = records.numbers.get(5)
    if distance is not None:
        distance = distance / 100.0
    if (distance is None or bool(np.all(np.isnan(distance)))) and 8 in records.raw:
        distance = _compressed_distance(records.raw[8])
    altitude = records.numbers.get(78)
    if altitude is None or bool(np.all(np.isnan(altitude))):
        altitude = records.numbers.get(2)
    lat, lon = records.numbers.get(0), records.numbers.get(1)
    cadence = records.numbers.get(4)
    if cadence is not None and 53 in records.numbers:
        cadence = cadence + np.nan_to_num(records.numbers[53] / 128.0)
    return Track(
        time=times,
        distance=distance,
        heart_rate=records.numbers.get(3),
        cadence=cadence,
        altitude=None if altitude is None else altitude / 5.0 - 500.0,
        lat=None if lat is None or lon is None else lat * SEMICIRCLE_DEG,
        lon=None if lat is None or lon is None else lon * SEMICIRCLE_DEG,
    )


def _compressed_distance(raw: np.ndarray) -> F64 | None:
    """Record field 8 (FR70 style): 12-bit speed, then a 12-bit rolling distance in 1/16 m."""
    if raw.shape[1] < 3:
        return None
    b = raw[:, :3].astype(np.int64)
    valid = ~np.all(b == 0xFF, axis=1)
    if not bool(valid.any()):
        return None
    rolling = (b[:, 1] >> 4) | (b[:, 2] << 4)
    step = np.diff(rolling[valid]) % 4096  # the counter wraps at 4096/16 = 256 m
    out = np.full(raw.shape[0], np.nan)
    out[valid] = np.concatenate(([0.0], np.cumsum(step) / 16.0))
    return out


def _cut(track: Track, start: float, stop: float) -> Track | None:
    keep = (track.time >= start - 1) & (track.time <= stop + 1)
    if not bool(keep.any()):
        return None

    def sub(values: F64 | None) -> F64 | None:
        return None if values is None else values[keep]

    distance = sub(track.distance)
    if distance is not None and bool(np.any(~np.isnan(distance))):
        distance = distance - np.nanmin(distance)  # a later leg starts at 0 on its chart
    return Track(
        time=track.time[keep],
        distance=distance,
        heart_rate=sub(track.heart_rate),
        cadence=sub(track.cadence),
        altitude=sub(track.altitude),
        lat=sub(track.lat),
        lon=sub(track.lon),
    )


def _cadence_factor(totals: Totals) -> float:
    """FIT counts running and walking cadence in strides (one foot) per minute; Stridewell
    reports steps per minute, so foot sports are doubled, here and only here."""
    sport, _, _ = normalise(totals.raw_sport, totals.raw_sub_sport)
    return 2.0 if sport in FOOT_SPORTS else 1.0


def _with_cadence(track: Track, totals: Totals) -> Track:
    factor = _cadence_factor(totals)
    if totals.avg_cadence is not None:
        totals.avg_cadence *= factor
    if track.cadence is not None and factor != 1.0:
        track = replace(track, cadence=track.cadence * factor)
    return track


def _sport_from(tables: dict[int, Table], index: int) -> tuple[str | None, str | None]:
    for num, sport_field, sub_field in ((SPORT, 0, 1), (LAP, 25, 39)):
        table = tables.get(num)
        if table is not None and table.n:
            row = min(index, table.n - 1) if num == SPORT else 0
            sport, sub = fit_names(table.column(sport_field)[row], table.column(sub_field)[row])
            if sport is not None:
                return sport, sub
    return None, None


def _fallback_totals(tables: dict[int, Table], warnings: list[str], device: str | None) -> Totals:
    sport, sub = _sport_from(tables, 0)
    sport_table = tables.get(SPORT)
    name = sport_table.strings.get(3, [None])[0] if sport_table is not None else None
    return Totals(raw_sport=sport, raw_sub_sport=sub, name=name, device=device, warnings=warnings)


def _session_totals(
    tables: dict[int, Table],
    sessions: Table,
    i: int,
    shift: float,
    warnings: list[str],
    device: str | None,
) -> tuple[Totals, tuple[float, float]]:
    def value(num: int, scale: float = 1.0) -> float | None:
        v = float(sessions.column(num)[i])
        return None if v != v else v / scale

    sport, sub = fit_names(value(5), value(6))
    if sport is None or sport == "generic":
        fallback, fallback_sub = _sport_from(tables, i)
        if fallback is not None:
            sport, sub = fallback, sub or fallback_sub
    elapsed, timer = value(7, 1000.0), value(8, 1000.0)
    moving = value(59, 1000.0) or timer
    start = value(2)
    if start is None and value(TIMESTAMP) is not None and elapsed is not None:
        start = value(TIMESTAMP) - elapsed  # type: ignore[operator]
    cadence = value(18)
    if cadence is not None and value(92) is not None:
        cadence += value(92, 128.0)  # type: ignore[operator]
    names = sessions.strings.get(110, [None] * sessions.n)
    sport_table = tables.get(SPORT)
    sport_names = sport_table.strings.get(3, []) if sport_table is not None else []
    name = names[i] or (sport_names[min(i, len(sport_names) - 1)] if sport_names else None)
    totals = Totals(
        raw_sport=sport,
        raw_sub_sport=sub,
        start=None if start is None else start + shift,
        elapsed_s=elapsed,
        moving_s=moving,
        distance_m=value(9, 100.0),
        ascent_m=value(22),
        avg_hr=value(16),
        max_hr=value(17),
        avg_cadence=cadence if cadence else None,
        name=name,
        device=device,
        warnings=list(warnings),
    )
    begin = totals.start if totals.start is not None else -np.inf
    end = begin + elapsed if elapsed is not None else np.inf
    return totals, (begin, end)


def _device(file_id: Table | None) -> str | None:
    if file_id is None:
        return None
    maker = file_id.first(1)
    product = file_id.strings.get(8, [None])[0]
    number = file_id.first(2)
    parts = []
    if maker is not None:
        parts.append(MANUFACTURERS.get(int(maker), f"manufacturer {int(maker)}"))
    if product:
        parts.append(product)
    elif number is not None:
        parts.append(f"product {int(number)}")
    return " ".join(parts) or None
