"""Plain records handed out by the storage package.

Domain code receives these instead of ORM objects, so nothing outside ``storage``
needs SQLAlchemy, and a record stays valid after its session is gone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

LOCAL_RUNNER_ID = "local"
LOCAL_RUNNER_NAME = "Local runner"


@dataclass(frozen=True, slots=True)
class StoredAssessment:
    """An assessment as saved: the contract input, its triage report and summary columns.

    ``created_at`` is always timezone-aware (UTC).
    """

    id: str
    runner_id: str
    created_at: datetime
    assessment: dict[str, Any]
    report: dict[str, Any]
    level: str
    top_condition: str | None
    kb_version: str
    rules_fired: list[str]
