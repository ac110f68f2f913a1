"""Migrations: they build exactly the models' schema, run idempotently, and are required."""

from __future__ import annotations

import re
import shutil
import sqlite3
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Column, Engine, MetaData, String, Table, insert, inspect, text

from stridewell.storage import (
    DatabaseNotInitialised,
    StorageError,
    Store,
    StoredAssessment,
    UnknownSchemaRevision,
    migrate,
)
from stridewell.storage.db import WRITE_TRANSACTION, make_engine
from stridewell.storage.models import Base
from stridewell.storage.records import LOCAL_RUNNER_ID, AssessmentToStore
from stridewell.storage.schema_version import HEAD_REVISION

SaveAssessment = Callable[..., StoredAssessment]


def test_unmigrated_database_raises_database_not_initialised_with_hint(
    unmigrated_store: Store,
) -> None:
    assert unmigrated_store.current_revision() is None

    for operation in (
        lambda: unmigrated_store.assessments.list_assessments(LOCAL_RUNNER_ID),
        lambda: unmigrated_store.assessments.get_assessment("0" * 32, LOCAL_RUNNER_ID),
    ):
        with pytest.raises(DatabaseNotInitialised, match=r"run `stridewell db upgrade`"):
            operation()


def test_saving_into_an_unmigrated_database_raises_database_not_initialised(
    unmigrated_store: Store, assessment_json: dict[str, object], report_json: dict[str, object]
) -> None:
    with pytest.raises(DatabaseNotInitialised) as raised:
        unmigrated_store.assessments.save_assessment(
            AssessmentToStore(
                assessment=assessment_json,
                report=report_json,
                level="self_care",
                top_condition=None,
                kb_version="2026.11",
                rules_fired=[],
                created_at=datetime(2026, 11, 20, 7, 30, tzinfo=UTC),
            ),
            runner_id=LOCAL_RUNNER_ID,
        )

    assert isinstance(raised.value, StorageError)
    assert "stridewell db upgrade" in str(raised.value)


def test_upgrade_is_idempotent_and_keeps_data(
    store: Store, save_assessment: SaveAssessment
) -> None:
    saved = save_assessment()

    store.upgrade()
    store.upgrade()

    assert store.current_revision() == migrate.head_revision() == HEAD_REVISION
    assert store.assessments.list_assessments(LOCAL_RUNNER_ID) == [saved]


def test_migrations_produce_exactly_the_models_schema(store: Store, direct_engine: Engine) -> None:
    with direct_engine.connect() as connection:
        assert migrate.schema_differences(connection) == []


def test_schema_comparison_detects_drift(store: Store, direct_engine: Engine) -> None:
    # Guards the test above: an empty diff must mean "equal", not "never compared".
    drifted = MetaData()
    for table in Base.metadata.sorted_tables:
        table.to_metadata(drifted)
    drifted.tables["runners"].append_column(Column("nickname", String(40)))

    with direct_engine.connect() as connection:
        differences = migrate.schema_differences(connection, drifted)

    assert [(kind, column.name) for kind, *_, column in differences] == [("add_column", "nickname")]


def test_database_from_a_newer_stridewell_is_refused(store: Store, direct_engine: Engine) -> None:
    with direct_engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))

    with Store(store.url) as newer, pytest.raises(UnknownSchemaRevision, match="9999"):
        newer.assessments.list_assessments(LOCAL_RUNNER_ID)


def test_sqlite_connections_use_wal_foreign_keys_busy_timeout_and_normal_sync(
    sqlite_url: str,
) -> None:
    engine = make_engine(sqlite_url)
    try:
        with engine.connect() as connection:

            def pragma(name: str) -> object:
                return connection.exec_driver_sql(f"PRAGMA {name}").scalar_one()

            assert pragma("journal_mode") == "wal"
            assert pragma("foreign_keys") == 1
            assert pragma("busy_timeout") == 5000
            assert pragma("synchronous") == 1  # NORMAL
    finally:
        engine.dispose()


def test_sqlite_foreign_keys_are_back_on_after_upgrade(sqlite_url: str) -> None:
    # upgrade() turns them off on its connection for table rebuilds; that connection
    # then returns to the store's pool and must enforce them again.
    with Store(sqlite_url) as store:
        store.upgrade()
        engine = store._engine
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1


def test_sqlite_ddl_rolls_back_with_its_transaction(sqlite_url: str) -> None:
    # sqlite3's default transaction handling commits each CREATE TABLE on its own, so a
    # migration failing halfway would leave half a schema; ours must leave no trace.
    engine = make_engine(sqlite_url)
    try:
        with engine.connect() as connection:
            transaction = connection.begin()
            connection.exec_driver_sql("CREATE TABLE scratch (id INTEGER)")
            transaction.rollback()
            tables = connection.exec_driver_sql("SELECT name FROM sqlite_master").scalars().all()
        assert "scratch" not in tables
    finally:
        engine.dispose()


