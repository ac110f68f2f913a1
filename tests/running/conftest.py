"""Running-plan tests: running_builders.py (runners, histories, a follower) is imported by
name, and the recovery plan's scripted runners (tests/plan/plan_journals.py) too."""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
for folder in (HERE, HERE.parent / "plan"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))
