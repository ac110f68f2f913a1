"""Migration 0003 (activities and shoes): existing data survives it, both ways."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest
from alembic import command
from sqlalchemy import Engine, MetaData, Table, insert, inspect

from stridewell.storage import DatabaseNotInitialised, Store, migrate
from stridewell.storage.models import Base
from stridewell.storage.records import LOCAL_RUNNER_ID
from stridewell.storage.schema_version import HEAD_REVISION

MakeActivity = Callable[..., dict[str, Any]]

T0 = datetime(2026, 11, 20, 7, 30, tzinfo=UTC)
DAY = date(2026, 11, 20)
TABLES_0002 = {
    "alembic_version",
    "runners",
    "assessments",
    "journal_entries",
    "journal_revisions",
    "plans",
    "plan_days",
    "exercise_logs",
}


def test_upgrade_from_0002_keeps_the_data_already_stored(
    database_url: str, direct_engine: Engine, make_activity: MakeActivity
) -> None:
    migrate.upgrade_to(direct_engine, "0002")
    tables = Base.metadata.tables
    with direct_engine.begin() as connection:
        # The runners table as of 0002 (the model has columns added since); the other
        # tables are unchanged since 0002, so the models can write them.
        connection.execute(
            insert(Table("runners", MetaData(), autoload_with=connection)),
            {"id": "local", "name": "Local runner", "created_at": T0},
        )
        connection.execute(
            insert(tables["assessments"]),
            {
                "id": "a" * 32,
                "runner_id": "local",
                "created_at": T0,
                "input_json": {"pain_score": 6},
                "report_json": {"note": "Ünïcödé ✓"},
                "level": "self_care",
                "top_condition": None,
                "kb_version": "2026.11",
                "rules_fired": [],
            },
        )
        connection.execute(
            insert(tables["journal_entries"]),
            {"id": "e" * 32, "runner_id": "local", "day": DAY, "created_at": T0},
        )
        connection.execute(
            insert(tables["journal_revisions"]),
            {"entry_id": "e" * 32, "revision": 1, "day": DAY, "recorded_at": T0, "data": {"x": 1}},
        )

    with Store(database_url) as store:
        with pytest.raises(
            DatabaseNotInitialised, match=f"at schema revision 0002, expected {HEAD_REVISION}"
        ):
            store.activities.list_activities("local")
        store.upgrade()

        assert store.current_revision() == HEAD_REVISION
        [assessment] = store.assessments.list_assessments(LOCAL_RUNNER_ID)
        assert (assessment.id, assessment.report) == ("a" * 32, {"note": "Ünïcödé ✓"})
        [entry] = store.journal.list_journal_entries("local")
        assert (entry.id, entry.data) == ("e" * 32, {"x": 1})
        # The new tables work for the runner that was already there.
        shoe = store.shoes.add_shoe(
            "local", brand="Nike", model="Pegasus", type="neutral cushioned"
        )
        [activity_id] = store.activities.add_activities("local", [make_activity(0)]).inserted_ids
        assert store.activities.assign_shoe([activity_id], shoe.id, "local") == 1
    with direct_engine.connect() as connection:
        assert migrate.schema_differences(connection) == []


def test_downgrade_to_0002_drops_activities_and_shoes_and_keeps_the_rest(
    store: Store, direct_engine: Engine, make_activity: MakeActivity
) -> None:
    entry = store.journal.add_journal_entry(
        runner_id="local", day=DAY, data={"pain": 2}, recorded_at=T0
    )
    shoe = store.shoes.add_shoe("local", brand="Hoka", model="Clifton", type="high cushion")
    store.activities.add_activities("local", [make_activity(0, shoe_id=shoe.id)])

    with direct_engine.begin() as connection:
        command.downgrade(migrate.alembic_config(connection), "0002")

    assert set(inspect(direct_engine).get_table_names()) == TABLES_0002
    with Store(store.url) as reopened:
        reopened.upgrade()
        assert reopened.journal.list_journal_entries("local") == [entry]
        assert reopened.activities.list_activities("local") == []
        assert reopened.shoes.list_shoes("local") == []
