"""The assessment contract: our models accept exactly what the JSON Schema accepts."""

from __future__ import annotations

import copy
import json
from typing import Any

import jsonschema
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from repo_paths import CONTRACT_SCHEMA, DEV_VIGNETTES
from stridewell.contract import Assessment, TriageReport
from stridewell.errors import InvalidInput
from stridewell.triage.engine import assess
from stridewell.validation import parse_assessment, parse_assessment_json

SCHEMA = json.loads(CONTRACT_SCHEMA.read_text())
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)
VIGNETTES = yaml.safe_load(DEV_VIGNETTES.read_text())
PROPS: dict[str, Any] = SCHEMA["properties"]
HISTORY_PROPS: dict[str, Any] = PROPS["history"]["properties"]

# Values to drop into any field: some valid somewhere, most invalid somewhere.
PROBES: list[Any] = [
    None, True, False, 0, 1, -1, 5, 7, 11, 46.0, 4.5, 111, 1001, -101, 10001, "", "left",
    "sudden", "heel_bottom", "marked", "yes", [], ["heel_bottom"], ["heel_bottom", "heel_bottom"],
    ["sesamoid"], ["sharp"], ["at_night"], ["nowhere"], {}, {"shoe_km": 5}, {"bogus": 1},
]  # fmt: skip


def _schema_ok(data: Any) -> bool:
    return VALIDATOR.is_valid(data)


def _model_ok(data: Any) -> bool:
    try:
        parse_assessment(data)
    except InvalidInput:
        return False
    return True


@pytest.mark.parametrize("case", VIGNETTES, ids=[c["id"] for c in VIGNETTES])
def test_every_vignette_is_valid_for_the_schema_and_the_model(case: dict[str, Any]) -> None:
    assert _schema_ok(case["assessment"])
    assert _model_ok(case["assessment"])


def test_the_models_know_every_field_of_the_schema() -> None:
    assert set(Assessment.model_fields) == set(PROPS)
    history = Assessment.model_fields["history"].annotation
    assert history is not None
    from stridewell.contract import History

    assert set(History.model_fields) == set(HISTORY_PROPS)


@settings(max_examples=400, deadline=None)
@given(
    base=st.sampled_from(VIGNETTES),
    field=st.sampled_from([*PROPS, *(f"history.{h}" for h in HISTORY_PROPS), "bogus"]),
    value=st.sampled_from(PROBES),
)
def test_model_and_json_schema_agree_on_every_mutated_field(
    base: dict[str, Any], field: str, value: Any
) -> None:
    data = copy.deepcopy(base["assessment"])
    if field.startswith("history."):
        history = data.setdefault("history", {})
        history[field.removeprefix("history.")] = value
    elif value is None:
        data.pop(field, None)
    else:
        data[field] = value
    assert _model_ok(data) == _schema_ok(data), (field, value)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"locations": ["heel_bottom"], "colour": "red"}, "colour"),
        ({"locations": ["heel_bottom"], "history": {"shoes": 3}}, "history.shoes"),
        ({"locations": ["heel"]}, "locations.0"),
        ({"locations": ["heel_bottom"], "swelling": "huge"}, "swelling"),
        ({"locations": ["heel_bottom"], "pain_score": 11}, "pain_score"),
        ({"locations": ["heel_bottom"], "age": 4}, "age"),
        ({"locations": ["heel_bottom"], "history": {"shoe_km": 10001}}, "history.shoe_km"),
        ({"locations": []}, "locations"),
        ({"pain_score": 3}, "locations"),
        ({"locations": ["heel_bottom"], "injury_event": "yes"}, "injury_event"),
    ],
)
def test_invalid_input_names_the_field(data: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_assessment(data)
    assert caught.value.field == field
    assert field in str(caught.value)


def test_invalid_json_text_is_reported_as_such() -> None:
    with pytest.raises(InvalidInput, match="not valid JSON"):
        parse_assessment_json("{locations: [")


def test_a_report_has_every_contract_field_and_serialises_for_to_json() -> None:
    report = assess(Assessment.model_validate(VIGNETTES[0]["assessment"]))
    data = report.to_json_dict()
    for key in ("contract", "triage", "red_flags", "conditions", "self_care", "shoe_features",
                "exercises", "disclaimer"):  # fmt: skip
        assert key in data
    assert data["contract"] == 1
    first = data["conditions"][0]
    assert {"id", "name", "likelihood", "for", "against", "sources"} <= set(first)
    assert TriageReport.model_validate(data) == report


def test_a_contract_1_0_assessment_is_still_valid_and_gets_a_1_1_report() -> None:
    data = {"locations": ["achilles"], "felt_pop": True, "push_off_weak": True, "age": 41}
    report = assess(parse_assessment(data)).to_json_dict()
    assert report["contract"] == 1 and report["contract_minor"] == 1
    assert isinstance(report["unanswered_safety_questions"], list)


def test_the_fields_of_contract_1_1_are_accepted() -> None:
    data = {
        "locations": ["top_of_foot"], "penetrating_injury": False,
        "recent_travel_or_immobility": True, "sciatica_symptoms": False,
        "saddle_or_bladder_symptoms": False, "plantar_bruising": True,
        "steroid_injection": False, "previous_episode": True,
        "bone_tenderness": ["tarsometatarsal"],
    }  # fmt: skip
    assert _schema_ok(data) and _model_ok(data)


def test_a_report_with_safety_questions_reads_back_the_same() -> None:
    report = assess(parse_assessment({"locations": ["achilles"]}))
    assert report.unanswered_safety_questions
    assert TriageReport.model_validate(report.to_json_dict()) == report


def test_a_report_stored_before_contract_1_1_still_reads() -> None:
    data = assess(parse_assessment({"locations": ["arch"]})).to_json_dict()
    del data["contract_minor"], data["unanswered_safety_questions"]
    old = TriageReport.model_validate(data)
    assert old.contract_minor == 0 and old.unanswered_safety_questions == []


def test_there_is_one_contract_version_and_one_level_type() -> None:
    import stridewell.contract as contract
    import stridewell.levels as levels
    import stridewell.report as report_module

    assert contract.CONTRACT_VERSION is levels.CONTRACT_VERSION
    assert report_module.CONTRACT_VERSION is levels.CONTRACT_VERSION
    assert contract.Level is levels.Level
