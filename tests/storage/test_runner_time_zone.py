"""Migration 0015: each runner's time zone, whose change moves their data version (kept
pages show days and times in it), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import Engine, inspect, text

from stridewell.storage import Store, migrate
from stridewell.storage.records import LOCAL_RUNNER_ID
from stridewell.storage.schema_version import HEAD_REVISION

T0 = datetime(2026, 12, 1, 7, 30, tzinfo=UTC)
# The migration adding the column (found by its name, whatever its number), and the one
# before it.
[MIGRATION] = [
    script
    for script in migrate._script_directory().walk_revisions()
    if script.path.endswith("_runner_time_zone.py")
]
REVISION, BEFORE = MIGRATION.revision, MIGRATION.down_revision


def _version(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(
            connection.execute(
                text("SELECT data_version FROM runner_versions WHERE runner_id = :id"),
                {"id": LOCAL_RUNNER_ID},
            ).scalar_one()
        )


def _update(engine: Engine, assignment: str) -> None:
    with engine.begin() as connection:
        connection.execute(text(f"UPDATE runners SET {assignment} WHERE id = :id"),
                           {"id": LOCAL_RUNNER_ID})  # fmt: skip


def _columns(engine: Engine) -> set[str]:
    return {column["name"] for column in inspect(engine).get_columns("runners")}


def test_the_time_zone_migration_is_known_and_the_head_is_at_or_after_it() -> None:
    assert isinstance(BEFORE, str)
    assert migrate.head_revision() == HEAD_REVISION >= REVISION


def test_setting_a_time_zone_gives_the_runner_a_new_data_version(store: Store) -> None:
    store.accounts.set_runner_time_zone(LOCAL_RUNNER_ID, "Pacific/Auckland")  # made here
    engine = store._engine
    before = _version(engine)
    store.accounts.set_runner_time_zone(LOCAL_RUNNER_ID, "America/Los_Angeles")
    moved = _version(engine)
    assert moved != before
    assert store.accounts.runner_time_zone(LOCAL_RUNNER_ID) == "America/Los_Angeles"
    _update(engine, "time_zone = NULL")  # whoever writes it, the trigger moves it
    assert _version(engine) not in (before, moved)
    assert store.accounts.runner_time_zone(LOCAL_RUNNER_ID) is None
    runner = store.accounts.runner(LOCAL_RUNNER_ID)
    assert runner is not None and runner.time_zone is None


def test_a_time_zone_name_longer_than_the_column_is_refused(store: Store) -> None:
    with pytest.raises(ValueError, match="time_zone"):
        store.accounts.set_runner_time_zone(LOCAL_RUNNER_ID, "x" * 65)


def test_the_migration_up_leaves_runners_unset_and_down_keeps_the_name_trigger(
    database_url: str, direct_engine: Engine
) -> None:
    migrate.upgrade_to(direct_engine, str(BEFORE))
    with direct_engine.begin() as connection:
        connection.execute(
            text("INSERT INTO runners (id, name, created_at) VALUES (:id, 'Local', :at)"),
            {"id": LOCAL_RUNNER_ID, "at": T0},
        )
    with Store(database_url) as store:
        store.upgrade()
        assert store.current_revision() == HEAD_REVISION
        assert store.accounts.runner_time_zone(LOCAL_RUNNER_ID) is None  # the machine's
    before = _version(direct_engine)
    _update(direct_engine, "time_zone = 'Europe/London'")
    assert _version(direct_engine) != before

    with direct_engine.begin() as connection:
        command.downgrade(migrate.alembic_config(connection), str(BEFORE))
    assert "time_zone" not in _columns(direct_engine)
    before = _version(direct_engine)
    _update(direct_engine, "name = 'Ana'")  # the trigger as it was before
    assert _version(direct_engine) != before

    with Store(database_url) as store:
        store.upgrade()
    assert "time_zone" in _columns(direct_engine)
    with direct_engine.connect() as connection:
        assert migrate.schema_differences(connection) == []
