"""The assessment as FHIR: the Questionnaire Stridewell publishes, and answers to it.

One item per contract field, its linkId the field's path (`history.*` fields inside a
`history` group), so a QuestionnaireResponse reads back into the same `Assessment`. The
Questionnaire is derived from the contract and the questionnaire's wording, never written
by hand, so it cannot drift from either.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from typing import Any

from stridewell.contract import Assessment, History
from stridewell.knowledge.questions import Questionnaire, load_questionnaire, number_range
from stridewell.knowledge.rules import FIELDS, FieldSpec
from stridewell.levels import CONTRACT_MINOR, CONTRACT_VERSION

# Stridewell's canonical base. `.example` is reserved (RFC 2606): it marks the URLs as
# Stridewell's own identifiers, stable across releases, until the project owns a domain.
CANONICAL_BASE = "https://stridewell.example/fhir"
QUESTIONNAIRE_URL = f"{CANONICAL_BASE}/Questionnaire/foot-pain-assessment"
QUESTIONNAIRE_VERSION = f"{CONTRACT_VERSION}.{CONTRACT_MINOR}"
QUESTIONNAIRE_CANONICAL = f"{QUESTIONNAIRE_URL}|{QUESTIONNAIRE_VERSION}"
ANSWER_SYSTEM = f"{CANONICAL_BASE}/CodeSystem/assessment-answer"
HISTORY_GROUP = "history"

JsonDict = dict[str, Any]


def _item_type(path: str, spec: FieldSpec) -> str:
    if spec.kind in ("enum", "list"):
        return "choice"
    if spec.kind == "bool":
        return "boolean"
    return "integer" if number_range(path).integer else "decimal"


def _text(path: str, questionnaire: Questionnaire) -> str:
    for question in questionnaire.questions:
        if question.field == path:
            return question.prompt
    return questionnaire.field_name(path).capitalize()


def _values(path: str, spec: FieldSpec) -> list[str]:
    # The contract's order (enum order), as the questionnaire shows them.
    model = History if path.startswith("history.") else Assessment
    field = model.model_fields[path.removeprefix("history.")]
    ordered: list[str] = []
    for value in _enum_members(field.annotation):
        if value in spec.values and value not in ordered:
            ordered.append(value)
    return ordered


def _enum_members(annotation: Any) -> list[str]:
    found: list[str] = []
    stack = [annotation]
    while stack:
        current = stack.pop()
        if isinstance(current, type) and hasattr(current, "__members__"):
            found += [m.value for m in current.__members__.values()]
        stack += list(getattr(current, "__args__", ()))
    return found


def _item(path: str, questionnaire: Questionnaire) -> JsonDict:
    spec = FIELDS[path]
    item: JsonDict = {
        "linkId": path,
        "text": _text(path, questionnaire),
        "type": _item_type(path, spec),
        "required": path == "locations",
        "repeats": spec.kind == "list",
    }
    if spec.kind in ("enum", "list"):
        labels = questionnaire.labels.get(path, {})
        item["answerOption"] = [
            {"valueCoding": {"system": ANSWER_SYSTEM, "code": v, "display": labels.get(v, v)}}
            for v in _values(path, spec)
        ]
    return item


def _paths() -> tuple[list[str], list[str]]:
    top = [name for name in Assessment.model_fields if name != HISTORY_GROUP]
    history = [f"history.{name}" for name in History.model_fields]
    return top, history


@lru_cache(maxsize=1)
def _questionnaire_json() -> JsonDict:
    questionnaire = load_questionnaire()
    top, history = _paths()
    return {
        "resourceType": "Questionnaire",
        "id": "foot-pain-assessment",
        "url": QUESTIONNAIRE_URL,
        "version": QUESTIONNAIRE_VERSION,
        "name": "StridewellFootPainAssessment",
        "title": "Stridewell foot pain assessment for runners",
        "status": "active",
        "publisher": "Stridewell",
        "description": (
            "The assessment contract of Stridewell (version "
            f"{QUESTIONNAIRE_VERSION}): one item per field; a missing answer means not known."
        ),
        "item": [
            *(_item(path, questionnaire) for path in top),
            {
                "linkId": HISTORY_GROUP,
                "text": "Training and shoes",
                "type": "group",
                "item": [_item(path, questionnaire) for path in history],
            },
        ],
    }


def questionnaire_json() -> JsonDict:
    """The Questionnaire resource (a fresh copy: callers may add to it)."""
    import copy

    return copy.deepcopy(_questionnaire_json())


def _answers(path: str, value: Any) -> list[JsonDict]:
    spec = FIELDS[path]
    values = value if isinstance(value, list) else [value]
    if spec.kind in ("enum", "list"):
        return [{"valueCoding": {"system": ANSWER_SYSTEM, "code": str(v)}} for v in values]
    if spec.kind == "bool":
        return [{"valueBoolean": bool(v)} for v in values]
    if number_range(path).integer:
        return [{"valueInteger": int(v)} for v in values]
    return [{"valueDecimal": float(v)} for v in values]


def response_items(assessment: Assessment) -> list[JsonDict]:
    """The answered fields of an assessment as QuestionnaireResponse items."""
    data = assessment.to_json_dict()
    questionnaire = load_questionnaire()
    top, history_paths = _paths()
    items = [
        {"linkId": p, "text": _text(p, questionnaire), "answer": _answers(p, data[p])}
        for p in top
        if p in data
    ]
    given = data.get(HISTORY_GROUP, {})
    nested = [
        {"linkId": p, "text": _text(p, questionnaire), "answer": _answers(p, given[name])}
        for p in history_paths
        if (name := p.removeprefix("history.")) in given
    ]
    if nested:
        items.append({"linkId": HISTORY_GROUP, "text": "Training and shoes", "item": nested})
    return items


def _answer_value(path: str, answer: Any) -> Any:
    spec = FIELDS[path]
    if spec.kind in ("enum", "list"):
        coding = answer.valueCoding
        if coding is None or coding.system != ANSWER_SYSTEM:
            raise ValueError(f"{path}: expected a coding of {ANSWER_SYSTEM}")
        return coding.code
    if spec.kind == "bool":
        return answer.valueBoolean
    if number_range(path).integer:
        return answer.valueInteger
    value = answer.valueDecimal
    return float(value) if isinstance(value, Decimal | int | float) else value


def assessment_from_items(items: list[Any]) -> Assessment:
    """An `Assessment` from QuestionnaireResponse items (fhir.resources models)."""
    data: JsonDict = {}
    for item in items:
        if item.linkId == HISTORY_GROUP:
            data[HISTORY_GROUP] = {
                sub.linkId.removeprefix("history."): _field_value(sub) for sub in item.item or []
            }
            continue
        data[item.linkId] = _field_value(item)
    return Assessment.model_validate(data)


def _field_value(item: Any) -> Any:
    path = item.linkId
    if path not in FIELDS:
        raise ValueError(f"unknown item '{path}' in the QuestionnaireResponse")
    values = [_answer_value(path, answer) for answer in item.answer or []]
    if FIELDS[path].kind == "list":
        return values
    if len(values) != 1:
        raise ValueError(f"{path}: expected one answer, got {len(values)}")
    return values[0]
