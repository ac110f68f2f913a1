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
    StorageError,
    UnknownAssessment,
    UnknownRunner,
    UnknownSchemaRevision,
)
from stridewell.storage.records import (
    LOCAL_RUNNER_ID,
    LOCAL_RUNNER_NAME,
    PLAN_ACTIVE,
    PLAN_ENDED,
    StoredAssessment,
    StoredExerciseLog,
    StoredJournalEntry,
    StoredPlan,
    StoredPlanDay,
)

if TYPE_CHECKING:
    from stridewell.storage.repository import Store

__all__ = [
    "LOCAL_RUNNER_ID",
    "LOCAL_RUNNER_NAME",
    "PLAN_ACTIVE",
    "PLAN_ENDED",
    "DatabaseError",
    "DatabaseNotInitialised",
    "StorageError",
    "Store",
    "StoredAssessment",
    "StoredExerciseLog",
    "StoredJournalEntry",
    "StoredPlan",
    "StoredPlanDay",
    "UnknownAssessment",
    "UnknownRunner",
    "UnknownSchemaRevision",
    "resolve_database_url",
]


def __getattr__(name: str) -> Any:
    if name == "Store":
        from stridewell.storage.repository import Store

        return Store
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
