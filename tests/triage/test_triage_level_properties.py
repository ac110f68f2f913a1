"""Properties of the triage level over generated assessments (contract 1.1).

- The level is never below the most urgent red flag fired, nor below the minimum level of
  the condition ranked first.
- A red flag's emergency presentation stays an emergency when any answer other than its
  own cues is left blank: a blank is "not known", and only known answers rule out.
"""

from __future__ import annotations

from typing import Any

from flag_cases import firing, presentation_cases, satisfy
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from stridewell.contract import Assessment, Level
from stridewell.knowledge.rules import FIELDS, compile_rule, facts_of, fields_used
from stridewell.triage.engine import assess

_NUMBERS = {
    "age": st.integers(5, 110),
    "pain_score": st.integers(0, 10),
    "duration_days": st.integers(0, 400),
    "history.weekly_km_change_pct": st.integers(-100, 300),
    "history.longest_run_spike_pct": st.integers(-100, 300),
    "history.shoe_km": st.integers(0, 2000),
}


def _value(path: str) -> st.SearchStrategy[Any]:
    spec = FIELDS[path]
    if spec.kind == "bool":
        return st.booleans()
    if spec.kind == "enum":
        return st.sampled_from(sorted(spec.values))
    if spec.kind == "list":
        size = 1 if path == "locations" else 0
        return st.lists(
            st.sampled_from(sorted(spec.values)), min_size=size, max_size=4, unique=True
        )
    return _NUMBERS[path]


@st.composite
def answers(draw: st.DrawFn) -> dict[str, Any]:
    """Some fields answered, most left blank, as runners do."""
    chosen = draw(st.sets(st.sampled_from(sorted(set(FIELDS) - {"locations"})), max_size=14))
    out = {path: draw(_value(path)) for path in sorted(chosen)}
    out["locations"] = draw(_value("locations"))
    return out


def _contract(flat: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for path, value in flat.items():
        if path.startswith("history."):
            data.setdefault("history", {})[path.removeprefix("history.")] = value
        else:
            data[path] = value
    return data


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(flat=answers())
def test_the_level_is_never_below_a_fired_flag_nor_the_leading_conditions_minimum(
    flat: dict[str, Any],
) -> None:
    report = assess(Assessment.model_validate(_contract(flat)))
    level = report.triage.level
    for flag in report.red_flags:
        assert level.rank >= flag.level.rank, flag.id
    from stridewell.knowledge import load_knowledge

    by_id = {c.id: c for c in load_knowledge().conditions}
    leading = next(c for c in report.conditions if c.id in by_id)
    assert level.rank >= by_id[leading.id].minimum_level.rank, leading.id


EMERGENCIES = [
    c for c in presentation_cases() if c.flag.level_of(c.presentation) is Level.emergency
]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=st.sampled_from(EMERGENCIES), extra=answers(), data=st.data())
def test_blanking_one_answer_never_drops_an_emergency_presentation(
    case: Any, extra: dict[str, Any], data: st.DataObject
) -> None:
    cue_fields = fields_used(case.presentation.cue_rule)
    cues = satisfy(case.presentation.cue_rule)
    # The presentation's own cues as built, any other answers around them.
    flat = {k: v for k, v in extra.items() if k not in cue_fields} | cues
    flat.setdefault("locations", extra["locations"])
    unless = case.presentation.unless_rule
    facts = facts_of(Assessment.model_validate(_contract(flat)))
    assume(unless is None or not compile_rule(unless)(facts))
    assert compile_rule(case.presentation.rule)(facts)
    assert assess(Assessment.model_validate(_contract(flat))).triage.level is Level.emergency
    others = sorted(set(flat) - cue_fields - {"locations"})
    assume(others)
    blank = data.draw(st.sampled_from(others), label="blanked")
    blanked = {k: v for k, v in flat.items() if k != blank}
    report = assess(Assessment.model_validate(_contract(blanked)))
    assert report.triage.level is Level.emergency, (case.id, blank)


def test_the_generated_emergency_cases_are_emergencies_as_built() -> None:
    for case in EMERGENCIES:
        report = assess(Assessment.model_validate(firing(case)))
        assert report.triage.level is Level.emergency, case.id
