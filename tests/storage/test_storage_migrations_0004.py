"""Migration 0004 (imported files, shoes' start_km): existing data survives it."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy import Engine, text

from stridewell.storage import Store, migrate
from stridewell.storage.schema_version import HEAD_REVISION

T0 = datetime(2026, 11, 20, 7, 30)
SHOE_ID, ACTIVITY_ID = "s" * 32, "a" * 32


def test_0004_precedes_the_head_and_the_constant_names_the_head() -> None:
    assert migrate.head_revision() == HEAD_REVISION >= "0004"


def test_upgrade_from_0003_keeps_shoes_and_their_activities(
    database_url: str, direct_engine: Engine
) -> None:
    migrate.upgrade_to(direct_engine, "0003")
    with direct_engine.begin() as connection:
        connection.execute(
            text("INSERT INTO runners (id, name, created_at) VALUES ('local', 'Local', :at)"),
            {"at": T0},
        )
        connection.execute(
            text(
                "INSERT INTO shoes (id, runner_id, brand, model, type, is_default, check_km,"
                " replace_km, created_at) VALUES (:id, 'local', 'Hoka', 'Clifton', 'neutral',"
                " true, 400, 700, :at)"
            ),
            {"id": SHOE_ID, "at": T0},
        )
        connection.execute(
            text(
                "INSERT INTO activities (id, runner_id, source_format, sport, is_indoor,"
                " start_time, duration_s, moving_time_s, distance_m, shoe_id, source_name,"
                " fingerprint, warnings, imported_at) VALUES (:id, 'local', 'gpx', 'running',"
                " false, :at, 1, 1, 1, :shoe, 'x.gpx', 'f', '[]', :at)"
            ),
            {"id": ACTIVITY_ID, "shoe": SHOE_ID, "at": T0},
        )

    with Store(database_url) as store:
        store.upgrade()

        assert store.current_revision() == HEAD_REVISION
        shoe = store.shoes.get_shoe(SHOE_ID, "local")
        assert shoe is not None
        assert (shoe.model, shoe.is_default, shoe.check_km, shoe.start_km) == (
            "Clifton",
            True,
            400.0,
            0.0,
        )
        # SQLite rebuilt the shoes table: the activity must still point at its shoe.
        activity = store.activities.get_activity(ACTIVITY_ID, "local")
        assert activity is not None and activity.shoe_id == SHOE_ID
        assert store.shoes.update_shoe(SHOE_ID, "local", start_km=50) == replace(
            shoe, start_km=50.0
        )
        assert (
            store.files.record_import_files(
                "local", [{"digest": "f" * 64, "source_name": "x.gpx", "activities": 1}]
            )
            == 1
        )
    with direct_engine.connect() as connection:
        assert migrate.schema_differences(connection) == []
