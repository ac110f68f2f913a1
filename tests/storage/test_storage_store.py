"""Store behaviour on both backends: round trips, time zones, paging, isolation, atomicity."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event, text

from stridewell.storage import (
    LOCAL_RUNNER_ID,
    DatabaseError,
    StorageError,
    Store,
    StoredAssessment,
    UnknownRunner,
)
from stridewell.storage.models import AssessmentRow
from stridewell.storage.records import AssessmentToStore

SaveAssessment = Callable[..., StoredAssessment]

T0 = datetime(2026, 11, 1, 6, 0, tzinfo=UTC)


def count_rows(engine: Engine, table: str) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def add_runner(engine: Engine, runner_id: str) -> None:
    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO runners (id, name, created_at) VALUES (:id, :name, :at)"),
            {"id": runner_id, "name": f"Runner {runner_id}", "at": T0.replace(tzinfo=None)},
        )


def test_assessment_round_trips_with_its_report(
    store: Store,
    save_assessment: SaveAssessment,
    assessment_json: dict[str, Any],
    report_json: dict[str, Any],
) -> None:
    saved = save_assessment(top_condition="plantar_fasciitis", rules_fired=["a", "b"])

    loaded = store.assessments.get_assessment(saved.id, LOCAL_RUNNER_ID)

    assert loaded == saved
    assert loaded.assessment == assessment_json
    assert loaded.report == report_json
    assert loaded.runner_id == LOCAL_RUNNER_ID
    assert (loaded.level, loaded.top_condition, loaded.kb_version) == (
        "self_care",
        "plantar_fasciitis",
        "2026.11",
    )
    assert loaded.rules_fired == ["a", "b"]
    assert len(loaded.id) == 32


def test_missing_top_condition_round_trips_as_none(
    store: Store, save_assessment: SaveAssessment
) -> None:
    saved = save_assessment(top_condition=None)

    loaded = store.assessments.get_assessment(saved.id, LOCAL_RUNNER_ID)

    assert loaded is not None and loaded.top_condition is None


def test_saved_record_is_what_reads_back_not_the_callers_objects(
    store: Store, save_assessment: SaveAssessment
) -> None:
    report: dict[str, Any] = {"pair": (1, 2), "scores": {"x": 1}}
    saved = save_assessment(report=report)
    report["scores"]["x"] = 999

    assert saved.report == {"pair": [1, 2], "scores": {"x": 1}}
    assert store.assessments.get_assessment(saved.id, LOCAL_RUNNER_ID) == saved


def test_aware_datetimes_come_back_aware_utc_and_equal(
    store: Store, save_assessment: SaveAssessment
) -> None:
    kolkata_evening = datetime(
        2026, 3, 29, 22, 15, 30, 123456, tzinfo=timezone(timedelta(hours=5, minutes=30))
    )

    saved = save_assessment(created_at=kolkata_evening)
    loaded = store.assessments.get_assessment(saved.id, LOCAL_RUNNER_ID)

    assert loaded is not None
    assert loaded.created_at == kolkata_evening
    assert loaded.created_at.utcoffset() == timedelta(0)
    assert loaded.created_at.replace(tzinfo=None) == datetime(2026, 3, 29, 16, 45, 30, 123456)


def test_naive_created_at_is_refused_and_nothing_is_saved(
    store: Store, save_assessment: SaveAssessment
) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        save_assessment(created_at=datetime(2026, 11, 1, 6, 0))

    assert store.assessments.list_assessments(LOCAL_RUNNER_ID) == []


def test_list_is_newest_first_and_paged(store: Store, save_assessment: SaveAssessment) -> None:
    # Saved out of chronological order, so insertion order cannot pass for sorting.
    day_offsets = [3, 0, 4, 1, 2]
    saved = {
        offset: save_assessment(created_at=T0 + timedelta(days=offset)) for offset in day_offsets
    }
    newest_first = [saved[offset].id for offset in sorted(day_offsets, reverse=True)]

    pages = [
        store.assessments.list_assessments(LOCAL_RUNNER_ID, limit=2, offset=offset)
        for offset in (0, 2, 4, 6)
    ]

    assert [[record.id for record in page] for page in pages] == [
        newest_first[0:2],
        newest_first[2:4],
        newest_first[4:5],
        [],
    ]
    assert [
        record.id for record in store.assessments.list_assessments(LOCAL_RUNNER_ID)
    ] == newest_first


def test_pages_neither_overlap_nor_skip_when_timestamps_are_equal(
    store: Store, save_assessment: SaveAssessment
) -> None:
    saved_ids = {save_assessment(created_at=T0).id for _ in range(5)}

    paged_ids = [
        record.id
        for offset in (0, 2, 4)
        for record in store.assessments.list_assessments(LOCAL_RUNNER_ID, limit=2, offset=offset)
    ]

    assert len(paged_ids) == 5
    assert set(paged_ids) == saved_ids


def test_negative_paging_is_refused(store: Store) -> None:
    with pytest.raises(ValueError):
        store.assessments.list_assessments(LOCAL_RUNNER_ID, limit=-1)
    with pytest.raises(ValueError):
        store.assessments.list_assessments(LOCAL_RUNNER_ID, offset=-1)


def test_get_of_another_runners_assessment_returns_none(
    store: Store, save_assessment: SaveAssessment, direct_engine: Engine
) -> None:
    add_runner(direct_engine, "ana")
    anas = save_assessment(runner_id="ana")
    mine = save_assessment()

    assert store.assessments.get_assessment(anas.id, LOCAL_RUNNER_ID) is None
    assert store.assessments.get_assessment(mine.id, "ana") is None
    assert store.assessments.get_assessment(anas.id, "ana") == anas
    assert [record.id for record in store.assessments.list_assessments(LOCAL_RUNNER_ID)] == [
        mine.id
    ]
    assert [record.id for record in store.assessments.list_assessments("ana")] == [anas.id]


def test_get_of_unknown_id_returns_none(store: Store) -> None:
    assert store.assessments.get_assessment("0" * 32, LOCAL_RUNNER_ID) is None


def test_local_runner_is_created_on_first_save_only(
    save_assessment: SaveAssessment, direct_engine: Engine
) -> None:
    assert count_rows(direct_engine, "runners") == 0

    save_assessment()
    save_assessment()

    with direct_engine.connect() as connection:
        runners = connection.execute(text("SELECT id, name FROM runners")).all()
    assert [tuple(runner) for runner in runners] == [("local", "Local runner")]


def test_saving_for_an_unknown_runner_raises_and_writes_nothing(
    save_assessment: SaveAssessment, direct_engine: Engine
) -> None:
    with pytest.raises(UnknownRunner, match="ghost"):
        save_assessment(runner_id="ghost")

    assert count_rows(direct_engine, "assessments") == 0


@contextmanager
def failing_assessment_insert() -> Iterator[None]:
    """Make the assessment INSERT fail: it runs after the local runner row is written."""

    def fail(*_: Any) -> None:
        raise RuntimeError("injected failure")

    event.listen(AssessmentRow, "before_insert", fail)
    try:
        yield
    finally:
        event.remove(AssessmentRow, "before_insert", fail)


def test_failure_inside_save_leaves_nothing_half_written(
    store: Store, save_assessment: SaveAssessment, direct_engine: Engine
) -> None:
    with failing_assessment_insert(), pytest.raises(RuntimeError, match="injected failure"):
        save_assessment()

    # The local runner was inserted before the failure, so it must be rolled back too.
    assert count_rows(direct_engine, "runners") == 0
    assert count_rows(direct_engine, "assessments") == 0

    kept = save_assessment()
    with failing_assessment_insert(), pytest.raises(RuntimeError, match="injected failure"):
        save_assessment()

    assert store.assessments.list_assessments(LOCAL_RUNNER_ID) == [kept]
    assert count_rows(direct_engine, "assessments") == 1


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("report", {"when": datetime(2026, 1, 1, tzinfo=UTC)}, TypeError),
        ("report", {"tags": {"a", "b"}}, TypeError),
        ("assessment", {"pain_score": float("nan")}, ValueError),
        ("level", "x" * 17, ValueError),
        ("top_condition", "x" * 65, ValueError),
        ("kb_version", "x" * 33, ValueError),
    ],
)
def test_values_a_backend_would_store_differently_are_refused_before_writing(
    save_assessment: SaveAssessment,
    direct_engine: Engine,
    field: str,
    value: Any,
    error: type[Exception],
) -> None:
    with pytest.raises(error):
        save_assessment(**{field: value})

    assert count_rows(direct_engine, "runners") == 0
    assert count_rows(direct_engine, "assessments") == 0


def test_deleting_a_runner_cascades_to_its_assessments(
    store: Store, save_assessment: SaveAssessment, direct_engine: Engine
) -> None:
    add_runner(direct_engine, "ana")
    anas = save_assessment(runner_id="ana")
    mine = [save_assessment(), save_assessment()]

    with direct_engine.begin() as connection:
        connection.execute(text("DELETE FROM runners WHERE id = 'local'"))

    assert all(
        store.assessments.get_assessment(record.id, LOCAL_RUNNER_ID) is None for record in mine
    )
    assert store.assessments.get_assessment(anas.id, "ana") == anas
    assert count_rows(direct_engine, "assessments") == 1


def test_database_failures_surface_as_storage_errors(store: Store, direct_engine: Engine) -> None:
    # PostgreSQL refuses to drop a table that plans still refer to, unless told to.
    cascade = "" if direct_engine.dialect.name == "sqlite" else " CASCADE"
    with direct_engine.begin() as connection:
        connection.execute(text(f"DROP TABLE assessments{cascade}"))

    with pytest.raises(DatabaseError) as raised:
        store.assessments.list_assessments(LOCAL_RUNNER_ID)

    assert isinstance(raised.value, StorageError)
    assert raised.value.__cause__ is not None


def test_store_from_env_uses_the_configured_data_dir(
    tmp_path: Path, assessment_json: dict[str, Any], report_json: dict[str, Any]
) -> None:
    with Store.from_env({"STRIDEWELL_DATA_DIR": str(tmp_path)}) as store:
        store.upgrade()
        saved = store.assessments.save_assessment(
            AssessmentToStore(
                assessment=assessment_json,
                report=report_json,
                level="soon",
                top_condition=None,
                kb_version="2026.11",
                rules_fired=[],
                created_at=T0,
            ),
            runner_id=LOCAL_RUNNER_ID,
        )

    assert (tmp_path / "stridewell.db").is_file()
    with Store.from_env({"STRIDEWELL_DATA_DIR": str(tmp_path)}) as reopened:
        assert reopened.assessments.get_assessment(saved.id, LOCAL_RUNNER_ID) == saved
