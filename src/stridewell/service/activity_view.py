"""Activities as a runner reads them: a name, date, distance, time, pace, heart rate and
shoe for the list; for one activity also its route and its pace, heart rate and
elevation over time, thinned to what a chart can show.

Plain records with the numbers (for the JSON API) and the words the pages print
(``distance_text``, ``pace_text`` ...), so a template never formats a number itself.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

from stridewell.text import time_words

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from stridewell.activities.model import Samples
    from stridewell.shoes.model import Shoe
    from stridewell.storage.records import StoredActivity

# Sports a pace (minutes per km) is the natural measure of; others get a speed.
FOOT_SPORTS = frozenset({"running", "walking", "hiking", "mountaineering", "snowshoeing"})
# What an activity of each sport is called in a default name ("Morning run").
SPORT_NOUNS = {
    "running": "run",
    "walking": "walk",
    "hiking": "hike",
    "cycling": "ride",
    "e_biking": "ride",
    "swimming": "swim",
    "rowing": "row",
    "cross_country_skiing": "ski",
    "alpine_skiing": "ski",
}
CHART_POINTS = 240  # a value per ~2 px of a chart: more would only add bytes
ROUTE_POINTS = 600
SLOWEST_PACE_S = 30 * 60  # slower than 30 min/km is standing, not running: left as a gap


@dataclass(frozen=True)
class ShoeChoice:
    """One of the runner's pairs, as a run's shoe or an option to choose."""

    id: str
    name: str
    retired: bool


@dataclass(frozen=True)
class ActivityItem:
    """One activity as a row of the list (and the head of its own page)."""

    id: str
    name: str
    sport: str
    sport_label: str
    is_indoor: bool
    start: datetime  # in the runner's time zone
    distance_km: float
    duration_s: float
    moving_time_s: float
    pace_s_per_km: float | None  # foot sports only
    speed_kmh: float | None  # other sports only
    avg_hr: int | None
    shoe: ShoeChoice | None
    shoe_chosen: bool  # the run names its shoe (else it counts for the default pair)

    @property
    def when_text(self) -> str:
        return time_words(self.start)

    @property
    def distance_text(self) -> str:
        return f"{self.distance_km:.2f} km" if self.distance_km > 0 else "–"

    @property
    def duration_text(self) -> str:
        return clock_text(self.moving_time_s or self.duration_s)

    @property
    def pace_text(self) -> str:
        if self.pace_s_per_km is not None:
            return f"{clock_text(self.pace_s_per_km)} /km"
        return f"{self.speed_kmh:.1f} km/h" if self.speed_kmh is not None else "–"

    @property
    def hr_text(self) -> str:
        return f"{self.avg_hr} bpm" if self.avg_hr is not None else "–"


@dataclass(frozen=True)
class Series:
    """One measure over the activity's time: seconds from the start, and the value at
    each (None where the device recorded nothing or the runner stood still)."""

    time_s: tuple[float, ...]
    values: tuple[float | None, ...]


@dataclass(frozen=True)
class ActivityDetail:
    """One activity's page: its row, the rest of its summary, route, series and the
    shoes its runner can say it was run in."""

    item: ActivityItem
    elevation_gain_m: float | None
    max_hr: int | None
    avg_cadence: int | None
    device: str | None
    route: tuple[tuple[float, float], ...]  # (latitude, longitude), thinned
    pace: Series | None
    heart_rate: Series | None
    elevation: Series | None
    shoe_choices: tuple[ShoeChoice, ...]


def clock_text(seconds: float) -> str:
    """'47:05' or '1:02:03'."""
    total = round(max(0.0, seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def sport_label(sport: str) -> str:
    noun = SPORT_NOUNS.get(sport)
    return noun.capitalize() if noun else sport.replace("_", " ").capitalize()


def default_name(sport: str, start: datetime) -> str:
    """What Strava and Garmin call an unnamed activity: 'Morning run', 'Evening ride'."""
    part = "Night"
    for first_hour, word in ((5, "Morning"), (12, "Afternoon"), (17, "Evening"), (22, "Night")):
        if start.hour >= first_hour:
            part = word
    return f"{part} {SPORT_NOUNS.get(sport, 'activity')}"


def shoe_choice(shoe: Shoe) -> ShoeChoice:
    name = shoe.nickname or f"{shoe.brand} {shoe.model}".strip()
    return ShoeChoice(id=shoe.id, name=name, retired=shoe.retired is not None)


def activity_item(activity: StoredActivity, shoes: list[Shoe], tz: tzinfo) -> ActivityItem:
    """The row of the list for a stored activity; its shoe as shoe mileage counts it."""
    from stridewell.shoes.mileage import shoe_for

    start = activity.start_time.astimezone(tz)
    name = (activity.name or "").strip() or default_name(activity.sport, start)
    km = activity.distance_m / 1000
    moving = activity.moving_time_s or activity.duration_s
    foot = activity.sport in FOOT_SPORTS
    shoe = shoe_for(activity.shoe_id, start.date(), shoes) if activity.sport == "running" else None
    return ActivityItem(
        id=activity.id,
        name=name,
        sport=activity.sport,
        sport_label=sport_label(activity.sport),
        is_indoor=activity.is_indoor,
        start=start,
        distance_km=km,
        duration_s=activity.duration_s,
        moving_time_s=activity.moving_time_s,
        # From distance and time whenever both are there, however short the outing.
        pace_s_per_km=moving / km if foot and km > 0 and moving > 0 else None,
        speed_kmh=km / (moving / 3600) if not foot and km > 0 and moving > 0 else None,
        avg_hr=_whole(activity.avg_hr),
        shoe=None if shoe is None else shoe_choice(shoe),
        shoe_chosen=activity.shoe_id is not None and shoe is not None,
    )


def activity_detail(
    activity: StoredActivity, samples: Samples | None, shoes: list[Shoe], tz: tzinfo
) -> ActivityDetail:
    item = activity_item(activity, shoes, tz)
    route: tuple[tuple[float, float], ...] = ()
    pace = heart = elevation = None
    if samples is not None and len(samples) > 1:
        route = _route(samples)
        edges = _bucket_edges(samples.time_s)
        if samples.distance_m is not None and item.pace_s_per_km is not None:
            pace = _pace_series(samples.time_s, samples.distance_m, edges)
        if samples.heart_rate is not None:
            heart = _mean_series(samples.time_s, samples.heart_rate, edges)
        if samples.altitude_m is not None:
            elevation = _mean_series(samples.time_s, samples.altitude_m, edges)
    return ActivityDetail(
        item=item,
        elevation_gain_m=activity.elevation_gain_m,
        max_hr=_whole(activity.max_hr),
        avg_cadence=_whole(activity.avg_cadence),
        device=_device_words(activity.device),
        route=route,
        pace=pace,
        heart_rate=heart,
        elevation=elevation,
        # A retired pair is no choice for a run, unless the run was in it.
        shoe_choices=tuple(
            shoe_choice(s)
            for s in shoes
            if s.retired is None or (item.shoe and item.shoe.id == s.id)
        ),
    )


def _device_words(device: str | None) -> str | None:
    """The recording device or app, without a web address some GPX creators add
    ('GPSBabel - http://www.gpsbabel.org' -> 'GPSBabel')."""
    name = (device or "").split("http", 1)[0].strip(" -–(")
    # "Garmin product 1436": only the maker's number for the model, which says nothing.
    if re.fullmatch(r".* product \d+", name):
        return None
    return name or None


def _whole(value: float | None) -> int | None:
    return None if value is None or not math.isfinite(value) else round(value)


def _route(samples: Samples) -> tuple[tuple[float, float], ...]:
    import numpy as np

    if samples.lat is None or samples.lon is None:
        return ()
    ok = np.isfinite(samples.lat) & np.isfinite(samples.lon)
    ok &= (np.abs(samples.lat) <= 90) & (np.abs(samples.lon) <= 180)
    lat, lon = samples.lat[ok], samples.lon[ok]
    if lat.shape[0] < 2:
        return ()
    keep = np.unique(np.linspace(0, lat.shape[0] - 1, min(ROUTE_POINTS, lat.shape[0])).round())
    idx = keep.astype(np.int64)
    return tuple(zip(lat[idx].tolist(), lon[idx].tolist(), strict=True))


def _bucket_edges(time_s: npt.NDArray[np.float32]) -> npt.NDArray[np.int64]:
    """Sample indices splitting the activity into equal stretches of time."""
    import numpy as np

    times = time_s.astype(np.float64)
    bounds = np.linspace(float(times[0]), float(times[-1]), CHART_POINTS + 1)
    return np.unique(np.searchsorted(times, bounds, side="left").clip(0, len(times) - 1))


def _mean_series(
    time_s: npt.NDArray[np.float32], values: npt.NDArray[np.float32], edges: npt.NDArray[np.int64]
) -> Series | None:
    import numpy as np

    out_t: list[float] = []
    out_v: list[float | None] = []
    for lo, hi in zip(edges[:-1].tolist(), edges[1:].tolist(), strict=True):
        chunk = values[lo : max(hi, lo + 1)].astype(np.float64)
        good = chunk[np.isfinite(chunk)]
        out_t.append(float(time_s[lo]))
        out_v.append(float(good.mean()) if good.shape[0] else None)
    if not any(v is not None for v in out_v):
        return None
    return Series(tuple(out_t), tuple(out_v))


def _pace_series(
    time_s: npt.NDArray[np.float32],
    distance_m: npt.NDArray[np.float32],
    edges: npt.NDArray[np.int64],
) -> Series | None:
    """Seconds per km over each stretch, from the distance covered in it."""
    import numpy as np

    times = time_s.astype(np.float64)
    dist = distance_m.astype(np.float64)
    out_t: list[float] = []
    out_v: list[float | None] = []
    for lo, hi in zip(edges[:-1].tolist(), edges[1:].tolist(), strict=True):
        seconds, metres = times[hi] - times[lo], dist[hi] - dist[lo]
        pace = seconds / metres * 1000 if np.isfinite(metres) and metres > 0.5 else math.inf
        out_t.append(float(times[lo]))
        out_v.append(pace if pace <= SLOWEST_PACE_S else None)
    if not any(v is not None for v in out_v):
        return None
    return Series(tuple(out_t), _smoothed(out_v))


def _smoothed(values: list[float | None], half: int = 2) -> tuple[float | None, ...]:
    """A centred mean over 2 * half + 1 stretches (GPS distance jitters from one stretch to
    the next); a gap stays a gap."""
    out: list[float | None] = []
    for i, value in enumerate(values):
        near = [v for v in values[max(0, i - half) : i + half + 1] if v is not None]
        out.append(None if value is None else sum(near) / len(near))
    return tuple(out)
