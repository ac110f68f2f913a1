"""Activities on both backends: bulk import, duplicates, atomicity."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import Engine, event, text
from sqlalchemy.exc import IntegrityError

from stridewell.storage import (
    LOCAL_RUNNER_ID,
    Store,
    StoredActivity,
    UnknownRunner,
    activity_repo,
)

MakeActivity = Callable[..., dict[str, Any]]
RowCount = Callable[[str], int]
FailingStatement = Callable[..., AbstractContextManager[None]]
PausedStatement = Callable[[str], AbstractContextManager[Any]]

ME = LOCAL_RUNNER_ID
IMPORTED = datetime(2026, 11, 20, 21, 0, tzinfo=UTC)
KATHMANDU = timezone(timedelta(hours=5, minutes=45))
# Bytes a text column would mangle: NUL, invalid UTF-8, every byte value.
SAMPLES = b"\x00SWS1\xff\xfe" + bytes(range(256)) * 40


def add(store: Store, rows: list[dict[str, Any]], runner_id: str = ME) -> list[str]:
    return store.activities.add_activities(runner_id, rows, imported_at=IMPORTED).inserted_ids


@contextmanager
def counted_statements(store: Store, statement_start: str) -> Iterator[list[str]]:
    """Collects the store's statements that start with ``statement_start``."""
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.lstrip().startswith(statement_start):
            seen.append(statement)

    event.listen(store._engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(store._engine, "before_cursor_execute", count)


def full_row(make_activity: MakeActivity) -> dict[str, Any]:
    return make_activity(
        0,
        source_format="tcx",
        sport="running",
        sub_sport="treadmill",
        is_indoor=True,
        start_time=datetime(2026, 10, 1, 12, 15, 30, 250000, tzinfo=KATHMANDU),
        duration_s=3612.5,
        moving_time_s=3490.25,
        distance_m=10_012.75,
        elevation_gain_m=0,
        avg_hr=151.5,
        max_hr=178.0,
        avg_cadence=172.4,
        name="Morgenlauf Ünïcödé ✓ " + "long name " * 100,
        device="Garmin Forerunner 265",
        gear="Pegasus 40 (blue)",
        external_id="12345678901",
        warnings=("heart rate dropped out", "no GPS"),
        samples=bytearray(SAMPLES),
        original_path="originals/2026/10/abc.tcx.gz",
    )


def test_activity_round_trips_with_every_field_and_its_samples(
    store: Store, make_activity: MakeActivity
) -> None:
    row = full_row(make_activity)

    result = store.activities.add_activities(ME, [row], imported_at=IMPORTED.astimezone(KATHMANDU))

    [activity_id] = result.inserted_ids
    assert result.duplicate_fingerprints == []
    loaded = store.activities.get_activity(activity_id, ME, with_samples=True)
    as_stored = row | {
        "start_time": datetime(2026, 10, 1, 6, 30, 30, 250000, tzinfo=UTC),
        "warnings": ["heart rate dropped out", "no GPS"],
        "samples": SAMPLES,
    }
    expected = StoredActivity(
        id=activity_id,
        runner_id=ME,
        shoe_id=None,
        imported_at=IMPORTED,
        has_samples=True,
        **as_stored,
    )
    assert loaded == expected
    assert loaded.start_time.utcoffset() == timedelta(0)
    assert loaded.imported_at.utcoffset() == timedelta(0)
    assert type(loaded.samples) is bytes and type(loaded.is_indoor) is bool


def test_lists_and_plain_gets_leave_the_samples_out_but_say_they_exist(
    store: Store, make_activity: MakeActivity
) -> None:
    [with_samples] = add(store, [make_activity(1, samples=SAMPLES)])
    [without] = add(store, [make_activity(2)])

    listed = {a.id: a for a in store.activities.list_activities(ME)}
    plain = store.activities.get_activity(with_samples, ME)

    assert plain is not None and plain.samples is None and plain.has_samples is True
    assert listed[with_samples] == plain
    assert listed[without].has_samples is False
    assert store.activities.get_activity(without, ME, with_samples=True) == listed[without]


def test_optional_keys_may_be_left_out(store: Store, make_activity: MakeActivity) -> None:
    [activity_id] = add(store, [make_activity(0)])

    loaded = store.activities.get_activity(activity_id, ME, with_samples=True)

    assert loaded is not None
    assert (loaded.sub_sport, loaded.elevation_gain_m, loaded.avg_hr, loaded.name) == (
        None,
        None,
        None,
        None,
    )
    assert (loaded.warnings, loaded.samples, loaded.original_path) == ([], None, None)


def test_imported_at_defaults_to_now(store: Store, make_activity: MakeActivity) -> None:
    before = datetime.now(UTC)
    [activity_id] = store.activities.add_activities(ME, [make_activity(0)]).inserted_ids

    loaded = store.activities.get_activity(activity_id, ME)

    assert loaded is not None and before <= loaded.imported_at <= datetime.now(UTC)


def test_fingerprints_already_stored_are_skipped_and_reported(
    store: Store, make_activity: MakeActivity, row_count: RowCount
) -> None:
    first = [make_activity(n) for n in range(3)]
    kept = add(store, first)
    again = [make_activity(3), make_activity(1, source_name="other.gpx"), make_activity(4)]

    result = store.activities.add_activities(ME, again, imported_at=IMPORTED)

    assert result.duplicate_fingerprints == [first[1]["fingerprint"]]
    assert len(result.inserted_ids) == 2
    assert row_count("activities") == 5
    # The stored activity is the first one, untouched.
    original = store.activities.get_activity(kept[1], ME)
    assert original is not None and original.source_name == first[1]["source_name"]
    assert {
        a.fingerprint for a in store.activities.list_activities(ME)
    } == store.activities.known_fingerprints(ME)


def test_a_fingerprint_repeated_within_one_call_keeps_the_first_row(
    store: Store, make_activity: MakeActivity
) -> None:
    rows = [
        make_activity(0, source_name="watch.fit"),
        make_activity(1),
        make_activity(0, source_name="phone.gpx"),
        make_activity(0, source_name="strava.tcx"),
    ]

    result = store.activities.add_activities(ME, rows, imported_at=IMPORTED)

    fingerprint = rows[0]["fingerprint"]
    assert result.duplicate_fingerprints == [fingerprint, fingerprint]
    assert len(result.inserted_ids) == 2
    stored = store.activities.get_activity(result.inserted_ids[0], ME)
    assert stored is not None and stored.source_name == "watch.fit"


def test_inserted_ids_follow_the_order_of_the_rows(
    store: Store, make_activity: MakeActivity
) -> None:
    add(store, [make_activity(5)])
    rows = [make_activity(n) for n in (9, 5, 1, 7)]

    result = store.activities.add_activities(ME, rows, imported_at=IMPORTED)

    assert [store.activities.get_activity(i, ME).source_name for i in result.inserted_ids] == [  # type: ignore[union-attr]
        rows[0]["source_name"],
        rows[2]["source_name"],
        rows[3]["source_name"],
    ]


def test_a_thousand_activities_import_in_batches_and_reimport_as_duplicates(
    store: Store, make_activity: MakeActivity, row_count: RowCount
) -> None:
    rows = [make_activity(n) for n in range(1000)]

    with counted_statements(store, "INSERT INTO activities") as inserts:
        first = store.activities.add_activities(ME, rows, imported_at=IMPORTED)
    second = store.activities.add_activities(ME, rows, imported_at=IMPORTED)

    assert len(first.inserted_ids) == len(set(first.inserted_ids)) == 1000
    assert len(inserts) == 1000 // activity_repo.BATCH_ROWS
    assert second.inserted_ids == []
    assert second.duplicate_fingerprints == [row["fingerprint"] for row in rows]
    assert row_count("activities") == store.activities.count_activities(ME) == 1000


def test_batches_are_cut_by_the_size_of_the_samples_too(
    store: Store, make_activity: MakeActivity, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(activity_repo, "BATCH_SAMPLE_BYTES", 2 * len(SAMPLES))
    rows = [make_activity(n, samples=SAMPLES) for n in range(5)]

    with counted_statements(store, "INSERT INTO activities") as inserts:
        assert len(add(store, rows)) == 5

    assert len(inserts) == 3  # 2 + 2 + 1 rows


@pytest.mark.parametrize(
    ("changes", "error", "message"),
    [
        ({"start_time": datetime(2026, 10, 9, 6, 0)}, ValueError, "start_time"),
        ({"distance_m": float("nan")}, ValueError, "distance_m"),
        ({"duration_s": float("inf")}, ValueError, "duration_s"),
        ({"moving_time_s": -1.0}, ValueError, "moving_time_s"),
        ({"avg_hr": True}, TypeError, "avg_hr"),
        ({"distance_m": "10 km"}, TypeError, "distance_m"),
        ({"is_indoor": 1}, TypeError, "is_indoor"),
        ({"fingerprint": "f" * 65}, ValueError, "fingerprint"),
        ({"fingerprint": ""}, ValueError, "fingerprint"),
        ({"sport": "s" * 33}, ValueError, "sport"),
        ({"gear": "g" * 121}, ValueError, "gear"),
        ({"warnings": "one warning"}, TypeError, "warnings"),
        ({"warnings": ["ok", 3]}, TypeError, "warnings"),
        ({"samples": "not bytes"}, TypeError, "samples"),
        ({"source_name": None}, TypeError, "source_name"),
        ({"heart_rate": 150}, ValueError, "unknown keys \\['heart_rate'\\]"),
    ],
)
def test_one_bad_row_refuses_the_whole_call_and_names_the_row(
    store: Store,
    make_activity: MakeActivity,
    row_count: RowCount,
    changes: dict[str, Any],
    error: type[Exception],
    message: str,
) -> None:
    rows = [make_activity(n) for n in range(5)]
    rows[3] = rows[3] | changes

    with pytest.raises(error, match=rf"rows\[3\].*{message}|{message}.*rows\[3\]"):
        store.activities.add_activities(ME, rows, imported_at=IMPORTED)

    assert row_count("activities") == 0


def test_missing_keys_and_non_mappings_are_refused(
    store: Store, make_activity: MakeActivity, row_count: RowCount
) -> None:
    row = make_activity(1)
    del row["fingerprint"]

    with pytest.raises(ValueError, match=r"rows\[1\]: missing keys \['fingerprint'\]"):
        store.activities.add_activities(ME, [make_activity(0), row])
    with pytest.raises(TypeError, match=r"rows\[0\] must be a mapping"):
        store.activities.add_activities(ME, [("running", 10_000.0)])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="sequence of mappings"):
        store.activities.add_activities(ME, make_activity(0))  # type: ignore[arg-type]

    assert row_count("activities") == 0


def test_a_database_failure_in_a_later_batch_leaves_nothing_inserted(
    store: Store,
    make_activity: MakeActivity,
    row_count: RowCount,
    failing_statement: FailingStatement,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The first two batches are written when the third fails: the rollback takes them too.
    monkeypatch.setattr(activity_repo, "BATCH_ROWS", 10)
    existing = add(store, [make_activity(100)])

    with (
        failing_statement("INSERT INTO activities", after=2),
        pytest.raises(RuntimeError, match="injected"),
    ):
        store.activities.add_activities(ME, [make_activity(n) for n in range(25)])

    assert row_count("activities") == 1
    assert [a.id for a in store.activities.list_activities(ME)] == existing
    assert len(add(store, [make_activity(n) for n in range(25)])) == 25


def test_the_database_itself_refuses_a_second_activity_with_one_fingerprint(
    store: Store, make_activity: MakeActivity, direct_engine: Engine
) -> None:
    [kept] = add(store, [make_activity(0)])
    insert = text(
        "INSERT INTO activities (id, runner_id, source_format, sport, is_indoor, start_time,"
        " duration_s, moving_time_s, distance_m, source_name, fingerprint, warnings,"
        " imported_at) VALUES (:id, :runner, 'gpx', 'running', false, :at, 1, 1, 1, 'x',"
        " :fingerprint, '[]', :at)"
    )
    values = {"runner": ME, "at": IMPORTED.replace(tzinfo=None)}

    with pytest.raises(IntegrityError), direct_engine.begin() as connection:
        connection.execute(
            insert, values | {"id": "d" * 32, "fingerprint": make_activity(0)["fingerprint"]}
        )

    assert [a.id for a in store.activities.list_activities(ME)] == [kept]


def test_unknown_runner_raises_and_writes_nothing(
    store: Store, make_activity: MakeActivity, row_count: RowCount
) -> None:
    with pytest.raises(UnknownRunner, match="ghost"):
        store.activities.add_activities("ghost", [make_activity(0)])

    assert row_count("activities") == 0


def test_empty_import_stores_nothing_and_reports_nothing(store: Store) -> None:
    result = store.activities.add_activities(ME, [])

    assert (result.inserted_ids, result.duplicate_fingerprints) == ([], [])


def test_imports_of_the_same_runs_at_once_store_each_run_once(
    store: Store,
    make_activity: MakeActivity,
    other_runner: str,
    paused_statement: PausedStatement,
    row_count: RowCount,
) -> None:
    # The first import is held just before it inserts; the second one must then either
    # wait for it or skip its rows, and never fail on the unique constraint.
    rows = [make_activity(n) for n in range(20)]
    with (
        ThreadPoolExecutor(max_workers=2) as pool,
        paused_statement("INSERT INTO activities") as pause,
    ):
        first = pool.submit(store.activities.add_activities, other_runner, rows)
        assert pause.reached.wait(10)
        second = pool.submit(store.activities.add_activities, other_runner, list(reversed(rows)))
        time.sleep(0.5)  # let the second import reach the point where it must wait
        pause.release.set()
        results = [first.result(timeout=15), second.result(timeout=15)]

    assert sorted(len(r.inserted_ids) for r in results) == [0, 20]
    assert sorted(len(r.duplicate_fingerprints) for r in results) == [0, 20]
    assert row_count("activities") == 20
