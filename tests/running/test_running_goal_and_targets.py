"""Targets from the history before the pain (or typed in), the rules file, and prevention
mode: a goal within reach gets its goal run; one out of reach says so, with the date."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pytest
import yaml
from running_builders import START, usual_history

from stridewell.activities.model import Activity, Samples
from stridewell.errors import KnowledgeBaseError
from stridewell.journal.model import ActivityType, JournalEntry
from stridewell.knowledge.loader import data_dir
from stridewell.running import (
    DoneRun,
    Goal,
    Mode,
    NotEnoughHistory,
    SessionKind,
    all_runs,
    build_running_plan,
    load_running_rules,
    runs_from_activities,
    targets_from_history,
    typed_targets,
)
from stridewell.running.rules import citation_ids, load_running_rules_from
from stridewell.text import day_words

HISTORY = [DoneRun(day=START - timedelta(days=b), km=6.0, minutes=36) for b in (2, 4, 6, 9, 11, 13)]


def test_the_running_rules_load_and_every_source_is_a_known_citation() -> None:
    rules = load_running_rules()
    assert rules.citation_ids_used() <= citation_ids(data_dir())


def test_the_stated_bounds_are_110_pct_a_run_and_10_pct_a_week_with_their_sources() -> None:
    plan = build_running_plan(START, START, typed_targets(3, 20.0, 8.0), HISTORY)
    bounds = {b.id: b for b in plan.bounds}
    assert bounds["single_run"].pct == 110 and "110 %" in bounds["single_run"].text
    assert bounds["single_run"].sources == ["single_session_spike_2025"]
    assert bounds["weekly_growth"].pct == 10 and "10 %" in bounds["weekly_growth"].text
    assert bounds["weekly_growth"].sources == ["training_errors_2012", "acwr_gabbett_2016"]


def _copy_rules(tmp_path: Path) -> tuple[Path, dict[str, object]]:
    folder = tmp_path / "data"
    shutil.copytree(data_dir(), folder)
    path = folder / "running.yaml"
    return path, yaml.safe_load(path.read_text())


def test_an_unknown_citation_in_the_running_rules_fails_to_load(tmp_path: Path) -> None:
    path, raw = _copy_rules(tmp_path)
    raw["texts"]["session.rest"]["sources"] = ["nobody_2099"]  # type: ignore[index]
    path.write_text(yaml.safe_dump(raw))
    with pytest.raises(KnowledgeBaseError, match="nobody_2099"):
        load_running_rules_from(path, citation_ids(path.parent))


def test_a_text_with_an_unknown_placeholder_fails_to_load(tmp_path: Path) -> None:
    path, raw = _copy_rules(tmp_path)
    raw["texts"]["session.rest"]["text"] = "Rest {minutes}"  # type: ignore[index]
    path.write_text(yaml.safe_dump(raw))
    with pytest.raises(KnowledgeBaseError, match="texts"):
        load_running_rules_from(path, citation_ids(path.parent))


def test_targets_are_the_median_week_of_the_eight_weeks_before_the_pain() -> None:
    onset = START - timedelta(days=70)
    runs = usual_history(onset)
    runs.append(DoneRun(day=onset - timedelta(days=20), km=30.0, minutes=200))  # one outlier
    targets = targets_from_history(runs, onset)
    assert (targets.runs_per_week, targets.weekly_km, targets.long_run_km) == (4, 40.0, 14.0)
    assert targets.usual_runs_per_week == 1 and targets.long_run_weekday == 6
    assert "8 weeks before" in targets.method.text and "median" in targets.method.text


def test_too_few_runs_before_the_pain_asks_for_typed_targets() -> None:
    with pytest.raises(NotEnoughHistory, match="at least 6"):
        targets_from_history(HISTORY[:3], START)


def test_typed_targets_are_stated_as_typed_and_can_be_changed() -> None:
    targets = typed_targets(4, 35.0, 12.0)
    assert "Typed in by you" in targets.method.text
    changed = typed_targets(5, 45.0, 15.0)
    plan = build_running_plan(START, START, changed, HISTORY)
    assert plan.targets.weekly_km == 45.0 and max(w.budget_km for w in plan.weeks) == 45.0
    with pytest.raises(ValueError, match="longer than the whole week"):
        typed_targets(3, 10.0, 12.0)


def test_a_run_imported_and_logged_counts_once_and_a_logged_run_counts_at_the_easy_pace() -> None:
    imported = [DoneRun(day=START, km=8.0, minutes=48)]
    entries = [
        JournalEntry(day=START, activity=ActivityType.run, activity_minutes=48),
        JournalEntry(day=START + timedelta(days=1), activity=ActivityType.run, activity_minutes=40),
    ]
    runs = all_runs(imported, entries, pace_s_per_km=400)
    assert [(r.day, r.km, r.source) for r in runs] == [
        (START, 8.0, "import"),
        (START + timedelta(days=1), 6.0, "journal"),
    ]


def test_imported_runs_fall_on_their_local_day() -> None:
    late = datetime(2026, 6, 1, 23, 30, tzinfo=UTC)
    samples = Samples(time_s=np.zeros(1, np.float32))
    run = Activity("fit", "running", None, False, late, 3000.0, 3000.0, 10000.0,
                   None, None, None, None, samples)  # fmt: skip
    ride = Activity("fit", "cycling", None, False, late, 3000.0, 3000.0, 30000.0,
                    None, None, None, None, samples)  # fmt: skip
    plus_two = timezone(timedelta(hours=2))
    runs = runs_from_activities([run, ride], plus_two)
    assert [(r.day.isoformat(), r.km, r.minutes) for r in runs] == [("2026-06-02", 10.0, 50.0)]


def test_a_goal_within_reach_gets_its_goal_run_on_its_day() -> None:
    goal = Goal(km=10.0, day=START + timedelta(days=68))
    plan = build_running_plan(
        START, START, typed_targets(3, 20.0, 8.0), HISTORY, mode=Mode.prevention, goal=goal
    )
    assert plan.goal is not None and plan.goal.reachable
    day = plan.day_of(goal.day)
    assert day is not None and day.run is not None
    assert (day.run.kind, day.run.km) == (SessionKind.goal_run, 10.0)


def test_a_goal_too_soon_says_so_and_the_earliest_date_it_gives_is_reachable() -> None:
    targets = typed_targets(3, 20.0, 8.0)
    soon = Goal(km=21.1, day=START + timedelta(days=19))
    plan = build_running_plan(START, START, targets, HISTORY, mode=Mode.prevention, goal=soon)
    check = plan.goal
    assert check is not None and not check.reachable and check.earliest is not None
    assert "cannot be reached" in check.reason.text
    assert day_words(check.earliest) in check.reason.text
    assert not any(d.run and d.run.kind is SessionKind.goal_run for d in plan.days())

    def reachable_on(day: object) -> bool:
        goal = Goal(km=21.1, day=day)  # type: ignore[arg-type]
        again = build_running_plan(START, START, targets, HISTORY, mode=Mode.prevention, goal=goal)
        return again.goal is not None and again.goal.reachable

    assert reachable_on(check.earliest)
    assert not reachable_on(check.earliest - timedelta(days=1))
