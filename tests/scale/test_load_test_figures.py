"""The load test's own arithmetic (benchmarks/load/run.py): the share of the measured
time during which an import was in progress, from the uploads Locust acknowledged."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

from repo_paths import REPO


def load_runner() -> ModuleType:
    path = REPO / "benchmarks" / "load" / "run.py"
    spec = importlib.util.spec_from_file_location("load_run", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["load_run"] = module
    spec.loader.exec_module(module)
    return module


def upload(began: float, ended: float, runs: int | None) -> dict[str, object]:
    return {"kind": "import", "at": ended, "seconds": ended - began, "runs": runs}


def test_overlapping_imports_count_once_and_only_within_the_measured_window() -> None:
    share = load_runner().import_busy_share
    acknowledged = [
        upload(5, 14, 100),  # from before the window: counts from 10 on
        upload(12, 16, 100),  # overlaps the first: 14 to 16 added
        upload(20, 25, 100),
        upload(26, 40, 100),  # past the window: counts up to 30
        {"kind": "checkin", "at": 21.0},
    ]
    assert share(acknowledged, 10.0, 30.0) == round((6 + 5 + 4) / 20, 2)


def test_uploads_that_stored_no_new_runs_are_not_imports_in_progress() -> None:
    share = load_runner().import_busy_share
    acknowledged = [upload(10, 20, 0), upload(20, 30, None)]  # duplicates, an old report
    assert share(acknowledged, 10.0, 30.0) == 0.0
    assert share([upload(10, 30, 3)], 10.0, 30.0) == 1.0
