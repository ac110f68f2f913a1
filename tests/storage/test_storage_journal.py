"""Journal entries on both backends: round trips, revisions, ordering, atomicity, races."""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest

from stridewell.journal.model import ActivityType, JournalEntry
from stridewell.storage import LOCAL_RUNNER_ID, Store, StoredJournalEntry, UnknownRunner

RowCount = Callable[[str], int]
FailingStatement = Callable[[str], AbstractContextManager[None]]
PausedStatement = Callable[[str], AbstractContextManager[Any]]

ME = LOCAL_RUNNER_ID
D1, D2, D3, D4 = (date(2026, 11, day) for day in (2, 3, 4, 5))
T0 = datetime(2026, 11, 2, 7, 0, tzinfo=UTC)


def entry_json(day: date, **fields: Any) -> dict[str, Any]:
    """A journal entry as the service layer hands it over: the pydantic model as JSON."""
    return JournalEntry(day=day, **fields).model_dump(mode="json")


def add(store: Store, day: date = D1, at: datetime = T0, **fields: Any) -> StoredJournalEntry:
    return store.journal.add_journal_entry(
        runner_id=ME, day=day, data=entry_json(day, **fields), recorded_at=at
    )


def edit(
    store: Store, entry_id: str, day: date = D1, at: datetime = T0, **fields: Any
) -> StoredJournalEntry | None:
    return store.journal.edit_journal_entry(
        entry_id, runner_id=ME, day=day, data=entry_json(day, **fields), recorded_at=at
    )


def test_entry_round_trips_as_revision_one(store: Store) -> None:
    original = JournalEntry(
        day=D1,
        pain_rest=2,
        pain_morning=5,
        activity=ActivityType.cross_training,
        activity_minutes=30,
        exercises_done=["toe_scrunches"],
        notes="Ünïcödé ✓",
    )

    saved = store.journal.add_journal_entry(
        runner_id=ME, day=D1, data=original.model_dump(mode="json"), recorded_at=T0
    )

    assert (saved.runner_id, saved.day, saved.revision, saved.recorded_at) == (ME, D1, 1, T0)
    assert len(saved.id) == 32
    assert store.journal.list_journal_entries(ME) == [saved]
    assert store.journal.journal_entry_history(saved.id, ME) == [saved]
    assert JournalEntry.model_validate(saved.data) == original


def test_saved_entry_is_what_reads_back_not_the_callers_dict(store: Store) -> None:
    data: dict[str, Any] = {"scores": (1, 2), "nested": {"x": 1}}
    saved = store.journal.add_journal_entry(runner_id=ME, day=D1, data=data, recorded_at=T0)
    data["nested"]["x"] = 999

    assert saved.data == {"scores": [1, 2], "nested": {"x": 1}}
    assert store.journal.list_journal_entries(ME) == [saved]


def test_recorded_at_comes_back_aware_utc_and_equal(store: Store) -> None:
    kathmandu_morning = datetime(
        2026, 11, 2, 7, 30, 15, 123456, tzinfo=timezone(timedelta(hours=5, minutes=45))
    )

    saved = add(store, at=kathmandu_morning)
    [loaded] = store.journal.list_journal_entries(ME)

    assert loaded.recorded_at == saved.recorded_at == kathmandu_morning
    assert loaded.recorded_at.utcoffset() == saved.recorded_at.utcoffset() == timedelta(0)


def test_edit_adds_a_revision_and_keeps_every_earlier_one(store: Store) -> None:
    first = add(store, pain_rest=6)
    second = edit(store, first.id, at=T0 + timedelta(hours=1), pain_rest=4)
    third = edit(store, first.id, at=T0 + timedelta(hours=2), pain_rest=3, notes="better")

    history = store.journal.journal_entry_history(first.id, ME)

    assert [(r.revision, r.data["pain_rest"]) for r in history] == [(1, 6), (2, 4), (3, 3)]
    assert history == [first, second, third]
    assert {r.id for r in history} == {first.id}
    assert store.journal.list_journal_entries(ME) == [third]


def test_edit_can_move_an_entry_to_another_day_and_history_keeps_the_old_day(
    store: Store,
) -> None:
    saved = add(store, day=D1)

    moved = edit(store, saved.id, day=D3)

    assert moved is not None and moved.day == D3
    assert store.journal.list_journal_entries(ME, until=D2) == []
    assert store.journal.list_journal_entries(ME, since=D3, until=D3) == [moved]
    assert [r.day for r in store.journal.journal_entry_history(saved.id, ME)] == [D1, D3]


def test_entries_list_by_day_then_first_recorded_and_edits_do_not_reorder(
    store: Store,
) -> None:
    # Recorded out of order, so insertion order cannot pass for sorting.
    evening_d1 = add(store, day=D1, at=T0 + timedelta(hours=12))
    morning_d2 = add(store, day=D2, at=T0 + timedelta(days=1))
    morning_d1 = add(store, day=D1, at=T0)
    edited_morning_d1 = edit(store, morning_d1.id, day=D1, at=T0 + timedelta(days=2), pain_rest=1)

    listed = store.journal.list_journal_entries(ME)

    assert [r.id for r in listed] == [morning_d1.id, evening_d1.id, morning_d2.id]
    assert listed[0] == edited_morning_d1


