"""Garmin Training Center XML (TCX), streamed with a hardened expat parser.

One Activity per ``<Activity>`` element, including each leg of a ``<MultiSportSession>``.
Totals follow the file: distance is the sum of the laps' ``DistanceMeters`` (else the last
trackpoint distance, else positions), moving time the sum of the laps' ``TotalTimeSeconds``
(the device's timer time), elapsed time first to last trackpoint. ``RunCadence`` in Garmin's
extension is in strides per minute like FIT and is doubled for foot sports; ``Cadence`` is
the bike's revolutions per minute. A file holding only courses is not an activity.
"""

from __future__ import annotations

from typing import BinaryIO

import numpy as np

from .derive import Totals, Track, build_activity
from .errors import OUT_OF_MEMORY, ImportProblem
from .model import F64, FOOT_SPORTS, Activity
from .sports import normalise
from .timestamps import parse_times
from .xmlsafe import parse_xml

# Trackpoint children -> column; the numeric ones are parsed as floats.
_POINT = {
    "LatitudeDegrees": 0,
    "LongitudeDegrees": 1,
    "AltitudeMeters": 2,
    "DistanceMeters": 3,
    "Cadence": 5,
    "RunCadence": 6,
}
_COLUMNS = 7  # lat, lon, alt, distance, heart rate, bike cadence, run cadence
_LAP = frozenset({"TotalTimeSeconds", "DistanceMeters"})


class _Run:
    """One <Activity> being read."""

    def __init__(self, sport: str | None) -> None:
        self.sport = sport
        self.points: list[list[float]] = []
        self.times: list[str | None] = []
        self.lap_time = 0.0
        self.lap_distance = 0.0
        self.laps = 0
        self.device: str | None = None
        self.name: str | None = None


class _Tcx:
    def __init__(self) -> None:
        self.root: str | None = None
        self.runs: list[_Run] = []
        self.run: _Run | None = None
        self.courses = 0
        self.path: list[str] = []
        self.buffer: list[str] = []
        self.point: list[float] | None = None
        self.point_time: str | None = None
        self.collect = False

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if self.root is None:
            self.root = name
        parent = self.path[-1] if self.path else ""
        self.path.append(name)
        if name == "Activity":
            self.run = _Run(attrs.get("Sport"))
        elif name == "Course":
            self.courses += 1
        elif self.run is None:
            return
        elif name == "Trackpoint":
            self.point = [np.nan] * _COLUMNS
            self.point_time = None
        elif name == "Lap":
            self.run.laps += 1
        self.collect = self.run is not None and (
            name in ("Time", "Value", "Notes")
            or (self.point is not None and name in _POINT)
            or (parent == "Lap" and name in _LAP)
            or (parent == "Creator" and name == "Name")
        )
        self.buffer = []

    def text(self, data: str) -> None:
        if self.collect:
            self.buffer.append(data)

    def end(self, name: str) -> None:
        self.path.pop()
        parent = self.path[-1] if self.path else ""
        run = self.run
        if run is None:
            return
        value = "".join(self.buffer).strip() if self.collect else ""
        self.collect = False
        if name == "Activity":
            self.runs.append(run)
            self.run = None
        elif name == "Trackpoint" and self.point is not None:
            run.points.append(self.point)
            run.times.append(self.point_time)
            self.point = None
        elif self.point is not None:
            if name == "Time":
                self.point_time = value
            elif name in _POINT:
                self.point[_POINT[name]] = _float(value)
            elif name == "Value" and parent == "HeartRateBpm":
                self.point[4] = _float(value)
        elif parent == "Lap" and name == "TotalTimeSeconds":
            run.lap_time += _float(value, 0.0)
        elif parent == "Lap" and name == "DistanceMeters":
            run.lap_distance += _float(value, 0.0)
        elif parent == "Creator" and name == "Name":
            run.device = value or None
        elif parent == "Activity" and name == "Notes":
            run.name = value or None


def _float(text: str, default: float = np.nan) -> float:
    try:
        return float(text)
    except ValueError:
        return default


def parse_tcx(stream: BinaryIO) -> list[Activity]:
    """Read a TCX document into Activities, or raise ImportProblem."""
    try:
        return _parse(stream)
    except ImportProblem:
        raise
    except MemoryError:  # over the decoder's memory ceiling (pool.py)
        raise ImportProblem(OUT_OF_MEMORY) from None
    except Exception as exc:  # never let a parser bug stop a bulk import
        raise ImportProblem(f"TCX file could not be read ({type(exc).__name__}: {exc})") from exc


def _parse(stream: BinaryIO) -> list[Activity]:
    doc = _Tcx()
    parse_xml(stream, doc.start, doc.end, doc.text, "TCX")
    if doc.root != "TrainingCenterDatabase":
        raise ImportProblem(f"not a TCX document (root element is '{doc.root}')")
    if not doc.runs:
        if doc.courses:
            raise ImportProblem("TCX has courses but no activity: not an activity")
        raise ImportProblem("TCX has no activity")
    activities: list[Activity] = []
    problems: list[str] = []
    for run in doc.runs:
        try:
            activities.append(_activity(run))
        except ImportProblem as exc:
            problems.append(exc.reason)
    if not activities:
        raise ImportProblem(problems[0])
    return activities


def _activity(run: _Run) -> Activity:
    if not run.points:
        raise ImportProblem("no records with time: the TCX activity has no trackpoints")
    data = np.array(run.points, dtype=np.float64)
    times = parse_times(run.times)

    def column(i: int) -> F64 | None:
        values = data[:, i]
        return None if bool(np.all(np.isnan(values))) else values

    sport, _, _ = normalise(run.sport)
    run_cadence = column(6)
    cadence: F64 | None
    if run_cadence is not None:
        cadence = run_cadence * (2.0 if sport in FOOT_SPORTS else 1.0)
    else:
        cadence = column(5)
    has_position = column(0) is not None and column(1) is not None
    track = Track(
        time=times,
        distance=column(3),
        heart_rate=column(4),
        cadence=cadence,
        altitude=column(2),
        lat=data[:, 0] if has_position else None,
        lon=data[:, 1] if has_position else None,
    )
    totals = Totals(
        raw_sport=run.sport,
        distance_m=run.lap_distance if run.lap_distance > 0 else None,
        moving_s=run.lap_time if run.lap_time > 0 else None,
        name=run.name,
        device=run.device,
    )
    return build_activity("tcx", track, totals)
