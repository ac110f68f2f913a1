"""The FHIR R4 export: every dev vignette's Bundle validates with the R4B models of
fhir.resources, codes its causes only from the cited SNOMED CT mapping, and reads back
into the same assessment."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.clinicalimpression import ClinicalImpression
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from handover_cases import dev_cases, dev_summary, summary_for

from stridewell.contract import Assessment, History
from stridewell.handover import (
    QUESTIONNAIRE_CANONICAL,
    HandoverSummary,
    build_bundle,
    bundle_json,
    load_snomed,
    parse_bundle,
    snomed_codes,
)
from stridewell.handover.fhir import CONDITION_SYSTEM, LEVEL_EXTENSION, PAIN_LOINC

CASES = dev_cases()
IDS = [c["id"] for c in CASES]


def _summary(case_id: str) -> HandoverSummary:
    return dev_summary(case_id)


def _resources(bundle: Bundle, kind: type[Any]) -> list[Any]:
    return [e.resource for e in bundle.entry or [] if isinstance(e.resource, kind)]


@pytest.mark.parametrize("case_id", IDS)
def test_bundle_validates_and_reads_back_the_same_assessment(case_id: str) -> None:
    summary = _summary(case_id)
    text = build_bundle(summary).model_dump_json()
    # Validated again from the JSON text alone, as a receiving system would read it.
    bundle = Bundle.model_validate_json(text)
    assert bundle.type == "collection"
    assert parse_bundle(text) == summary.assessment
    assert parse_bundle(json.loads(text)) == summary.assessment


@pytest.mark.parametrize("case_id", IDS)
def test_bundle_uses_only_snomed_codes_of_the_mapping_and_codes_every_cause(case_id: str) -> None:
    summary = _summary(case_id)
    bundle = build_bundle(summary)
    table = load_snomed()
    assert snomed_codes(bundle) <= table.codes
    [impression] = _resources(bundle, ClinicalImpression)
    coded = {
        coding.code: coding.system
        for finding in impression.finding or []
        for coding in finding.itemCodeableConcept.coding
    }
    for cause in summary.causes:
        assert coded[table.for_condition(cause.id).code] == "http://snomed.info/sct"
        assert coded[cause.id] == CONDITION_SYSTEM
    assert impression.extension[0].url == LEVEL_EXTENSION
    assert impression.extension[0].valueCode == summary.level.value


def test_pain_scores_are_loinc_72514_3_observations_of_the_journal_and_the_assessment() -> None:
    summary = _summary("dev-plantar-fasciitis-classic")
    pains = [
        o for o in _resources(build_bundle(summary), Observation)
        if o.code.coding[0].code == PAIN_LOINC
    ]  # fmt: skip
    assert all(o.code.coding[0].system == "http://loinc.org" for o in pains)
    journal = sorted((str(d.day), d.worst) for d in summary.journal.days)
    from_journal = sorted((str(o.effectiveDateTime), o.valueInteger) for o in pains
                          if o.derivedFrom is None)  # fmt: skip
    assert from_journal == journal
    [at_assessment] = [o for o in pains if o.derivedFrom is not None]
    assert at_assessment.valueInteger == summary.assessment.pain_score


def test_weekly_distance_is_one_observation_per_week_in_kilometres() -> None:
    summary = _summary("dev-plantar-fasciitis-classic")
    weekly = [o for o in _resources(build_bundle(summary), Observation) if o.valueQuantity]
    assert [(str(o.effectivePeriod.start), float(o.valueQuantity.value)) for o in weekly] == [
        (w.monday.isoformat(), w.km) for w in summary.training.weeks
    ]
    assert {(o.valueQuantity.system, o.valueQuantity.code) for o in weekly} == {
        ("http://unitsofmeasure.org", "km")
    }


def test_the_questionnaire_has_an_item_for_every_contract_field() -> None:
    bundle = build_bundle(_summary("dev-heel-fat-pad"))
    [questionnaire] = _resources(bundle, Questionnaire)
    [response] = _resources(bundle, QuestionnaireResponse)
    assert f"{questionnaire.url}|{questionnaire.version}" == QUESTIONNAIRE_CANONICAL
    assert response.questionnaire == QUESTIONNAIRE_CANONICAL
    items = {i.linkId: i for i in questionnaire.item}
    history = {i.linkId for i in items.pop("history").item}
    assert set(items) == set(Assessment.model_fields) - {"history"}
    assert history == {f"history.{name}" for name in History.model_fields}
    assert items["locations"].repeats and items["locations"].required
    assert {o.valueCoding.code for o in items["side"].answerOption} == {"left", "right", "both"}
    assert items["pain_score"].type == "integer"
    assert items["diabetes"].type == "boolean"


def test_every_answer_of_a_full_assessment_survives_the_round_trip() -> None:
    full = Assessment(
        side="left", age=41, sex="other", pain_score=7, locations=["achilles", "heel_back"],
        onset="sudden", injury_event=False, felt_pop=True, duration_days=2, trend="worsening",
        pain_timing=["during_run", "uphill_or_toe_off"], pain_quality=["sharp", "stiffness"],
        numbness_tingling=False, swelling="mild", bruising=True, bone_tenderness=["calcaneus"],
        push_off_weak=True, can_bear_weight=True, steroid_injection=True,
        history=History(weekly_km_change_pct=12.5, longest_run_spike_pct=-3.25, shoe_km=410.0,
                        surface="track", new_shoes=False),
    )  # fmt: skip
    case = {"id": "full", "assessment": full.to_json_dict()}
    summary = summary_for(case, with_history=False)
    assert parse_bundle(build_bundle(summary).model_dump_json()) == full


def test_the_same_summary_always_gives_the_same_bundle() -> None:
    summary = _summary("dev-heel-fat-pad")
    assert bundle_json(summary) == bundle_json(summary)
    ids = [e["fullUrl"] for e in bundle_json(summary)["entry"]]
    assert len(ids) == len(set(ids))


def test_a_bundle_without_stridewells_response_is_refused() -> None:
    data = bundle_json(_summary("dev-heel-fat-pad"))
    data["entry"] = [e for e in data["entry"]
                     if e["resource"]["resourceType"] != "QuestionnaireResponse"]  # fmt: skip
    with pytest.raises(ValueError, match="expected one QuestionnaireResponse"):
        parse_bundle(data)


def test_an_answer_outside_the_contract_is_refused() -> None:
    data = bundle_json(_summary("dev-heel-fat-pad"))
    response = next(e["resource"] for e in data["entry"]
                    if e["resource"]["resourceType"] == "QuestionnaireResponse")  # fmt: skip
    response["item"][0]["answer"] = [{"valueCoding": {"system": "x", "code": "knee"}}]
    with pytest.raises(ValueError):
        parse_bundle(data)


# The required bindings of the elements the export fills (FHIR R4 value sets).
R4_CODES = {
    "Bundle.type": {"collection"},
    "Questionnaire.status": {"draft", "active", "retired", "unknown"},
    "QuestionnaireResponse.status": {
        "in-progress",
        "completed",
        "amended",
        "entered-in-error",
        "stopped",
    },
    "Observation.status": {"registered", "preliminary", "final", "amended"},
    "ClinicalImpression.status": {"in-progress", "completed", "entered-in-error"},
    "Patient.gender": {"male", "female", "other", "unknown"},
}


@pytest.mark.parametrize("case_id", ["dev-plantar-fasciitis-classic", "dev-achilles-rupture"])
def test_coded_elements_hold_values_of_their_r4_value_sets(case_id: str) -> None:
    data = bundle_json(_summary(case_id))
    assert data["type"] in R4_CODES["Bundle.type"]
    for entry in data["entry"]:
        resource = entry["resource"]
        kind = resource["resourceType"]
        for element in ("status", "gender"):
            if element in resource:
                assert resource[element] in R4_CODES[f"{kind}.{element}"], (kind, element)
