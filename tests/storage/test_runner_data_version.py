"""A runner's data version moves on at every change of their rows, whoever makes it, so
app processes can keep what they worked out from those rows until then
(``storage.runner_cache``, migration 0012)."""

from __future__ import annotations

import importlib
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, and_, event, select, text

from stridewell.demo import load_demo
from stridewell.service import Stridewell
from stridewell.storage.clinician_records import ClinicianNoteToStore
from stridewell.storage.models import Base
from stridewell.storage.records import LOCAL_RUNNER_ID
from stridewell.storage.repository import Store
from stridewell.storage.runner_cache import (
    DEFAULT_MAX_ENTRIES,
    SIZE_VARIABLE,
    RunnerCache,
    cache_size,
)

MIGRATION = importlib.import_module(
    "stridewell.storage.migrations.versions.0012_runner_data_version"
)
RUNNER_TABLES: dict[str, tuple[str, str] | None] = MIGRATION.RUNNER_TABLES
# Tables with a runner's rows that no kept answer is made from: sign-in and access
# state, queued work and stored file bytes. A new table must be put in one list or
# the other (the first test fails until it is).
NOT_KEPT = {
    "runners",
    "runner_versions",
    "accounts",
    "sessions",
    "shares",
    "api_tokens",
    "limiter_counters",
    "import_jobs",
    "import_job_inputs",
    "import_job_results",
    "stored_files",
    "stored_file_chunks",
    # The plan as rebuilt after each change of the other tables, stored for the record.
    "plan_days",
}
NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
FILES = Path(__file__).resolve().parents[1] / "data" / "activity-files"


def _clock() -> datetime:
    return NOW


@pytest.fixture
def filled(database_url: str) -> Iterator[Stridewell]:
    """The local runner with a row in every table a kept answer is made from."""
    with Stridewell(database_url, clock=_clock) as service:
        service.upgrade_database()
        runner = service.local()
        load_demo(runner)
        runs = sorted(p for p in FILES.rglob("*") if p.suffix.lower() in (".fit", ".gpx"))
        runner.training.import_paths(runs[:2])
        runner.journal.log_exercise(
            {"day": NOW.date().isoformat(), "exercise_id": "calf_raises", "sets_done": 3}
        )
        store = service._backend.store
        store.running.save_running_plan(
            LOCAL_RUNNER_ID, mode="prevention", start_date=NOW.date(), targets={},
            goal_km=None, goal_day=None, locations=[], known_flags=[], now=NOW,
        )  # fmt: skip
        author = service.accounts.register("dr@clinic.test", "a-long-password-1", "Dr Someone",
                                           role="coach")  # fmt: skip
        note = ClinicianNoteToStore(
            author_id=author.runner_id,
            author_name="Dr Someone",
            condition_id=None,
            condition_text="A sore heel",
            restriction="none",
            restrict_until=None,
            note="",
            recorded_at=NOW,
        )
        store.clinician.add_note(LOCAL_RUNNER_ID, note)
        yield service


def _version(engine: Engine, column: str = "data_version") -> int:
    with engine.connect() as connection:
        return int(
            connection.execute(
                text(f"SELECT {column} FROM runner_versions WHERE runner_id = :id"),
                {"id": LOCAL_RUNNER_ID},
            ).scalar_one()
        )


def _engine(service: Stridewell) -> Engine:
    return service._backend.store._engine


def test_every_table_of_a_runners_data_either_moves_the_version_or_is_named_as_not_kept() -> None:
    def has_runner(table_name: str) -> bool:
        table = Base.metadata.tables[table_name]
        return "runner_id" in table.c or any(
            fk.column.table.name in {*RUNNER_TABLES, "runners"} for fk in table.foreign_keys
        )

    runner_tables = {name for name in Base.metadata.tables if has_runner(name)}
    assert runner_tables - NOT_KEPT == set(RUNNER_TABLES)


