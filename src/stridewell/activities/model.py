"""Stridewell's own activity model, independent of the file format it came from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np
import numpy.typing as npt

F32 = npt.NDArray[np.float32]
F64 = npt.NDArray[np.float64]

SPORTS = (
    "running",
    "cycling",
    "walking",
    "hiking",
    "swimming",
    "skiing",
    "paddling",
    "rowing",
    "fitness",
    "other",
)

# Sports whose cadence is counted in steps. FIT stores their cadence as strides (one foot)
# per minute; the parsers double it
# (fit._cadence_factor; likewise for Garmin extension cadence in GPX and TCX).
FOOT_SPORTS = frozenset({"running", "walking", "hiking"})

# Fingerprint families: a watch may call a run "trail running" and a phone "running", or a
# hike "walking"; they are still the same outing.
_FAMILY = {"hiking": "walking"}

_FINGERPRINT_KM_STEP = 1.0


@dataclass(frozen=True, eq=False)
class Samples:
    """Per-second (or per-point) series for charts, one NumPy array per channel.

    ``time_s`` is the offset from ``Activity.start_time`` in seconds (float32: exact to a few
    milliseconds over a day). Channels the file does not carry are ``None``; missing values
    inside a channel are NaN. Positions are float64 degrees, everything else float32.
    """

    time_s: F32
    distance_m: F32 | None = None
    heart_rate: F32 | None = None
    cadence: F32 | None = None
    altitude_m: F32 | None = None
    lat: F64 | None = None
    lon: F64 | None = None

    def __len__(self) -> int:
        return int(self.time_s.shape[0])

    @property
    def nbytes(self) -> int:
        arrays = (self.time_s, self.distance_m, self.heart_rate, self.cadence, self.altitude_m)
        total = sum(a.nbytes for a in arrays if a is not None)
        return total + sum(a.nbytes for a in (self.lat, self.lon) if a is not None)


@dataclass(frozen=True)
class Activity:
    """One imported activity (a run, a ride, one leg of a multisport session...).

    Units: seconds, metres, beats per minute. ``avg_cadence`` is steps per minute for foot
    sports (running, walking, hiking) and revolutions or strokes per minute otherwise.
    ``duration_s`` is elapsed wall time from first to last sample (or the device's session
    total), ``moving_time_s`` excludes pauses and standing still.
    """

    source_format: str
    sport: str
    sub_sport: str | None
    is_indoor: bool
    start_time: datetime
    duration_s: float
    moving_time_s: float
    distance_m: float
    elevation_gain_m: float | None
    avg_hr: float | None
    max_hr: float | None
    avg_cadence: float | None
    samples: Samples
    name: str | None = None
    device: str | None = None
    warnings: tuple[str, ...] = ()
    gear: str | None = None
    source_name: str | None = None
    external_id: str | None = None

    @property
    def avg_pace_s_per_km(self) -> float | None:
        """Moving time per kilometre, or None when the activity has no distance."""
        if self.distance_m <= 0 or self.moving_time_s <= 0:
            return None
        return self.moving_time_s / (self.distance_m / 1000.0)

    @property
    def end_time(self) -> datetime:
        return self.start_time + timedelta(seconds=self.duration_s)

    @property
    def sport_family(self) -> str:
        return _FAMILY.get(self.sport, self.sport)

    def fingerprint(self) -> str:
        """A key that is equal for the same outing recorded or exported twice.

        Rule: sport family, start time in UTC truncated to the minute, and distance rounded
        to the nearest kilometre, as ``"running|2024-05-01T06:30|10"``. Two sources of one run
        differ by a few seconds and a few per cent of distance, which can straddle a rounding
        edge, so matching is tolerant: see ``fingerprint_neighbours``.
        """
        return _fingerprint(self.sport_family, self.start_time, self.distance_m)

    def fingerprint_neighbours(self) -> frozenset[str]:
        """Fingerprints this activity matches: its own, with start one minute either side and
        distance one kilometre bucket either side (9 keys). Two activities are duplicates when
        one's fingerprint is among the other's neighbours."""
        keys = set()
        for minutes in (-1, 0, 1):
            start = self.start_time + timedelta(minutes=minutes)
            for km in (-1.0, 0.0, 1.0):
                distance = self.distance_m + km * _FINGERPRINT_KM_STEP * 1000.0
                keys.add(_fingerprint(self.sport_family, start, max(distance, 0.0)))
        return frozenset(keys)


def _fingerprint(family: str, start: datetime, distance_m: float) -> str:
    minute = start.astimezone(UTC).strftime("%Y-%m-%dT%H:%M")
    return f"{family}|{minute}|{round(distance_m / (_FINGERPRINT_KM_STEP * 1000.0))}"
