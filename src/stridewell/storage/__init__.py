"""Persistence for Stridewell: the only package that talks to SQLAlchemy and Alembic.

Importing this package stays cheap (the CLI's cold start depends on it): errors,
records and configuration are plain Python, and ``Store`` - which pulls in SQLAlchemy -
is imported on first access.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from stridewell.storage.config import resolve_database_url
from stridewell.storage.errors import (
    DatabaseError,
    DatabaseNotInitialised,
    EmailTaken,
    StorageError,
    UnknownAssessment,
    UnknownRunner,
    UnknownSchemaRevision,
    UnknownShoe,
)
from stridewell.storage.records import (
    ACCOUNT_ROLES,
    DEFAULT_CHECK_KM,
    DEFAULT_REPLACE_KM,
    LOCAL_RUNNER_ID,
    LOCAL_RUNNER_NAME,
    PLAN_ACTIVE,
    PLAN_ENDED,
    ROLE_COACH,
    ROLE_RUNNER,
    ActivitySummary,
    AddActivitiesResult,
    StoredAccount,
    StoredActivity,
    StoredAssessment,
    StoredExerciseLog,
    StoredJournalEntry,
    StoredPlan,
    StoredPlanDay,
    StoredShare,
    StoredShoe,
)

if TYPE_CHECKING:
    from stridewell.storage.repository import Store

__all__ = [
    "ACCOUNT_ROLES",
    "DEFAULT_CHECK_KM",
    "DEFAULT_REPLACE_KM",
    "LOCAL_RUNNER_ID",
    "LOCAL_RUNNER_NAME",
    "PLAN_ACTIVE",
    "PLAN_ENDED",
    "ROLE_COACH",
    "ROLE_RUNNER",
    "ActivitySummary",
    "AddActivitiesResult",
    "DatabaseError",
    "DatabaseNotInitialised",
    "EmailTaken",
    "StorageError",
    "Store",
    "StoredAccount",
    "StoredActivity",
    "StoredAssessment",
    "StoredExerciseLog",
    "StoredJournalEntry",
    "StoredPlan",
    "StoredPlanDay",
    "StoredShare",
    "StoredShoe",
    "UnknownAssessment",
    "UnknownRunner",
    "UnknownSchemaRevision",
    "UnknownShoe",
    "resolve_database_url",
]


def __getattr__(name: str) -> Any:
    if name == "Store":
        from stridewell.storage.repository import Store

        return Store
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
