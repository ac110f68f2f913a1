"""`make run` opens onto a populated app: the demo data fills every page."""

from __future__ import annotations

from pathlib import Path

from stridewell.demo import DEMO_ASSESSMENTS, DEMO_MORNING_PAIN, load_demo
from stridewell.service import Stridewell


def test_the_demo_fills_assessments_a_plan_check_ins_and_shoes(tmp_path: Path) -> None:
    with Stridewell(f"sqlite:///{(tmp_path / 'demo.db').as_posix()}") as service:
        assert load_demo(service.local(), only_if_empty=True) == len(DEMO_ASSESSMENTS)
        assert len(service.local().assessments.history()) == len(DEMO_ASSESSMENTS)
        plan = service.local().plans.current()
        assert plan is not None and plan.start < service.today()
        points, _ = service.local().plans.pain_series()
        assert [p.worst for p in points] == list(DEMO_MORNING_PAIN)
        shoes = service.local().shoes.overview()
        assert shoes["alerts"]  # a pair at 760 km is due for a look
        assert load_demo(service.local(), only_if_empty=True) == 0  # never twice
