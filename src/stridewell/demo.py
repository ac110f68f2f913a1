"""Demo data for a first look at the app, in the demo runner (`stridewell.service.demo`).

`make run` adds it to a database nobody has used yet; `stridewell demo` adds it on
request. It never goes into a real runner's records, and one step removes it.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

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
    return len(DEMO_ASSESSMENTS)


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
