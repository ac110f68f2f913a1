"""Demo data for a first look at the app, in the demo runner (`stridewell.service.demo`).

`make run` adds it to a database nobody has used yet; `stridewell demo` adds it on
request. It never goes into a real runner's records, and one step removes it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import numpy as np

from stridewell.activities.model import Activity, Samples
from stridewell.service import RunnerServices, Stridewell
from stridewell.service.shoes import ShoeValue

# Three made-up runners' assessments, written for the demo.
DEMO_ASSESSMENTS: list[dict[str, Any]] = [
    {
        "age": 42,
        "pain_score": 5,
        "locations": ["heel_bottom"],
        "onset": "gradual",
        "duration_days": 9,
        "trend": "unchanged",
        "pain_timing": ["first_steps_morning", "eases_with_warmup"],
        "history": {"weekly_km_change_pct": 35, "shoe_km": 760, "calf_tightness": True},
    },
    {
        "age": 31,
        "pain_score": 2,
        "locations": ["arch"],
        "onset": "gradual",
        "duration_days": 2,
        "trend": "improving",
        "pain_timing": ["after_run"],
        "history": {"new_shoes": True},
    },
    {
        "age": 24,
        "sex": "female",
        "pain_score": 6,
        "locations": ["top_of_foot"],
        "onset": "gradual",
        "duration_days": 11,
        "trend": "worsening",
        "pain_quality": ["pinpoint"],
        "bone_tenderness": ["metatarsal_shaft"],
        "hop_test_painful": True,
        "history": {"longest_run_spike_pct": 45, "low_energy_risk": True},
    },
]


# Worst morning pain on the plan's first days, easing as a plan should see it.
DEMO_MORNING_PAIN = (5, 4, 4, 3)
DEMO_SHOE: dict[str, ShoeValue] = {"brand": "Demo", "model": "Cruiser", "type": "neutral_cushioned",
             "start_km": 760, "is_default": True}  # fmt: skip


def add_demo(service: Stridewell, *, only_if_unused: bool = False) -> int:
    """Give the demo runner its data; returns how many assessments were added.

    Nothing is added when the demo is already there, nor, with ``only_if_unused``, when
    someone has used the database (a real runner, or a demo removed before).
    """
    if only_if_unused and not service.demo.database_is_empty():
        return 0
    if not service.demo.create():
        return 0
    return load_demo(service.demo.services())


def load_demo(runner: RunnerServices) -> int:
    """Store the demo assessments, a recovery plan from the first (the heel) with a few
    days of check-ins, and a worn pair of shoes, for ``runner`` (the demo runner);
    returns how many assessments were added."""
    ids = [runner.assessments.assess(data).id for data in DEMO_ASSESSMENTS]
    start = runner.today() - timedelta(days=len(DEMO_MORNING_PAIN) - 1)
    runner.plans.start(ids[0], start=start)
    for offset, pain in enumerate(DEMO_MORNING_PAIN):
        day = start + timedelta(days=offset)
        runner.journal.log_entry({"day": day.isoformat(), "pain_morning": pain})
    runner.shoes.add(DEMO_SHOE)
    runner.training.add_activities(demo_runs(runner.today()))
    return len(DEMO_ASSESSMENTS)


# Four weeks of running before today, enough for a training-load ratio: (days before today,
# name, km, seconds per km). The last long run is a third longer than any before it, so the
# demo shows a spike note too.
DEMO_RUNS = (
    (29, "Easy run", 6.0, 345), (25, "Hills", 7.0, 360), (22, "Long run", 10.0, 350),
    (20, "Easy run", 6.5, 340), (18, "Tempo run", 8.0, 300), (15, "Long run", 11.0, 350),
    (13, "Easy run", 6.0, 345), (11, "Hills", 7.5, 355), (8, "Long run", 12.0, 352),
    (6, "Easy run", 7.0, 338), (4, "Tempo run", 8.0, 298), (1, "Long run by the river", 16.0, 356),
)  # fmt: skip
DEMO_SAMPLE_S = 5  # one point every 5 s keeps the demo quick to add and its charts smooth


def demo_runs(today: date) -> list[Activity]:
    """The demo runner's runs: a loop route with gentle hills, heart rate and cadence."""
    return [
        _demo_run(seed, today - timedelta(days=days_ago), name, km, pace)
        for seed, (days_ago, name, km, pace) in enumerate(DEMO_RUNS)
    ]


def _demo_run(seed: int, day: date, name: str, km: float, pace_s: float) -> Activity:
    rng = np.random.default_rng(seed)
    seconds = km * pace_s
    t = np.arange(0.0, seconds + DEMO_SAMPLE_S, DEMO_SAMPLE_S)
    speed = 1000.0 / pace_s * (1 + 0.06 * np.sin(t / 240.0 + seed))
    distance = np.minimum(np.cumsum(speed * DEMO_SAMPLE_S) - speed[0] * DEMO_SAMPLE_S, km * 1000)
    radius = 0.012 + 0.002 * (seed % 3)  # degrees: loops of 1.3 to 1.8 km across
    angle = distance / (radius * 111_195.0) + seed
    lat = 46.05 + radius * np.sin(angle)
    lon = 14.50 + radius / np.cos(np.radians(46.05)) * np.cos(angle)
    altitude = 300.0 + 25.0 * np.sin(distance / 900.0 + seed)
    effort = 0.5 * (1 - np.exp(-t / 300.0)) + 0.5 * (t / max(seconds, 1.0))
    hr = 118 + 30 * effort + 6 * np.sin(t / 200.0) + rng.normal(0, 1.5, t.shape[0])
    if "Tempo" in name:
        hr += 12
    climb = np.diff(altitude)
    start = datetime.combine(day, time(7, 30 if seed % 2 else 18), tzinfo=UTC)
    return Activity(
        source_format="demo",
        sport="running",
        sub_sport=None,
        is_indoor=False,
        start_time=start,
        duration_s=float(t[-1]),
        moving_time_s=float(t[-1]),
        distance_m=float(distance[-1]),
        elevation_gain_m=float(climb[climb > 0].sum()),
        avg_hr=float(hr.mean()),
        max_hr=float(hr.max()),
        avg_cadence=float(170 + seed % 5),
        samples=Samples(
            time_s=t.astype(np.float32),
            distance_m=distance.astype(np.float32),
            heart_rate=hr.astype(np.float32),
            cadence=(170 + rng.normal(0, 2, t.shape[0])).astype(np.float32),
            altitude_m=altitude.astype(np.float32),
            lat=lat,
            lon=lon,
        ),
        name=name,
    )


def earlier_demo_shoes(runner: RunnerServices) -> list[str]:
    """The ids of the demo shoe an earlier version of `make run` put in the runner's own
    records (before the demo had a runner of its own), where, as the default pair, it
    counted the runner's imported runs."""
    return [
        shoe["id"]
        for shoe in runner.shoes.overview()["shoes"]
        if (shoe["brand"], shoe["model"], shoe["start_km"])
        == (DEMO_SHOE["brand"], DEMO_SHOE["model"], DEMO_SHOE["start_km"])
    ]


def remove_demo(service: Stridewell) -> tuple[bool, int]:
    """Remove the demo runner with everything it holds, and the demo shoe an earlier
    version left in the local runner's records (its runs then count for no pair).
    Returns whether there was a demo runner, and how many such shoes were deleted."""
    removed = service.demo.remove()
    local = service.local()
    earlier = earlier_demo_shoes(local)
    for shoe_id in earlier:
        local.shoes.delete(shoe_id)
    return removed, len(earlier)
