"""Handover wiring tests: the plan's scripted runners (tests/plan) are imported by name."""

from __future__ import annotations

import sys
from pathlib import Path

PLAN_TESTS = Path(__file__).resolve().parents[1] / "plan"
if str(PLAN_TESTS) not in sys.path:
    sys.path.insert(0, str(PLAN_TESTS))
