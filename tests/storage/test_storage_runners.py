"""Runners' data stays theirs: isolation of every read and write, cascades on deletion."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, text

from stridewell.storage import LOCAL_RUNNER_ID, Store, StoredAssessment

RowCount = Callable[[str], int]
SaveAssessment = Callable[..., StoredAssessment]

ME = LOCAL_RUNNER_ID
DAY = date(2026, 11, 2)
T0 = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
NEW_TABLES = (
    "journal_entries",
    "journal_revisions",
    "plans",
    "plan_days",
    "exercise_logs",
    "import_files",
)
DIGEST = "0123456789abcdef" * 4


def fill(store: Store, save_assessment: SaveAssessment, runner_id: str) -> dict[str, Any]:
    """One of everything for ``runner_id``: an edited entry, a plan with days, a log, an
    imported file (the same file for every runner)."""
    assessment = save_assessment(runner_id=runner_id)
    entry = store.journal.add_journal_entry(
        runner_id=runner_id, day=DAY, data={"pain_rest": 4}, recorded_at=T0
    )
    edited = store.journal.edit_journal_entry(
        entry.id, runner_id=runner_id, day=DAY, data={"pain_rest": 3}, recorded_at=T0
    )
    plan = store.plans.create_plan(
        runner_id=runner_id,
        assessment_id=assessment.id,
        start_date=DAY,
        created_at=T0,
        kb_version="2026.11",
        report={"runner": runner_id},
    )
    days = [{"day": DAY, "day_number": 1, "phase": "protect", "rule_id": "r", "data": {}}]
    store.plans.replace_plan_days(plan.id, runner_id, days)
    exercise = store.exercises.add_exercise_log(
        runner_id=runner_id,
        day=DAY,
        exercise_id="calf_raises",
        sets_done=3,
        reps_or_seconds=None,
        note="",
        recorded_at=T0,
    )
    store.files.record_import_files(
        runner_id, [{"digest": DIGEST, "source_name": "a.fit", "activities": 1}]
    )
    return {
        "entry": edited,
        "plan": plan,
        "days": store.plans.plan_days(plan.id, runner_id),
        "exercise": exercise,
    }


@pytest.fixture
def mine_and_anas(
    store: Store, save_assessment: SaveAssessment, other_runner: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    return fill(store, save_assessment, ME), fill(store, save_assessment, other_runner)


def test_reads_of_another_runners_records_find_nothing(
    store: Store, mine_and_anas: tuple[dict[str, Any], dict[str, Any]], other_runner: str
) -> None:
    mine, anas = mine_and_anas

    assert store.journal.list_journal_entries(ME) == [mine["entry"]]
    assert store.journal.list_journal_entries(other_runner) == [anas["entry"]]
    assert store.journal.journal_entry_history(anas["entry"].id, ME) == []
    assert store.plans.get_plan(anas["plan"].id, ME) is None
    assert store.plans.active_plan(ME) == mine["plan"]
    assert store.plans.plan_days(anas["plan"].id, ME) == []
    assert store.exercises.list_exercise_logs(ME) == [mine["exercise"]]
    assert store.exercises.list_exercise_logs(other_runner) == [anas["exercise"]]
    assert store.files.known_file_digests(other_runner) == {DIGEST}


def test_edits_and_deletes_of_another_runners_records_find_nothing_and_change_nothing(
    store: Store,
    mine_and_anas: tuple[dict[str, Any], dict[str, Any]],
    other_runner: str,
    row_count: RowCount,
) -> None:
    _, anas = mine_and_anas
    counts = {table: row_count(table) for table in NEW_TABLES}
    entry_id, plan_id = anas["entry"].id, anas["plan"].id
    new_days = [{"day": DAY, "day_number": 9, "phase": "hacked", "rule_id": "x", "data": {}}]

    assert (
        store.journal.edit_journal_entry(entry_id, runner_id=ME, day=DAY, data={}, recorded_at=T0)
        is None
    )
    assert store.journal.delete_journal_entry(entry_id, ME) is False
    assert store.plans.replace_plan_days(plan_id, ME, new_days) is False
    assert store.plans.end_plan(plan_id, ME) is False

    assert {table: row_count(table) for table in NEW_TABLES} == counts
    assert store.journal.list_journal_entries(other_runner) == [anas["entry"]]
    assert store.plans.active_plan(other_runner) == anas["plan"]
    assert store.plans.plan_days(plan_id, other_runner) == anas["days"]


def test_a_new_plan_leaves_other_runners_active_plans_alone(
    store: Store, mine_and_anas: tuple[dict[str, Any], dict[str, Any]], other_runner: str
) -> None:
    _, anas = mine_and_anas

    store.plans.create_plan(
        runner_id=ME,
        assessment_id=None,
        start_date=DAY,
        created_at=T0,
        kb_version="2026.11",
        report={},
    )

    assert store.plans.active_plan(other_runner) == anas["plan"]


def test_deleting_a_runner_cascades_to_all_their_records(
    store: Store,
    mine_and_anas: tuple[dict[str, Any], dict[str, Any]],
    other_runner: str,
    direct_engine: Engine,
    row_count: RowCount,
) -> None:
    mine, anas = mine_and_anas
    before = {table: row_count(table) for table in NEW_TABLES}

    with direct_engine.begin() as connection:
        connection.execute(text("DELETE FROM runners WHERE id = :id"), {"id": ME})

    # Each runner had one of everything (two journal revisions): half of every table is gone.
    assert {table: row_count(table) for table in NEW_TABLES} == {
        table: count // 2 for table, count in before.items()
    }
    assert store.journal.list_journal_entries(ME) == []
    assert store.journal.journal_entry_history(mine["entry"].id, ME) == []
    assert store.plans.get_plan(mine["plan"].id, ME) is None
    assert store.plans.plan_days(mine["plan"].id, ME) == []
    assert store.exercises.list_exercise_logs(ME) == []
    assert store.files.known_file_digests(ME) == set()
    # The other runner keeps everything.
    assert store.journal.list_journal_entries(other_runner) == [anas["entry"]]
    assert len(store.journal.journal_entry_history(anas["entry"].id, other_runner)) == 2
    assert store.plans.active_plan(other_runner) == anas["plan"]
    assert store.plans.plan_days(anas["plan"].id, other_runner) == anas["days"]
    assert store.exercises.list_exercise_logs(other_runner) == [anas["exercise"]]
