"""Imported source files on both backends: digests recorded once, with their activities."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import Engine, select

from stridewell.storage import LOCAL_RUNNER_ID, Store, UnknownRunner
from stridewell.storage.models import ImportFileRow

MakeActivity = Callable[..., dict[str, Any]]
RowCount = Callable[[str], int]
FailingStatement = Callable[..., AbstractContextManager[None]]

ME = LOCAL_RUNNER_ID
SEEN = datetime(2026, 11, 20, 21, 0, tzinfo=UTC)
KATHMANDU = timezone(timedelta(hours=5, minutes=45))
A, B, C = ("a" * 64, "b" * 64, "0123456789abcdef" * 4)


def file(
    digest: str, activities: int = 1, source_name: str = "export.zip/1.fit.gz"
) -> dict[str, Any]:
    return {"digest": digest, "source_name": source_name, "activities": activities}


def test_digests_round_trip_and_each_file_is_recorded_once(
    store: Store, direct_engine: Engine
) -> None:
    first = [file(A, 3, "Ünïcödé ✓.fit"), file(B, 0), file(A, 9, "again.fit")]

    assert store.files.record_import_files(ME, first, first_seen=SEEN.astimezone(KATHMANDU)) == 2
    assert store.files.record_import_files(ME, [file(B, 5), file(C)]) == 1
    assert store.files.record_import_files(ME, []) == 0

    assert store.files.known_file_digests(ME) == {A, B, C}
    stored = select(ImportFileRow).where(ImportFileRow.digest == A)
    with direct_engine.connect() as connection:
        row = connection.execute(stored).one()
    # The first row of a digest is kept, with the first call's time (in UTC).
    assert (row.source_name, row.activities) == ("Ünïcödé ✓.fit", 3)
    assert (row.first_seen, row.first_seen.utcoffset()) == (SEEN, timedelta(0))


@pytest.mark.parametrize(
    ("rows", "error", "message"),
    [
        ([file(A.upper())], ValueError, r"rows\[0\]\.digest must be 64 lower-case hex"),
        ([file(A), file("a" * 63)], ValueError, r"rows\[1\]\.digest"),
        ([file(A, -1)], ValueError, r"rows\[0\]\.activities must not be negative"),
        ([file(A, True)], TypeError, r"rows\[0\]\.activities must be an int"),
        ([{"digest": A, "activities": 1}], ValueError, r"missing keys \['source_name'\]"),
        ("not rows", TypeError, "rows must be a sequence of mappings"),
    ],
)
def test_malformed_file_rows_are_refused_and_nothing_is_recorded(
    store: Store, row_count: RowCount, rows: Any, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        store.files.record_import_files(ME, rows)

    assert row_count("import_files") == 0


def test_files_are_recorded_with_their_activities(
    store: Store, make_activity: MakeActivity, row_count: RowCount
) -> None:
    result = store.activities.add_activities(
        ME, [make_activity(0), make_activity(1)], files=[file(A, 2), file(B, 0)]
    )
    # Files whose activities are all duplicates are still recorded, once.
    again = store.activities.add_activities(ME, [make_activity(0)], files=[file(A, 1), file(C, 0)])

    assert (len(result.inserted_ids), again.inserted_ids) == (2, [])
    assert store.files.known_file_digests(ME) == {A, B, C}
    assert row_count("import_files") == 3
    with pytest.raises(UnknownRunner, match="ghost"):
        store.files.record_import_files("ghost", [file(A)])


def test_no_file_is_recorded_unless_its_activities_are_stored(
    store: Store,
    make_activity: MakeActivity,
    row_count: RowCount,
    failing_statement: FailingStatement,
) -> None:
    rows = [make_activity(0)]

    with (
        failing_statement("INSERT INTO activities"),
        pytest.raises(RuntimeError, match="injected"),
    ):
        store.activities.add_activities(ME, rows, files=[file(A)])
    # And the other way round: a file row that fails takes the activities with it.
    with (
        failing_statement("INSERT INTO import_files"),
        pytest.raises(RuntimeError, match="injected"),
    ):
        store.activities.add_activities(ME, rows, files=[file(A)])
    with pytest.raises(ValueError, match=r"files\[0\]\.digest"):
        store.activities.add_activities(ME, rows, files=[file("x")])

    assert (row_count("activities"), row_count("import_files")) == (0, 0)