def test_since_and_until_are_inclusive(store: Store) -> None:
    by_day = {day: add(store, day=day) for day in (D1, D2, D3, D4)}

    def days(**bounds: date) -> list[date]:
        return [r.day for r in store.journal.list_journal_entries(ME, **bounds)]

    assert days() == [D1, D2, D3, D4]
    assert days(since=D2) == [D2, D3, D4]
    assert days(until=D2) == [D1, D2]
    assert days(since=D2, until=D3) == [D2, D3]
    assert days(since=D3, until=D2) == []
    assert store.journal.list_journal_entries(ME, since=D4, until=D4) == [by_day[D4]]


def test_delete_removes_the_entry_with_its_whole_history(store: Store, row_count: RowCount) -> None:
    kept = add(store, day=D2)
    gone = add(store, day=D1)
    edit(store, gone.id, pain_rest=1)

    assert store.journal.delete_journal_entry(gone.id, ME) is True

    assert store.journal.list_journal_entries(ME) == [kept]
    assert store.journal.journal_entry_history(gone.id, ME) == []
    assert row_count("journal_revisions") == 1
    assert store.journal.delete_journal_entry(gone.id, ME) is False


def test_unknown_entry_is_not_found_by_edit_history_or_delete(
    store: Store, row_count: RowCount
) -> None:
    add(store)

    assert edit(store, "0" * 32) is None
    assert store.journal.journal_entry_history("0" * 32, ME) == []
    assert store.journal.delete_journal_entry("0" * 32, ME) is False
    assert row_count("journal_entries") == row_count("journal_revisions") == 1


def test_adding_for_an_unknown_runner_raises_and_writes_nothing(
    store: Store, row_count: RowCount
) -> None:
    with pytest.raises(UnknownRunner, match="ghost"):
        store.journal.add_journal_entry(runner_id="ghost", day=D1, data={}, recorded_at=T0)

    assert row_count("journal_entries") == 0


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("recorded_at", datetime(2026, 11, 2, 7, 0), ValueError),
        ("recorded_at", "2026-11-02T07:00:00Z", TypeError),
        ("day", datetime(2026, 11, 2, 7, 0, tzinfo=UTC), TypeError),
        ("day", "2026-11-02", TypeError),
        ("data", {"day": D1}, TypeError),
        ("data", {"pain": float("nan")}, ValueError),
        ("data", [1, 2], TypeError),
    ],
)
def test_unstorable_input_is_refused_and_changes_nothing(
    store: Store, row_count: RowCount, field: str, value: Any, error: type[Exception]
) -> None:
    saved = add(store, pain_rest=5)
    fields: dict[str, Any] = {"day": D1, "data": {"pain_rest": 1}, "recorded_at": T0}

    with pytest.raises(error):
        store.journal.add_journal_entry(runner_id=ME, **(fields | {field: value}))
    with pytest.raises(error):
        store.journal.edit_journal_entry(saved.id, runner_id=ME, **(fields | {field: value}))

    assert store.journal.list_journal_entries(ME) == [saved]
    assert row_count("journal_revisions") == 1


def test_date_filters_must_be_dates(store: Store) -> None:
    with pytest.raises(TypeError):
        store.journal.list_journal_entries(ME, since=datetime(2026, 11, 2, tzinfo=UTC))
    with pytest.raises(TypeError):
        store.journal.list_journal_entries(ME, until="2026-11-02")  # type: ignore[arg-type]


def test_failure_during_add_leaves_nothing_half_written(
    store: Store, row_count: RowCount, failing_statement: FailingStatement
) -> None:
    with (
        failing_statement("INSERT INTO journal_revisions"),
        pytest.raises(RuntimeError, match="injected"),
    ):
        add(store)

    # The entry row and the local runner were written before the failure: rolled back.
    assert row_count("journal_entries") == 0
    assert row_count("runners") == 0


def test_failure_during_edit_keeps_the_previous_revision_and_day(
    store: Store, row_count: RowCount, failing_statement: FailingStatement
) -> None:
    saved = add(store, day=D1, pain_rest=5)

    # The entry's day is updated before the revision is inserted; both must roll back.
    with (
        failing_statement("INSERT INTO journal_revisions"),
        pytest.raises(RuntimeError, match="injected"),
    ):
        edit(store, saved.id, day=D3, pain_rest=1)

    assert store.journal.list_journal_entries(ME) == [saved]
    assert store.journal.list_journal_entries(ME, since=D3) == []
    assert row_count("journal_revisions") == 1


def test_concurrent_edits_of_one_entry_both_land_as_successive_revisions(
    store: Store, paused_statement: PausedStatement
) -> None:
    # The first edit is held after reading the revision number, inside its transaction;
    # the second must wait for it and then take the next number, not collide with it.
    saved = add(store, pain_rest=6)
    with (
        ThreadPoolExecutor(max_workers=2) as pool,
        paused_statement("INSERT INTO journal_revisions") as pause,
    ):
        first = pool.submit(edit, store, saved.id, pain_rest=5)
        assert pause.reached.wait(10)
        second = pool.submit(edit, store, saved.id, pain_rest=4)
        time.sleep(0.5)  # let the second edit reach the point where it must wait
        pause.release.set()
        results = [first.result(timeout=15), second.result(timeout=15)]

    assert [r.revision for r in results if r is not None] == [2, 3]
    history = store.journal.journal_entry_history(saved.id, ME)
    assert [(r.revision, r.data["pain_rest"]) for r in history] == [(1, 6), (2, 5), (3, 4)]
