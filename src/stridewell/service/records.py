"""The records the services hand out, for the web app and the CLI: they import them from
here, never from ``stridewell.storage`` (the layering contract in pyproject.toml)."""

from stridewell.storage.clinician_records import StoredClinicianNote
from stridewell.storage.records import (
    LOCAL_RUNNER_ID,
    LOCAL_RUNNER_NAME,
    StoredAccount,
    StoredActivity,
    StoredAssessment,
    StoredExerciseLog,
    StoredRunner,
    StoredShare,
    StoredShoe,
)

__all__ = [
    "LOCAL_RUNNER_ID",
    "LOCAL_RUNNER_NAME",
    "StoredAccount",
    "StoredActivity",
    "StoredAssessment",
    "StoredClinicianNote",
    "StoredExerciseLog",
    "StoredRunner",
    "StoredShare",
    "StoredShoe",
]
