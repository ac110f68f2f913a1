"""The handover as a FHIR R4 Bundle (validated with the R4B models of `fhir.resources`).

The Bundle (type `collection`) holds: the Questionnaire Stridewell publishes, the
QuestionnaireResponse of the assessment, an anonymous Patient, pain scores as
Observations (LOINC 72514-3), weekly running distance as Observations, and a
ClinicalImpression with the triage level and the ranked causes, each coded in SNOMED CT
from knowledge/data/snomed.yaml beside Stridewell's own condition code.

Ids are name-based UUIDs of the assessment id, so the same summary always gives the
same Bundle.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from typing import Any

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from stridewell.contract import Assessment

from .fhir_questionnaire import (
    CANONICAL_BASE,
    QUESTIONNAIRE_CANONICAL,
    assessment_from_items,
    questionnaire_json,
    response_items,
)
from .model import HandoverSummary
from .snomed import SNOMED_SYSTEM

LOINC_SYSTEM = "http://loinc.org"
PAIN_LOINC = "72514-3"
PAIN_LOINC_DISPLAY = "Pain severity - 0-10 verbal numeric rating [Score] - Reported"
UCUM_SYSTEM = "http://unitsofmeasure.org"
CATEGORY_SYSTEM = "http://terminology.hl7.org/CodeSystem/observation-category"
CONDITION_SYSTEM = f"{CANONICAL_BASE}/CodeSystem/condition"
OBSERVATION_SYSTEM = f"{CANONICAL_BASE}/CodeSystem/observation"
WEEKLY_DISTANCE_CODE = "weekly-running-distance"
LEVEL_EXTENSION = f"{CANONICAL_BASE}/StructureDefinition/triage-level"
BUNDLE_IDENTIFIER_SYSTEM = f"{CANONICAL_BASE}/handover"
_GENDER = {"female": "female", "male": "male", "other": "other"}

JsonDict = dict[str, Any]


def _uid(summary: HandoverSummary, kind: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{CANONICAL_BASE}/{summary.assessment_id}/{kind}"))


def _ref(uid: str) -> JsonDict:
    return {"reference": f"urn:uuid:{uid}"}


def _pain(uid: str, patient: str, when: str, score: int, note: str, source: str | None) -> JsonDict:
    obs: JsonDict = {
        "resourceType": "Observation",
        "id": uid,
        "status": "final",
        "category": [{"coding": [{"system": CATEGORY_SYSTEM, "code": "survey"}]}],
        "code": {
            "coding": [{"system": LOINC_SYSTEM, "code": PAIN_LOINC, "display": PAIN_LOINC_DISPLAY}],
            "text": "Pain 0-10",
        },
        "subject": _ref(patient),
        "effectiveDateTime": when,
        "valueInteger": score,
        "note": [{"text": note}],
    }
    if source is not None:
        obs["derivedFrom"] = [_ref(source)]
    return obs


def _weekly_distance(uid: str, patient: str, monday: date, km: float, runs: int) -> JsonDict:
    return {
        "resourceType": "Observation",
        "id": uid,
        "status": "final",
        "category": [{"coding": [{"system": CATEGORY_SYSTEM, "code": "activity"}]}],
        "code": {
            "coding": [
                {
                    "system": OBSERVATION_SYSTEM,
                    "code": WEEKLY_DISTANCE_CODE,
                    "display": "Running distance in one ISO week",
                }
            ],
            "text": "Weekly running distance",
        },
        "subject": _ref(patient),
        "effectivePeriod": {
            "start": monday.isoformat(),
            "end": (monday + timedelta(days=6)).isoformat(),
        },
        "valueQuantity": {"value": km, "unit": "km", "system": UCUM_SYSTEM, "code": "km"},
        "note": [{"text": f"{runs} run{'s' if runs != 1 else ''}"}],
    }


def _impression(summary: HandoverSummary, uid: str, patient: str, response: str) -> JsonDict:
    findings = [
        {
            "itemCodeableConcept": {
                "coding": [
                    *(
                        [{"system": SNOMED_SYSTEM, "code": c.snomed_code, "display": c.snomed_term}]
                        if c.snomed_code
                        else []
                    ),
                    {"system": CONDITION_SYSTEM, "code": c.id, "display": c.name},
                ],
                "text": c.name,
            },
            "basis": (
                f"rank {c.rank}, likelihood {c.likelihood:.2f}"
                + (f" (SNOMED CT match: {c.snomed_match})" if c.snomed_match else "")
                + (f"; for: {'; '.join(c.for_)}" if c.for_ else "")
                + (f"; against: {'; '.join(c.against)}" if c.against else "")
            ),
        }
        for c in summary.causes
    ]
    notes = [
        {"text": f"Warning sign ({w.level.value}): {w.name}; because {'; '.join(w.because)}"}
        for w in summary.warning_signs
    ]
    if summary.correction is not None:
        # First among the notes: an emergency answer was given and then changed.
        changed = [c.words for c in summary.correction.changes]
        text = " ".join([summary.correction.text, *changed])
        notes.insert(0, {"text": f"{text} Ref. {summary.correction.other_assessment_id}"})
    notes.append({"text": f"Stridewell knowledge base {summary.kb_version}. {summary.disclaimer}"})
    impression: JsonDict = {
        "resourceType": "ClinicalImpression",
        "id": uid,
        "extension": [{"url": LEVEL_EXTENSION, "valueCode": summary.level.value}],
        "status": "completed",
        "description": summary.level_words,
        "subject": _ref(patient),
        "effectiveDateTime": summary.assessed_at.isoformat(),
        "date": summary.assessed_at.isoformat(),
        "summary": summary.report_summary or summary.level_words,
        "supportingInfo": [_ref(response)],
        "note": notes,
    }
    if findings:
        impression["finding"] = findings
    return impression


def bundle_json(summary: HandoverSummary, *, generated_at: datetime | None = None) -> JsonDict:
    """The Bundle as JSON (a dict), not yet validated: `build_bundle` validates it."""
    patient, response = _uid(summary, "patient"), _uid(summary, "response")
    resources: list[tuple[str, JsonDict]] = []
    questionnaire = questionnaire_json()
    resources.append((_uid(summary, "questionnaire"), questionnaire))
    sex = summary.assessment.sex
    patient_json: JsonDict = {"resourceType": "Patient", "id": patient}
    if sex is not None:
        patient_json["gender"] = _GENDER[sex.value]
    resources.append((patient, patient_json))
    resources.append(
        (
            response,
            {
                "resourceType": "QuestionnaireResponse",
                "id": response,
                "identifier": {"system": BUNDLE_IDENTIFIER_SYSTEM, "value": summary.assessment_id},
                "questionnaire": QUESTIONNAIRE_CANONICAL,
                "status": "completed",
                "subject": _ref(patient),
                "authored": summary.assessed_at.isoformat(),
                "item": response_items(summary.assessment),
            },
        )
    )
    if summary.assessment.pain_score is not None:
        uid = _uid(summary, "pain/assessment")
        note = "Worst pain in the 24 hours before the assessment"
        when = summary.assessed_at.isoformat()
        resources.append(
            (uid, _pain(uid, patient, when, summary.assessment.pain_score, note, response))
        )
    for day in summary.journal.days:
        uid = _uid(summary, f"pain/{day.day.isoformat()}")
        note = "Pain journal: the worst score of the day's check-ins"
        resources.append((uid, _pain(uid, patient, day.day.isoformat(), day.worst, note, None)))
    for week in summary.training.weeks:
        uid = _uid(summary, f"distance/{week.label}")
        resources.append((uid, _weekly_distance(uid, patient, week.monday, week.km, week.runs)))
    impression = _uid(summary, "impression")
    resources.append((impression, _impression(summary, impression, patient, response)))
    bundle: JsonDict = {
        "resourceType": "Bundle",
        "id": _uid(summary, "bundle"),
        "identifier": {"system": BUNDLE_IDENTIFIER_SYSTEM, "value": summary.assessment_id},
        "type": "collection",
        "entry": [{"fullUrl": f"urn:uuid:{uid}", "resource": res} for uid, res in resources],
    }
    if generated_at is not None:
        if generated_at.tzinfo is None:
            raise ValueError("generated_at must be timezone-aware")
        bundle["timestamp"] = generated_at.isoformat()
    return bundle


def build_bundle(summary: HandoverSummary, *, generated_at: datetime | None = None) -> Bundle:
    """The handover Bundle, validated by the FHIR R4B models (ValidationError if not)."""
    return Bundle.model_validate(bundle_json(summary, generated_at=generated_at))


def parse_bundle(data: str | bytes | JsonDict) -> Assessment:
    """Read a handover Bundle (JSON text or dict) back into the assessment it answers.

    Raises ValueError (pydantic's ValidationError is one) for a Bundle that is not valid
    FHIR, has no QuestionnaireResponse to Stridewell's questionnaire, or answers that do not
    fit the contract.
    """
    if isinstance(data, str | bytes):
        bundle = Bundle.model_validate_json(data)
    else:
        bundle = Bundle.model_validate(data)
    responses = [
        e.resource
        for e in bundle.entry or []
        if isinstance(e.resource, QuestionnaireResponse)
        and e.resource.questionnaire == QUESTIONNAIRE_CANONICAL
    ]
    if len(responses) != 1:
        raise ValueError(
            f"expected one QuestionnaireResponse to {QUESTIONNAIRE_CANONICAL}, "
            f"found {len(responses)}"
        )
    return assessment_from_items(list(responses[0].item or []))


def snomed_codes(bundle: Bundle) -> set[str]:
    """Every SNOMED CT code anywhere in the Bundle."""
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("system") == SNOMED_SYSTEM and "code" in node:
                found.add(str(node["code"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(bundle.model_dump(mode="json"))
    return found
