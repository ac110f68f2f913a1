"""Migration 0014 and the link from a corrected assessment to the emergency it corrects:
stored, read back from both sides, refused across runners, kept once per emergency,
and the runner's data version moves when the correction is stored."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from alembic import command
from sqlalchemy import Engine, inspect, text

from stridewell.storage import Store, StoredAssessment, migrate
from stridewell.storage.records import LOCAL_RUNNER_ID
from stridewell.storage.schema_version import HEAD_REVISION

SaveAssessment = Callable[..., StoredAssessment]
T0 = datetime(2026, 11, 20, 7, 0, tzinfo=UTC)


def _columns(engine: Engine) -> set[str]:
    return {c["name"] for c in inspect(engine).get_columns("assessments")}


def _triggers(engine: Engine) -> set[str]:
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            query = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
        else:
            query = "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
        return set(connection.execute(text(query)).scalars())


def _version(engine: Engine) -> int:
    with engine.connect() as connection:
        query = text("SELECT data_version FROM runner_versions WHERE runner_id = :id")
        return int(connection.execute(query, {"id": LOCAL_RUNNER_ID}).scalar_one())


def test_a_correction_names_its_emergency_and_the_emergency_names_its_correction(
    store: Store, save_assessment: SaveAssessment
) -> None:
    emergency = save_assessment(level="emergency")
    later = emergency.created_at + timedelta(minutes=4)
    corrected = save_assessment(corrects_id=emergency.id, created_at=later)

    assert corrected.corrects_id == emergency.id
    newest, first = store.assessments.list_assessments(LOCAL_RUNNER_ID)
    assert newest == corrected
    assert (first.id, first.corrected_by_id, first.corrected_at) == (
        emergency.id,
        corrected.id,
        later,
    )
    assert store.assessments.get_assessment(emergency.id, LOCAL_RUNNER_ID) == first
    assert store.assessments.get_assessment(corrected.id, LOCAL_RUNNER_ID) == corrected


def test_a_link_to_another_runners_assessment_or_a_second_correction_is_dropped(
    store: Store, save_assessment: SaveAssessment
) -> None:
    other = store.accounts.create_account(
        email="bob@example.org",
        name="Bob",
        role="runner",
        password_hash="$argon2id$" + "x" * 40,
        created_at=T0,
    ).runner_id
    theirs = save_assessment(level="emergency", runner_id=other)
    mine = save_assessment(level="emergency")

    assert save_assessment(corrects_id=theirs.id).corrects_id is None
    assert save_assessment(corrects_id="f" * 32).corrects_id is None
    assert save_assessment(corrects_id=mine.id).corrects_id == mine.id
    assert save_assessment(corrects_id=mine.id).corrects_id is None  # corrected once only
    [their_emergency] = store.assessments.list_assessments(other)
    assert their_emergency.corrected_by_id is None


def test_storing_a_correction_moves_the_runners_data_version(
    store: Store, save_assessment: SaveAssessment, direct_engine: Engine
) -> None:
    emergency = save_assessment(level="emergency")
    before = _version(direct_engine)

    save_assessment(corrects_id=emergency.id)

    # The emergency's pages change (it is marked now): kept answers must be dropped.
    assert _version(direct_engine) != before


def test_0014_down_and_up_keeps_the_assessments_and_the_version_triggers(
    store: Store, save_assessment: SaveAssessment, direct_engine: Engine
) -> None:
    emergency = save_assessment(level="emergency")
    corrected = save_assessment(corrects_id=emergency.id)
    triggers = _triggers(direct_engine)
    assert "corrects_id" in _columns(direct_engine)

    with direct_engine.begin() as connection:
        command.downgrade(migrate.alembic_config(connection), "0013")

    assert "corrects_id" not in _columns(direct_engine)
    assert _triggers(direct_engine) == triggers  # no table rebuilt, no trigger lost
    with direct_engine.connect() as connection:
        count = connection.execute(text("SELECT count(*) FROM assessments")).scalar_one()
    assert count == 2
    with Store(store.url) as reopened:
        reopened.upgrade()
        assert reopened.current_revision() == HEAD_REVISION
        kept = reopened.assessments.list_assessments(LOCAL_RUNNER_ID)
        assert {k.id for k in kept} == {emergency.id, corrected.id}
        assert all(k.corrects_id is None and k.corrected_by_id is None for k in kept)
    assert _triggers(direct_engine) == triggers
    with direct_engine.connect() as connection:
        assert migrate.schema_differences(connection) == []
