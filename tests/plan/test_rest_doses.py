"""Days without running never dose an exercise "before a run" or "after runs", and a rest
day has one calf stretch, not two (review 12, A4)."""

from __future__ import annotations

import re
from datetime import date

from stridewell.knowledge.loader import load_knowledge
from stridewell.plan.engine import build_plan
from stridewell.plan.model import Phase
from stridewell.service import Stridewell

HEEL_THREE_WEEKS = {
    "age": 46, "pain_score": 6, "locations": ["heel_bottom"], "onset": "gradual",
    "duration_days": 21, "trend": "unchanged",
    "pain_timing": ["first_steps_morning", "after_rest", "eases_with_warmup"],
    "pain_quality": ["sharp"],
}  # fmt: skip
START = date(2026, 11, 2)
RUNNING_WORDS = re.compile(r"\b(run|runs|running)\b", re.IGNORECASE)
CALF_STRETCHES = {"calf_stretch", "soleus_stretch"}


def _plan() -> object:
    report = Stridewell().triage(HEEL_THREE_WEEKS)
    return build_plan(report, START, [], START, duration_days=21)


def test_no_dose_in_the_first_week_mentions_running() -> None:
    plan = _plan()
    first_week = plan.days[:7]  # type: ignore[attr-defined]
    assert {d.phase for d in first_week} <= {Phase.protect, Phase.mobilise}
    doses = [t.dose for d in first_week for t in d.tasks if t.dose]
    assert any("circles" in dose for dose in doses)  # the ankle circles are still there
    for dose in doses:
        assert not RUNNING_WORDS.search(dose), dose


def test_each_exercise_that_mentions_running_has_a_rest_dose_that_does_not() -> None:
    for ex in load_knowledge().exercises:
        if RUNNING_WORDS.search(ex.dose):
            assert ex.rest_dose, ex.id
            assert not RUNNING_WORDS.search(ex.rest_dose), ex.id


def test_a_day_without_running_has_one_calf_stretch() -> None:
    plan = _plan()
    for day in plan.days[:7]:  # type: ignore[attr-defined]
        stretches = [t.exercise_id for t in day.tasks if t.exercise_id in CALF_STRETCHES]
        assert len(stretches) <= 1, stretches
