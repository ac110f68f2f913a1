"""On both backends: the demo runner (apart, removable with all it holds) and a day's
check-in written against that day's entries in one locked transaction."""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from datetime import UTC, date, datetime
from typing import Any

import pytest

from stridewell.journal.model import JournalEntry
from stridewell.journal.supersede import DayEntry, supersede
from stridewell.storage import LOCAL_RUNNER_ID, Store, StoredJournalEntry
from stridewell.storage.records import DEMO_RUNNER_ID

PausedStatement = Callable[[str], AbstractContextManager[Any]]
RowCount = Callable[[str], int]

DAY = date(2026, 11, 2)
T0 = datetime(2026, 11, 2, 7, 0, tzinfo=UTC)


def test_a_new_database_is_empty_until_a_runner_appears(store: Store) -> None:
    assert store.demo.database_is_empty()
    assert store.demo.create_demo_runner(T0)
    assert not store.demo.database_is_empty()


def test_the_demo_runner_is_created_once(store: Store) -> None:
    assert not store.demo.demo_runner_exists()
    assert store.demo.create_demo_runner(T0)
    assert not store.demo.create_demo_runner(T0)
    assert store.demo.demo_runner_exists()


def test_removing_the_demo_takes_its_rows_and_leaves_the_local_runner(
    store: Store, row_count: RowCount
) -> None:
    store.demo.create_demo_runner(T0)
    for runner in (DEMO_RUNNER_ID, LOCAL_RUNNER_ID):
        store.journal.add_journal_entry(
            runner_id=runner, day=DAY, data={"day": DAY.isoformat()}, recorded_at=T0
        )
    assert row_count("journal_entries") == 2
    assert store.demo.remove_demo_runner(T0)
    assert not store.demo.demo_runner_exists()
    assert row_count("journal_entries") == 1
    assert len(store.journal.list_journal_entries(LOCAL_RUNNER_ID)) == 1
    assert not store.demo.remove_demo_runner(T0)
    # Removing leaves the database in use: `make run` will not add the demo again.
    assert not store.demo.database_is_empty()


def test_removing_the_demo_never_deletes_a_real_runner(store: Store) -> None:
    store.journal.add_journal_entry(
        runner_id=LOCAL_RUNNER_ID, day=DAY, data={"day": DAY.isoformat()}, recorded_at=T0
    )
    assert not store.demo.remove_demo_runner(T0)
    assert len(store.journal.list_journal_entries(LOCAL_RUNNER_ID)) == 1


def _morning(pain: int) -> JournalEntry:
    return JournalEntry(day=DAY, pain_morning=pain)


def _check_in(store: Store, new: JournalEntry) -> list[StoredJournalEntry]:
    """What the journal service does: supersede against the day's entries, then write."""

    def decide(day_entries: list[StoredJournalEntry]) -> list[tuple[str | None, dict[str, Any]]]:
        current = [DayEntry(s.id, JournalEntry.model_validate(s.data)) for s in day_entries]
        outcome = supersede(new, current)
        changes: list[tuple[str | None, dict[str, Any]]] = []
        if outcome.add is not None:
            changes.append((None, outcome.add.model_dump(mode="json")))
        return changes + [(d.id, d.entry.model_dump(mode="json")) for d in outcome.revise]

    return store.journal.write_journal_day(
        runner_id=LOCAL_RUNNER_ID, day=DAY, recorded_at=T0, decide=decide
    )


def test_a_day_write_adds_then_revises_the_same_entry(store: Store) -> None:
    [first] = _check_in(store, _morning(6))
    [second] = _check_in(store, _morning(3))
    assert (second.id, second.revision) == (first.id, 2)
    [listed] = store.journal.list_journal_entries(LOCAL_RUNNER_ID)
    assert listed.data["pain_morning"] == 3
    history = store.journal.journal_entry_history(first.id, LOCAL_RUNNER_ID)
    assert [r.data["pain_morning"] for r in history] == [6, 3]


def test_a_day_write_refuses_an_entry_of_another_day(store: Store) -> None:
    other = store.journal.add_journal_entry(
        runner_id=LOCAL_RUNNER_ID, day=date(2026, 11, 1), data={"day": "2026-11-01"},
        recorded_at=T0,
    )  # fmt: skip
    with pytest.raises(ValueError, match="not one of the day's entries"):
        store.journal.write_journal_day(
            runner_id=LOCAL_RUNNER_ID, day=DAY, recorded_at=T0,
            decide=lambda _: [(other.id, {"day": DAY.isoformat()})],
        )  # fmt: skip
    assert store.journal.journal_entry_history(other.id, LOCAL_RUNNER_ID)[-1].revision == 1


def test_two_check_ins_for_one_moment_at_once_leave_one_entry(
    store: Store, paused_statement: PausedStatement
) -> None:
    # The first check-in is held inside its transaction, after reading the day; the
    # second must wait for it and then see its entry, not add a second one. (The runner
    # exists already: creating it would make the two wait for each other anyway.)
    _check_in(store, JournalEntry(day=DAY, pain_rest=1))
    with (
        ThreadPoolExecutor(max_workers=2) as pool,
        paused_statement("INSERT INTO journal_revisions") as pause,
    ):
        first = pool.submit(_check_in, store, _morning(6))
        assert pause.reached.wait(10)
        second = pool.submit(_check_in, store, _morning(4))
        time.sleep(0.5)  # let the second check-in reach the point where it must wait
        pause.release.set()
        first.result(timeout=15)
        second.result(timeout=15)

    entries = store.journal.list_journal_entries(LOCAL_RUNNER_ID)
    mornings = [e for e in entries if e.data["pain_morning"] is not None]
    assert len(entries) == 2
    assert [(e.revision, e.data["pain_morning"]) for e in mornings] == [(2, 4)]