@pytest.mark.parametrize("writes", [True, False], ids=["write", "read"])
def test_sqlite_write_transactions_take_the_write_lock_at_begin(
    sqlite_url: str, tmp_path: Path, writes: bool
) -> None:
    # A deferred transaction that reads and then writes fails at once with "database is
    # locked" when another writer got in between; taking the lock at BEGIN makes it wait
    # (busy_timeout) instead. Reads must stay deferred so they never block writers.
    engine = make_engine(sqlite_url)
    other = sqlite3.connect(tmp_path / "stridewell.db", timeout=0, isolation_level=None)
    try:
        with engine.connect() as connection:
            connection.execution_options(**{WRITE_TRANSACTION: writes})
            with connection.begin():
                connection.exec_driver_sql("SELECT 1").scalar_one()
                if writes:
                    with pytest.raises(sqlite3.OperationalError, match="locked"):
                        other.execute("BEGIN IMMEDIATE")
                else:
                    other.execute("BEGIN IMMEDIATE")
                    other.execute("ROLLBACK")
    finally:
        other.close()
        engine.dispose()


def test_new_revision_gets_the_next_number_and_finds_no_drift(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Work on a copy so the real versions folder is never touched.
    migrations_copy = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, migrations_copy)
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", migrations_copy)
    migrate._script_directory.cache_clear()
    try:
        revision_id = migrate.create_revision("add nothing")
    finally:
        monkeypatch.undo()
        migrate._script_directory.cache_clear()

    head = migrate.head_revision()
    expected_id = f"{int(head) + 1:04d}"
    script = (migrations_copy / "versions" / f"{expected_id}_add_nothing.py").read_text()
    assert revision_id == expected_id
    assert re.search(rf"^down_revision: str \| None = '{head}'$", script, re.MULTILINE)
    upgrade_body = script.split("def upgrade() -> None:")[1].split("def downgrade")[0]
    assert "op." not in upgrade_body


def test_upgrade_from_0001_keeps_the_assessments_already_stored(
    database_url: str, direct_engine: Engine
) -> None:
    migrate.upgrade_to(direct_engine, "0001")
    created_at = datetime(2026, 11, 20, 7, 30, tzinfo=UTC)
    report = {"triage": {"level": "self_care"}, "note": "Ünïcödé ✓"}
    with direct_engine.begin() as connection:
        # The runners table as of 0001 (the model has columns added since); the
        # assessments table is unchanged since 0001, so the model can write it.
        connection.execute(
            insert(Table("runners", MetaData(), autoload_with=connection)),
            {"id": "local", "name": "Local runner", "created_at": created_at},
        )
        connection.execute(
            insert(Base.metadata.tables["assessments"]),
            {
                "id": "a" * 32,
                "runner_id": "local",
                "created_at": created_at,
                "input_json": {"pain_score": 6},
                "report_json": report,
                "level": "self_care",
                "top_condition": "plantar_fasciitis",
                "kb_version": "2026.11",
                "rules_fired": ["pf.morning"],
            },
        )

    with Store(database_url) as store:
        with pytest.raises(DatabaseNotInitialised, match="at schema revision 0001, expected"):
            store.assessments.list_assessments(LOCAL_RUNNER_ID)
        store.upgrade()

        assert store.current_revision() == migrate.head_revision()
        [kept] = store.assessments.list_assessments(LOCAL_RUNNER_ID)
        assert (kept.id, kept.created_at, kept.report) == ("a" * 32, created_at, report)
        assert (kept.assessment, kept.rules_fired) == ({"pain_score": 6}, ["pf.morning"])
        # The new tables work with the old data.
        plan = store.plans.create_plan(
            runner_id="local",
            assessment_id=kept.id,
            start_date=date(2026, 11, 21),
            created_at=created_at,
            kb_version="2026.11",
            report=kept.report,
        )
        assert store.plans.active_plan("local") == plan
    with direct_engine.connect() as connection:
        assert migrate.schema_differences(connection) == []


def test_downgrade_to_0001_drops_the_new_tables_and_keeps_assessments(
    store: Store, save_assessment: SaveAssessment, direct_engine: Engine
) -> None:
    saved = save_assessment()
    store.journal.add_journal_entry(
        runner_id="local", day=date(2026, 11, 2), data={}, recorded_at=saved.created_at
    )

    with direct_engine.begin() as connection:
        command.downgrade(migrate.alembic_config(connection), "0001")

    assert set(inspect(direct_engine).get_table_names()) == {
        "alembic_version",
        "runners",
        "assessments",
    }
    with Store(store.url) as reopened:
        reopened.upgrade()
        assert reopened.assessments.list_assessments(LOCAL_RUNNER_ID) == [saved]
        assert reopened.journal.list_journal_entries("local") == []


def test_the_schema_version_constant_is_the_head_of_the_migrations() -> None:
    from stridewell.storage.migrate import head_revision

    assert head_revision() == HEAD_REVISION
