"""GPX 1.0 and 1.1 tracks, streamed with a hardened expat parser.

A GPX file becomes one Activity: all its tracks and segments in document order (devices
split one outing into segments or tracks at pauses; a Strava export holds one track).
Distance is summed within segments, never across a break. Points without a time still count
for distance, but an activity needs at least two distinct times. Heart rate and cadence come
from the Garmin TrackPointExtension (``gpxtpx:hr``, ``gpxtpx:cad``) and the common
``heartrate``/``cadence`` variants. A file with routes or waypoints but no track is not an
activity.
"""

from __future__ import annotations

import io
from typing import BinaryIO

import numpy as np

from .derive import Totals, Track, build_activity
from .errors import OUT_OF_MEMORY, ImportProblem
from .gpx_fast import Columns, extract
from .model import FOOT_SPORTS, Activity
from .sports import normalise
from .timestamps import parse_times
from .xmlsafe import check_xml, parse_xml

_TEXT = frozenset({"ele", "time", "hr", "heartrate", "cad", "cadence", "type", "name"})


class _Gpx:
    def __init__(self) -> None:
        self.lat: list[float] = []
        self.lon: list[float] = []
        self.ele: list[float] = []
        self.time: list[str | None] = []
        self.hr: list[float] = []
        self.cad: list[float] = []
        self.segments: list[int] = []
        self.root: str | None = None
        self.creator: str | None = None
        self.track_type: str | None = None
        self.track_name: str | None = None
        self.routes = self.waypoints = self.bad_points = 0
        self.depth_trk = self.in_pt = False
        self.in_rte = False
        self.field: str | None = None
        self.buffer: list[str] = []
        self.pt: list[float] = [np.nan, np.nan, np.nan]  # ele, hr, cad of the current point
        self.pt_time: str | None = None

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if self.root is None:
            self.root = name
            self.creator = attrs.get("creator")
        if name == "trkpt":
            try:
                lat, lon = float(attrs["lat"]), float(attrs["lon"])
            except (KeyError, ValueError):
                lat = lon = np.nan
                self.bad_points += 1
            self.lat.append(lat)
            self.lon.append(lon)
            self.in_pt = True
            self.pt = [np.nan, np.nan, np.nan]
            self.pt_time = None
        elif name == "trkseg":
            if self.lat:
                self.segments.append(len(self.lat))
        elif name == "trk":
            self.depth_trk = True
        elif name == "rte":
            self.routes += 1
            self.in_rte = True
        elif name == "wpt":
            self.waypoints += 1
        if name in _TEXT and (self.in_pt or (self.depth_trk and name in ("type", "name"))):
            self.field = name
            self.buffer = []

    def text(self, data: str) -> None:
        if self.field is not None:
            self.buffer.append(data)

    def end(self, name: str) -> None:
        if self.field is not None and name == self.field:
            value = "".join(self.buffer).strip()
            self.field = None
            if self.in_pt:  # a field given twice keeps its first value (as the fast path)
                if name == "time":
                    if self.pt_time is None:
                        self.pt_time = value
                else:
                    slot = 0 if name == "ele" else 1 if name in ("hr", "heartrate") else 2
                    if np.isnan(self.pt[slot]):
                        self.pt[slot] = _float(value)
            elif name == "type" and self.track_type is None:
                self.track_type = value or None
            elif name == "name" and self.track_name is None:
                self.track_name = value or None
        elif name == "trkpt":
            self.in_pt = False
            self.ele.append(self.pt[0])
            self.hr.append(self.pt[1])
            self.cad.append(self.pt[2])
            self.time.append(self.pt_time)
        elif name == "trk":
            self.depth_trk = False


def _float(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return float("nan")


def parse_gpx(stream: BinaryIO) -> list[Activity]:
    """Read a GPX document into one Activity, or raise ImportProblem."""
    try:
        return _parse(stream)
    except ImportProblem:
        raise
    except MemoryError:  # over the decoder's memory ceiling (pool.py)
        raise ImportProblem(OUT_OF_MEMORY) from None
    except Exception as exc:  # never let a parser bug stop a bulk import
        raise ImportProblem(f"GPX file could not be read ({type(exc).__name__}: {exc})") from exc


def _parse(stream: BinaryIO) -> list[Activity]:
    data = stream.read()
    check_xml(data, "GPX")
    doc: _Gpx | Columns | None = extract(data)
    if doc is None:  # not the plain shape the column extractor models: stream it
        doc = _Gpx()
        parse_xml(io.BytesIO(data), doc.start, doc.end, doc.text, "GPX")
    return _build(doc)


def _build(doc: _Gpx | Columns) -> list[Activity]:
    if doc.root != "gpx":
        raise ImportProblem(f"not a GPX document (root element is '{doc.root}')")
    if not len(doc.lat):
        if doc.routes or doc.waypoints:
            raise ImportProblem("GPX has routes/waypoints but no track: not an activity")
        raise ImportProblem("GPX has no track points")
    times = parse_times(doc.time)
    if bool(np.all(np.isnan(times))):
        raise ImportProblem("no records with time: the GPX track has no times")
    untimed = int(np.count_nonzero(np.isnan(times)))
    if untimed * 2 > times.shape[0]:
        # A handful of timed points cannot give the duration of the whole track.
        raise ImportProblem(f"most track points have no time ({untimed} of {times.shape[0]})")
    ele = np.array(doc.ele)
    hr = np.array(doc.hr)
    cad = np.array(doc.cad)
    track = Track(
        time=times,
        heart_rate=None if bool(np.all(np.isnan(hr))) else hr,
        cadence=None if bool(np.all(np.isnan(cad))) else cad,
        altitude=None if bool(np.all(np.isnan(ele))) else ele,
        lat=np.array(doc.lat),
        lon=np.array(doc.lon),
        segment_starts=doc.segments,
    )
    warnings = []
    if doc.bad_points:
        warnings.append(f"{doc.bad_points} track points without a valid position")
    if untimed:
        warnings.append(f"{untimed} of {times.shape[0]} track points have no time")
    totals = Totals(
        raw_sport=doc.track_type,
        name=doc.track_name,
        device=doc.creator,
        warnings=warnings,
    )
    sport, _, _ = normalise(doc.track_type)
    if track.cadence is not None and sport in FOOT_SPORTS and float(np.nanmedian(cad)) < 120:
        # Garmin's extension carries the FIT value (strides per minute) for runs and walks.
        track.cadence = track.cadence * 2.0
    return [build_activity("gpx", track, totals)]
