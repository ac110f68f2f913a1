"""The demo: a runner of its own, never mixed with a real runner's data, gone in one step.

`make run` runs `stridewell demo --if-empty` on the user's real database; the demo must
then fill the pages without its shoe collecting the runner's imported runs or its
assessments steering the runner's reports.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from repo_paths import ACTIVITY_FILES
from stridewell.demo import (
    DEMO_ASSESSMENTS,
    DEMO_MORNING_PAIN,
    DEMO_RUNS,
    DEMO_SHOE,
    add_demo,
    remove_demo,
)
from stridewell.service import Stridewell
from stridewell.service.demo import DEMO_RUNNER_ID

# A 9 km run on 15 August 2015; the clock days later, so it counts as recent training.
RUN = ACTIVITY_FILES / "fit" / "activity-small-fenix2-run.fit"
NOW = datetime(2015, 8, 20, 12, 0, tzinfo=UTC)
HEEL = {"age": 40, "pain_score": 4, "locations": ["heel_bottom"], "onset": "gradual",
        "duration_days": 20, "trend": "unchanged", "pain_timing": ["first_steps_morning"]}  # fmt: skip


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Stridewell]:
    with Stridewell(f"sqlite:///{(tmp_path / 'demo.db').as_posix()}", clock=lambda: NOW) as sw:
        sw.upgrade_database()
        yield sw


def test_the_demo_fills_its_own_runner_and_leaves_the_local_runner_empty(
    service: Stridewell,
) -> None:
    assert add_demo(service, only_if_unused=True) == len(DEMO_ASSESSMENTS)
    demo = service.demo.services()
    assert demo.runner_id == DEMO_RUNNER_ID
    assert len(demo.assessments.history()) == len(DEMO_ASSESSMENTS)
    plan = demo.plans.current()
    assert plan is not None and plan.start < service.today()
    points, _ = demo.plans.pain_series()
    assert [p.worst for p in points] == list(DEMO_MORNING_PAIN)
    assert demo.shoes.overview()["alerts"]  # a pair at 760 km is due for a look
    local = service.local()
    assert local.assessments.history() == []
    assert local.plans.current() is None
    assert local.journal.entries() == []
    assert local.shoes.overview()["shoes"] == []


def test_the_demo_has_weeks_of_runs_with_a_route_heart_rate_and_its_shoe(
    service: Stridewell,
) -> None:
    add_demo(service, only_if_unused=True)
    demo = service.demo.services()
    runs = demo.training.activity_list(limit=50)
    assert len(runs) == len(DEMO_RUNS)
    assert {r.name for r in runs} >= {"Easy run", "Long run"}
    assert all(r.shoe is not None and r.shoe.name for r in runs)
    detail = demo.training.activity_detail(runs[0].id)  # the latest: the long run
    assert detail.route and detail.heart_rate is not None and detail.pace is not None
    load = demo.training.load(weeks=16)
    assert 4 <= len(load["weeks"]) <= 5 and load["weeks"][0]["km"] > 0
    assert any(n["kind"] == "single_run_spike" for n in load["notes"])
    assert load["notes"][1]["kind"] == "acwr" and "acwr_rolling" in load["notes"][1]["numbers"]
    assert service.local().training.activity_list() == []


def test_the_demo_is_added_once_and_not_to_a_database_in_use(service: Stridewell) -> None:
    assert add_demo(service, only_if_unused=True) == len(DEMO_ASSESSMENTS)
    assert add_demo(service) == 0  # already there: never twice
    assert len(service.demo.services().assessments.history()) == len(DEMO_ASSESSMENTS)


def test_make_run_adds_no_demo_to_a_runner_who_already_has_data(service: Stridewell) -> None:
    service.local().assessments.assess(HEEL)
    assert add_demo(service, only_if_unused=True) == 0
    assert not service.demo.exists()


def test_a_removed_demo_does_not_come_back_with_the_next_make_run(service: Stridewell) -> None:
    add_demo(service, only_if_unused=True)
    assert service.demo.remove()
    assert not service.demo.exists()
    assert add_demo(service, only_if_unused=True) == 0
    assert not service.demo.exists()
    assert not service.demo.remove()  # nothing left to remove


def test_the_demo_shoe_never_collects_the_local_runners_imported_runs(
    service: Stridewell,
) -> None:
    add_demo(service, only_if_unused=True)
    demo_km = service.demo.services().shoes.overview()["shoes"][0]["km"]
    runs_km = sum(km for _, _, km, _ in DEMO_RUNS)  # the demo's own runs, in its own pair
    assert demo_km == pytest.approx(float(DEMO_SHOE["start_km"]) + runs_km, abs=0.5)
    report = service.local().training.import_paths([RUN])
    assert report.imported == 1
    assert service.demo.services().shoes.overview()["shoes"][0]["km"] == demo_km
    assert service.local().shoes.overview()["shoes"] == []


def test_a_real_report_is_not_steered_by_the_demo(service: Stridewell) -> None:
    add_demo(service, only_if_unused=True)
    service.local().training.import_paths([RUN])
    result = service.local().assessments.assess(HEEL)
    assert result.id is not None
    history = service.local().assessments.get(result.id).assessment.get("history") or {}
    # In the runner's own records, the demo shoe would have collected the run and made
    # the history say "shoes at 769 km".
    assert "shoe_km" not in history
    assert [r.id for r in service.local().assessments.history()] == [result.id]


def test_removing_the_demo_keeps_every_record_of_the_local_runner(service: Stridewell) -> None:
    add_demo(service, only_if_unused=True)
    local = service.local()
    mine = local.assessments.assess(HEEL)
    local.journal.log_entry({"day": service.today().isoformat(), "pain_morning": 2})
    assert service.demo.remove()
    assert [r.id for r in local.assessments.history()] == [mine.id]
    assert len(local.journal.entries()) == 1
    assert service.demo.services().assessments.history() == []


def _cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"STRIDEWELL_DATABASE_URL": f"sqlite:///{(tmp_path / 'cli.db').as_posix()}"}
    return subprocess.run([sys.executable, "-m", "stridewell.cli.main", *args],
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, **env})  # fmt: skip


def test_the_demo_command_adds_removes_and_leaves_the_cli_runner_alone(tmp_path: Path) -> None:
    assert _cli(tmp_path, "db", "upgrade").returncode == 0
    added = _cli(tmp_path, "demo", "--if-empty")
    assert added.returncode == 0, added.stderr
    assert "demo runner" in added.stdout
    # The CLI is the local runner: it sees none of the demo.
    assert _cli(tmp_path, "history", "--json").stdout.strip() == "[]"
    assert "already there" in _cli(tmp_path, "demo").stdout
    removed = _cli(tmp_path, "demo", "--remove")
    assert removed.returncode == 0 and "removed" in removed.stdout
    assert "not added" in _cli(tmp_path, "demo", "--if-empty").stdout


def test_removing_the_demo_also_takes_the_demo_shoe_an_earlier_version_left_in_your_records(
    service: Stridewell,
) -> None:
    # Before the demo had a runner of its own, its shoe went into the local runner's
    # records as the default pair, and counted the runner's imported runs.
    local = service.local()
    local.shoes.add(DEMO_SHOE)
    mine = local.shoes.add({"brand": "Acme", "model": "Daily", "type": "neutral_cushioned"})
    local.training.import_paths([RUN])
    assert [s["id"] for s in local.shoes.overview()["shoes"]] != [mine.id]
    assert remove_demo(service) == (False, 1)
    assert [s["id"] for s in local.shoes.overview()["shoes"]] == [mine.id]
    assert len(local.training.activities(limit=None)) == 1  # the run stays, with no pair
