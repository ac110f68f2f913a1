"""Every red flag fires through each of its presentations, and a near miss of each does not.

The cases are generated from the knowledge base (`flag_cases.py`): the cues of one
presentation answered and nothing else; then one cue changed at a time, an "is not" cue
answered, or a known rule-out added.
"""

from __future__ import annotations

from typing import Any

import pytest
from flag_cases import PresentationCase, firing, near_misses, presentation_cases

from stridewell.contract import Assessment, Level
from stridewell.knowledge import load_knowledge
from stridewell.knowledge.rules import facts_of
from stridewell.triage.engine import assess, compiled

CASES = presentation_cases()
NEAR_MISSES = [(case, what, data) for case in CASES for what, data in near_misses(case)]


def _fired(data: dict[str, Any]) -> set[str]:
    facts = facts_of(Assessment.model_validate(data))
    hits = compiled(load_knowledge()).red_flag_hits(facts)
    return {f"{h.flag.id}.{p}" for h in hits for p in h.presentations}


def test_every_flag_has_presentations_and_each_is_tested() -> None:
    assert len(CASES) >= len(load_knowledge().red_flags)
    assert all(any(c.flag.id == f.id for c in CASES) for f in load_knowledge().red_flags)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_a_presentation_fires_its_flag_and_sets_at_least_its_level(case: PresentationCase) -> None:
    data = firing(case)
    assert case.id in _fired(data), data
    report = assess(Assessment.model_validate(data))
    flag = next(f for f in report.red_flags if f.id == case.flag.id)
    level = case.flag.level_of(case.presentation)
    assert flag.level.rank >= level.rank
    assert report.triage.level.rank >= level.rank
    assert flag.because and flag.sources


@pytest.mark.parametrize(
    ("case", "what", "data"),
    NEAR_MISSES,
    ids=[f"{c.id}: {what}" for c, what, _ in NEAR_MISSES],
)
def test_a_near_miss_does_not_fire_that_presentation(
    case: PresentationCase, what: str, data: dict[str, Any]
) -> None:
    assert case.id not in _fired(data), data


@pytest.mark.parametrize(
    "case", [c for c in CASES if c.flag.level is Level.emergency], ids=lambda c: c.id
)
def test_an_emergency_presentation_stops_at_emergency_with_no_questions_left(
    case: PresentationCase,
) -> None:
    report = assess(Assessment.model_validate(firing(case)))
    if case.flag.level_of(case.presentation) is Level.emergency:
        assert report.triage.level is Level.emergency
        assert report.unanswered_safety_questions == []


SUGGESTING = [c for c in CASES if c.presentation.suggests]


@pytest.mark.parametrize("case", SUGGESTING, ids=[c.id for c in SUGGESTING])
def test_a_presentation_names_the_conditions_it_points_to_among_the_first_three(
    case: PresentationCase,
) -> None:
    report = assess(Assessment.model_validate(firing(case)))
    first_three = [c.id for c in report.conditions[:3]]
    for condition in case.presentation.suggests:
        assert condition in first_three, (condition, first_three)
        ranked = next(c for c in report.conditions if c.id == condition)
        assert any(case.flag.name.lower() in reason.lower() for reason in ranked.for_)