def test_every_kept_table_has_its_insert_update_and_delete_triggers(store: Any) -> None:
    engine: Engine = store._engine
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            names = set(
                connection.execute(
                    text("SELECT name FROM sqlite_master WHERE type = 'trigger'")
                ).scalars()
            )
        else:
            names = set(
                connection.execute(
                    text("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
                ).scalars()
            )
    for table in RUNNER_TABLES:
        for change in ("insert", "update", "delete"):
            assert f"runner_version_{table}_{change}" in names


@pytest.mark.parametrize("table", list(RUNNER_TABLES))
def test_an_insert_an_update_and_a_delete_of_a_row_each_give_its_runner_a_new_version(
    filled: Stridewell, table: str
) -> None:
    engine = _engine(filled)
    rows = Base.metadata.tables[table]
    with engine.connect() as connection:
        row = connection.execute(select(rows)).mappings().first()
    assert row is not None, f"the setup left no row in {table}"
    this_row = and_(*(c == row[c.name] for c in rows.primary_key.columns))
    first = next(iter(rows.columns))
    seen = {_version(engine)}
    seen_training = {_version(engine, "training_version")}
    statements = (
        rows.update().where(this_row).values({first.name: first}),
        rows.delete().where(this_row),
        rows.insert().values(dict(row)),
    )
    for statement in statements:
        with engine.begin() as connection:
            connection.execute(statement)
        version = _version(engine)
        assert version not in seen, str(statement)
        seen.add(version)
        training = _version(engine, "training_version")
        if table in MIGRATION.TRAINING_TABLES:
            assert training not in seen_training, str(statement)
            seen_training.add(training)
        else:
            assert seen_training == {training}, f"{statement} moved the training version"


def test_a_runner_deleted_and_made_again_never_comes_back_to_an_old_version(
    filled: Stridewell,
) -> None:
    engine = _engine(filled)
    seen = set()
    for pain in range(3):  # versions the local runner had
        filled.local().journal.log_entry({"day": NOW.date().isoformat(), "pain_rest": pain})
        seen.add(_version(engine))
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM runners WHERE id = :id"), {"id": LOCAL_RUNNER_ID})
    with engine.begin() as connection:  # made again, bare, as on its first write
        connection.execute(text("INSERT INTO runners (id, name, created_at, is_demo) VALUES"
                                " (:id, 'You', :now, false)"), {"id": LOCAL_RUNNER_ID, "now": NOW})  # fmt: skip
    assert _version(engine) not in seen


def test_restoring_a_backup_never_brings_back_a_version_a_process_may_still_keep(
    filled: Stridewell,
) -> None:
    """A backup restored (pg_restore puts back the rows, the versions table and any
    sequence as they stood) and then written to: the new versions are none of those the
    runner had between the backup and the restore, which processes may still keep pages
    under. Before migration 0013, PostgreSQL counted them from the restored sequence."""
    engine = _engine(filled)
    backup = _version(engine)
    with engine.connect() as connection:
        counter = _sequence_value(connection)
    since_backup = set()
    for pain in range(3):
        filled.local().journal.log_entry({"day": NOW.date().isoformat(), "pain_rest": pain})
        since_backup.add(_version(engine))
    with engine.begin() as connection:  # the restore, as far as versions go
        connection.execute(text("UPDATE runner_versions SET data_version = :v"), {"v": backup})
        if counter is not None:
            connection.execute(text("SELECT setval('runner_data_versions', :v)"), {"v": counter})
    for pain in range(3):
        filled.local().journal.log_entry({"day": NOW.date().isoformat(), "pain_rest": 5 + pain})
        assert _version(engine) not in since_backup | {backup}


def _sequence_value(connection: Connection) -> int | None:
    """Where the versions' sequence stands, on a database that still has one."""
    if connection.dialect.name != "postgresql":
        return None
    exists = connection.execute(text("SELECT to_regclass('runner_data_versions')")).scalar()
    if exists is None:
        return None
    return int(connection.execute(text("SELECT last_value FROM runner_data_versions")).scalar_one())


def test_renaming_a_runner_gives_them_a_new_version(filled: Stridewell) -> None:
    engine = _engine(filled)
    before = _version(engine)
    with engine.begin() as connection:
        connection.execute(text("UPDATE runners SET name = 'Ana' WHERE id = :id"),
                           {"id": LOCAL_RUNNER_ID})  # fmt: skip
    assert _version(engine) != before


def test_a_page_in_one_process_sees_a_check_in_another_process_saved_since_its_last_page(
    filled: Stridewell, database_url: str
) -> None:
    """Two app processes, each with its kept answers: a write by one shows on the
    other's next page, because the version it reads has moved on."""
    with Stridewell(database_url, clock=_clock) as other:
        for service in (filled, other):  # both keep the journal as it is now
            with service.shared_reads() as reads:
                service.local().journal.entries()
                service.local().plans.current()
            reads.close()
        other.local().journal.log_entry({"day": NOW.date().isoformat(), "pain_morning": 7})
        with filled.shared_reads() as reads:
            entries = filled.local().journal.entries(since=NOW.date())
            plan = filled.local().plans.current()
        reads.close()
    assert [e.entry.pain_morning for e in entries if e.entry.pain_morning is not None] == [7]
    assert plan is not None
    today = plan.day_of(NOW.date())
    assert today is not None and today.day == NOW.date()


def test_a_page_keeps_its_answers_and_a_check_in_leaves_the_next_page_its_rebuilt_plan(
    filled: Stridewell,
) -> None:
    cache = filled._backend.store.runner_cache
    cache.clear()
    made = []
    for _ in range(2):
        with filled.shared_reads() as reads:
            filled.local().journal.entries()
            filled.local().training.load()
        reads.close()
        made.append(cache.misses)
    assert made[0] > 0
    assert made[1] == made[0]  # the second page found every answer the first one made
    filled.local().journal.log_entry({"day": NOW.date().isoformat(), "pain_rest": 1})
    misses = cache.misses
    with filled.shared_reads() as reads:
        entries = filled.local().journal.entries()
        plan = filled.local().plans.current()
    reads.close()
    assert cache.misses == misses  # kept by the check-in's rebuild, under the new version
    assert 1 in [e.entry.pain_rest for e in entries if e.entry.day == NOW.date()]
    assert plan is not None and plan == filled.local().plans.current()  # as built afresh


def test_outside_a_web_request_every_read_goes_to_the_database(filled: Stridewell) -> None:
    cache = filled._backend.store.runner_cache
    cache.clear()
    filled.local().journal.entries()
    filled.local().plans.current()
    filled.local().training.load()
    assert len(cache) == 0


def test_a_window_of_the_journal_is_cut_from_the_kept_whole_as_the_database_would(
    filled: Stridewell,
) -> None:
    journal = filled.local().journal
    every = journal.entries()
    days = sorted({e.entry.day for e in every})
    first, last = days[1], days[-2]
    with filled.shared_reads() as reads:
        cut = journal.entries(since=first, until=last)
    reads.close()
    assert cut == [e for e in every if first <= e.entry.day <= last]
    with pytest.raises(TypeError, match="since must be a date"):
        journal.entries(since=datetime(2026, 11, 1, tzinfo=UTC))  # type: ignore[arg-type]
    assert journal.entries(since=date.max) == []


def test_a_check_in_leaves_the_kept_training_page_and_a_new_run_does_not(
    filled: Stridewell,
) -> None:
    cache = filled._backend.store.runner_cache
    runner = filled.local()

    def training_page() -> int:
        """Misses of one training page (its load, list of runs and shoes)."""
        before = cache.misses
        with filled.shared_reads() as reads:
            runner.training.load()
            runner.training.activity_list()
        reads.close()
        return cache.misses - before

    assert training_page() > 0
    runner.journal.log_entry({"day": NOW.date().isoformat(), "pain_rest": 3})
    assert training_page() == 0
    runs = sorted(p for p in FILES.rglob("*") if p.suffix.lower() == ".tcx")
    assert runner.training.import_paths(runs[:1]).imported
    assert training_page() > 0


def test_the_cache_forgets_the_runners_least_recently_asked_about_past_its_size() -> None:
    cache = RunnerCache(max_entries=2)
    for runner in ("a", "b", "a", "c"):  # "b" is the least recently asked about when "c" comes
        cache.get_or_make(runner, 1, "page", lambda runner=runner: runner.upper())
    made: list[str] = []
    assert cache.get_or_make("a", 1, "page", lambda: made.append("a") or "A") == "A"
    assert cache.get_or_make("b", 1, "page", lambda: made.append("b") or "B") == "B"
    assert made == ["b"]
    assert len(cache) == 2


def test_a_runner_with_more_answers_than_the_cache_holds_keeps_the_newest() -> None:
    cache = RunnerCache(max_entries=2)
    cache.get_or_make("ben", 1, "journal", lambda: "ben's journal")
    for question in ("journal", "plan", "load"):
        cache.get_or_make("ana", 1, question, lambda question=question: question.upper())
    assert len(cache) == 2
    made: list[str] = []
    assert cache.get_or_make("ana", 1, "load", lambda: made.append("load") or "x") == "LOAD"
    assert cache.get_or_make("ana", 1, "plan", lambda: made.append("plan") or "x") == "PLAN"
    assert made == []  # the newest two of ana's answers stayed; ben's went first


def test_a_newer_version_drops_the_runners_older_answers_at_once() -> None:
    cache = RunnerCache(max_entries=100)
    for question in ("journal", "plan", "load"):
        cache.get_or_make("ana", 1, question, lambda question=question: f"{question} v1")
    cache.get_or_make("ben", 7, "journal", lambda: "ben's journal")
    assert len(cache) == 4
    assert cache.get_or_make("ana", 2, "journal", lambda: "journal v2") == "journal v2"
    assert len(cache) == 2  # ana's three answers of version 1 are gone, ben's stays
    made: list[str] = []
    assert (
        cache.get_or_make("ana", 1, "plan", lambda: made.append("plan") or "plan v1") == "plan v1"
    )
    assert (
        cache.get_or_make("ben", 7, "journal", lambda: made.append("ben") or "x") == "ben's journal"
    )
    assert made == ["plan"]


def test_a_cache_of_size_zero_keeps_nothing_and_a_bad_size_is_named() -> None:
    cache = RunnerCache(max_entries=cache_size({SIZE_VARIABLE: "0"}))
    calls: list[int] = []
    for _ in range(2):
        cache.get_or_make("ana", 1, "a", lambda: calls.append(1))
    assert len(calls) == 2 and len(cache) == 0
    assert cache_size({}) == DEFAULT_MAX_ENTRIES
    with pytest.raises(ValueError, match="STRIDEWELL_RUNNER_CACHE must be a whole number"):
        cache_size({SIZE_VARIABLE: "lots"})


def test_the_session_lookup_brings_the_versions_so_a_page_asks_no_query_for_them(
    filled: Stridewell,
) -> None:
    account = filled.accounts.register("ana@club.test", "a-long-password-1", "Ana")
    token = filled.accounts.start_session(account)
    engine = _engine(filled)
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", count)
    try:
        with filled.shared_reads() as reads:
            assert filled.accounts.signed_in(token) == account
            asked = len(statements)
            version = filled._backend.store.runner_version(account.runner_id)
        reads.close()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(statements) == asked
    with engine.connect() as connection:
        assert (
            version
            == connection.execute(
                text("SELECT data_version FROM runner_versions WHERE runner_id = :id"),
                {"id": account.runner_id},
            ).scalar_one()
        )


def test_an_edit_and_a_check_in_of_the_same_day_at_once_both_land(
    store: Store, paused_statement: Any
) -> None:
    """The edit holds the check-in's row; the check-in, sent at the same moment, holds the
    runner and waits for that row. Were the version moved part-way through the edit
    (on the runner's row, or at once), the edit would then wait for the runner: a
    deadlock on PostgreSQL. Moved at commit, in a table of its own, both land."""
    day = NOW.date()
    entry = store.journal.add_journal_entry(
        runner_id=LOCAL_RUNNER_ID, day=day, data={"day": day.isoformat(), "pain_rest": 4},
        recorded_at=NOW,
    )  # fmt: skip
    failures: list[BaseException] = []

    def run(write: Callable[[], object]) -> threading.Thread:
        def target() -> None:
            try:
                write()
            except BaseException as error:  # reported below
                failures.append(error)

        thread = threading.Thread(target=target)
        thread.start()
        return thread

    with paused_statement("INSERT INTO journal_revisions") as pause:
        edit = run(lambda: store.journal.edit_journal_entry(
            entry.id, runner_id=LOCAL_RUNNER_ID, day=day,
            data={"day": day.isoformat(), "pain_rest": 3}, recorded_at=NOW,
        ))  # fmt: skip
        assert pause.reached.wait(10)
        check_in = run(lambda: store.journal.write_journal_day(
            runner_id=LOCAL_RUNNER_ID, day=day, recorded_at=NOW,
            decide=lambda current: [(current[0].id, {"day": day.isoformat(), "pain_rest": 5})],
        ))  # fmt: skip
        time.sleep(0.5)  # the check-in now holds the runner and waits for the entry
        pause.release.set()
        edit.join(30)
        check_in.join(30)
    assert failures == []
    history = store.journal.journal_entry_history(entry.id, LOCAL_RUNNER_ID)
    assert [r.data["pain_rest"] for r in history] == [4, 3, 5]
