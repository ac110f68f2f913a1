"""The one function that turns an assessment to store into the record both write paths
insert: the ORM's (``repository``) and the standard library's (``quick_sqlite``).

Plain Python (no SQLAlchemy), so that the quick path can use it too: both refuse the
same values (naive datetimes, over-long text, non-JSON values) the same way.
"""

from __future__ import annotations

from uuid import uuid4

from stridewell.storage.checks import as_stored_json, require_aware, require_max_length
from stridewell.storage.limits import KB_VERSION_LENGTH, LEVEL_LENGTH, TOP_CONDITION_LENGTH
from stridewell.storage.records import AssessmentToStore, StoredAssessment


def assessment_record(values: AssessmentToStore, runner_id: str) -> StoredAssessment:
    """A new assessment exactly as it will read back, with a fresh id.

    Raises ValueError/TypeError for input the database would store differently on the
    two backends.
    """
    created_at = require_aware(values.created_at, "created_at")
    require_max_length(values.level, LEVEL_LENGTH, "level")
    require_max_length(values.kb_version, KB_VERSION_LENGTH, "kb_version")
    if values.top_condition is not None:
        require_max_length(values.top_condition, TOP_CONDITION_LENGTH, "top_condition")
    return StoredAssessment(
        id=uuid4().hex,
        runner_id=runner_id,
        created_at=created_at,
        assessment=as_stored_json(values.assessment, "assessment"),
        report=as_stored_json(values.report, "report"),
        level=values.level,
        top_condition=values.top_condition,
        kb_version=values.kb_version,
        rules_fired=as_stored_json(list(values.rules_fired), "rules_fired"),
        corrects_id=values.corrects_id,
    )
