"""Turn untrusted input into contract models, with errors that name the field."""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError

from stridewell.contract import Assessment
from stridewell.errors import InvalidInput


def describe_validation_error(exc: ValidationError) -> tuple[str, str]:
    """(field path, one-line message) for the first problem pydantic found."""
    error = exc.errors()[0]
    field = ".".join(str(part) for part in error["loc"]) or "(root)"
    if error["type"] == "extra_forbidden":
        return field, f"unknown field '{field}'"
    if error["type"] == "missing":
        return field, f"field '{field}' is required"
    if field == "(root)":  # a rule about several fields together
        return field, str(error["msg"]).removeprefix("Value error, ")
    value = error.get("input")
    shown = json.dumps(value)[:60] if _jsonable(value) else repr(value)[:60]
    return field, f"field '{field}': {error['msg']} (got {shown})"


def _jsonable(value: Any) -> bool:
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return False
    return True


def parse_assessment(data: Any) -> Assessment:
    """Validate a decoded JSON object as an assessment, or raise InvalidInput."""
    if not isinstance(data, dict):
        raise InvalidInput("the assessment must be a JSON object", field="(root)")
    try:
        return Assessment.model_validate(data)
    except ValidationError as exc:
        field, message = describe_validation_error(exc)
        raise InvalidInput(message, field=field) from exc


def parse_assessment_json(text: str | bytes) -> Assessment:
    """Decode JSON text and validate it as an assessment, or raise InvalidInput."""
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"input is not valid JSON: {exc}", field="(root)") from exc
    return parse_assessment(data)
