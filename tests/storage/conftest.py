"""Fixtures for the storage tests: a migrated ``store`` on SQLite and on PostgreSQL.

PostgreSQL comes from ``STRIDEWELL_TEST_POSTGRES_URL`` (default: a local trust-auth
server). Every test gets its own schema, so tests can run in parallel under xdist
against one database. Without a reachable server the PostgreSQL variants are skipped,
except under CI (``CI`` set), where a missing database must not pass silently.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from sqlalchemy import Engine, create_engine, event, make_url, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

from stridewell.storage.config import normalise_database_url
from stridewell.storage.db import make_engine
from stridewell.storage.records import LOCAL_RUNNER_ID, AssessmentToStore, StoredAssessment
from stridewell.storage.repository import Store

POSTGRES_URL_VARIABLE = "STRIDEWELL_TEST_POSTGRES_URL"
DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"

# A session time zone far from UTC, and not a whole hour away, so that a missing
# conversion back to UTC shows up in the datetime tests.
POSTGRES_SESSION_TIME_ZONE = "Asia/Kathmandu"

# Types of the fixtures below (tests spell them out: conftest is not importable).
SaveAssessment = Callable[..., StoredAssessment]
MakeActivity = Callable[..., dict[str, Any]]
RowCount = Callable[[str], int]
FailingStatement = Callable[[str], AbstractContextManager[None]]
PausedStatement = Callable[[str], AbstractContextManager["Pause"]]

OTHER_RUNNER_ID = "ana"


def _postgres_unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so PostgreSQL tests may not be skipped)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_server_url() -> str:
    """The PostgreSQL server URL, once it is known to accept connections."""
    url = normalise_database_url(os.environ.get(POSTGRES_URL_VARIABLE) or DEFAULT_POSTGRES_URL)
    shown_url = make_url(url).render_as_string(hide_password=True)
    engine = create_engine(url, poolclass=NullPool, connect_args={"connect_timeout": 5})
    try:
        with engine.connect():
            pass
    except OperationalError as error:
        _postgres_unavailable(
            f"PostgreSQL at {shown_url} is not reachable ({' '.join(str(error.orig).split())}); "
            f"start it or point {POSTGRES_URL_VARIABLE} at one"
        )
    finally:
        engine.dispose()
    return url


@pytest.fixture
def postgres_url(postgres_server_url: str) -> Iterator[str]:
    """A URL whose connections live in a fresh schema, dropped (with CASCADE) afterwards."""
    schema = f"sw_{uuid4().hex}"
    admin = create_engine(postgres_server_url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    options = f"-csearch_path={schema} -ctimezone={POSTGRES_SESSION_TIME_ZONE}"
    url = make_url(postgres_server_url).update_query_dict({"options": options})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'stridewell.db'}"


@pytest.fixture(
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
    ]
)
def database_url(request: pytest.FixtureRequest) -> str:
    """An empty database on each backend."""
    fixture_name = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    url: str = request.getfixturevalue(fixture_name)
    return url


@pytest.fixture
def unmigrated_store(database_url: str) -> Iterator[Store]:
    with Store(database_url) as store:
        yield store


@pytest.fixture
def store(unmigrated_store: Store) -> Store:
    """A store on a database migrated to the newest schema."""
    unmigrated_store.upgrade()
    return unmigrated_store


@pytest.fixture
def direct_engine(database_url: str) -> Iterator[Engine]:
    """A second engine on the same database, to look (or meddle) behind the Store's back."""
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def assessment_json() -> dict[str, Any]:
    """An assessment as the contract's JSON object (a fresh copy per test)."""
    return _sample_assessment()


@pytest.fixture
def report_json() -> dict[str, Any]:
    """A triage report as the contract's JSON object (a fresh copy per test)."""
    return _sample_report()


def _sample_assessment() -> dict[str, Any]:
    return {
        "side": "left",
        "age": 38,
        "pain_score": 6,
        "locations": ["heel_bottom", "arch"],
        "onset": "gradual",
        "pain_timing": ["first_steps_morning"],
        "can_bear_weight": True,
        "history": {"weekly_km_change_pct": 35.0, "new_shoes": False, "surface": "road"},
    }


def _sample_report() -> dict[str, Any]:
    return {
        "contract": 1,
        "triage": {"level": "self_care", "reasons": ["no red flags"]},
        "summary": "Most likely plantar fasciitis.",
        "red_flags": [],
        "conditions": [
            {
                "id": "plantar_fasciitis",
                "name": "Plantar fasciitis",
                "likelihood": 0.72,
                "for": ["first_steps_morning", "heel_bottom"],
                "against": [],
                "sources": ["aafp-2011"],
            }
        ],
        "knowledge_base": {"version": "2026.11", "rules_fired": ["pf.morning", "load.spike"]},
        "disclaimer": "Not a diagnosis. Ünïcödé survives too: ✓",
    }


@pytest.fixture
def save_assessment(store: Store) -> SaveAssessment:
    """Saves a realistic assessment; keyword arguments override any field."""

    def save(**overrides: Any) -> StoredAssessment:
        fields: dict[str, Any] = {
            "assessment": _sample_assessment(),
            "report": _sample_report(),
            "level": "self_care",
            "top_condition": "plantar_fasciitis",
            "kb_version": "2026.11",
            "rules_fired": ["pf.morning", "load.spike"],
            "created_at": datetime(2026, 11, 20, 7, 30, tzinfo=UTC),
        }
        runner_id = str(overrides.pop("runner_id", LOCAL_RUNNER_ID))
        return store.assessments.save_assessment(
            AssessmentToStore(**(fields | overrides)), runner_id=runner_id
        )

    return save


ACTIVITY_START = datetime(2026, 10, 1, 6, 30, tzinfo=UTC)


@pytest.fixture
def make_activity() -> MakeActivity:
    """``make_activity(n)``: a run n days after 1 October 2026, as the import service
    hands it to ``add_activities`` (a fingerprint of its own); keywords override keys."""

    def make(n: int = 0, **overrides: Any) -> dict[str, Any]:
        start = ACTIVITY_START + timedelta(days=n)
        row: dict[str, Any] = {
            "source_format": "fit",
            "sport": "running",
            "is_indoor": False,
            "start_time": start,
            "duration_s": 3600.0 + n,
            "moving_time_s": 3500.0,
            "distance_m": 10_000.0 + n,
            "source_name": f"export.zip/activities/{n}.fit.gz",
            "fingerprint": f"running|{start:%Y-%m-%dT%H:%M}|10",
        }
        return row | overrides

    return make


@pytest.fixture
def row_count(direct_engine: Engine) -> Callable[[str], int]:
    """How many rows a table holds, counted behind the Store's back."""

    def count(table: str) -> int:
        with direct_engine.connect() as connection:
            return int(connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())

    return count


@pytest.fixture
def other_runner(store: Store, direct_engine: Engine) -> str:
    """A second runner besides the local one; returns its id."""
    with direct_engine.begin() as connection:
        connection.execute(
            text("INSERT INTO runners (id, name, created_at) VALUES (:id, :name, :at)"),
            {"id": OTHER_RUNNER_ID, "name": "Ana", "at": datetime(2026, 11, 1, 6, 0)},
        )
    return OTHER_RUNNER_ID


@pytest.fixture
def failing_statement(store: Store) -> FailingStatement:
    """``with failing_statement("INSERT INTO x"):`` makes the store's statements that start
    so raise RuntimeError("injected failure"), halfway through their transaction;
    ``after=n`` lets the first n such statements run."""

    @contextmanager
    def failing(statement_start: str, *, after: int = 0) -> Iterator[None]:
        seen = 0

        def fail(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
            nonlocal seen
            if statement.lstrip().startswith(statement_start):
                seen += 1
                if seen > after:
                    raise RuntimeError("injected failure")

        event.listen(store._engine, "before_cursor_execute", fail)
        try:
            yield
        finally:
            event.remove(store._engine, "before_cursor_execute", fail)

    return failing


@dataclass
class Pause:
    """Set ``reached`` when the held statement is about to run; it runs after ``release``."""

    reached: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)


@pytest.fixture
def paused_statement(store: Store) -> PausedStatement:
    """``with paused_statement("INSERT INTO x") as pause:`` holds the first such statement
    of the store (in whichever thread runs it) until ``pause.release`` is set, so that a
    test can run a second writer while the first one is inside its transaction."""

    @contextmanager
    def paused(statement_start: str) -> Iterator[Pause]:
        pause = Pause()
        lock = threading.Lock()

        def hold(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
            if not statement.lstrip().startswith(statement_start):
                return
            with lock:
                first = not pause.reached.is_set()
                pause.reached.set()
            if first:
                pause.release.wait(10)

        event.listen(store._engine, "before_cursor_execute", hold)
        try:
            yield pause
        finally:
            pause.release.set()
            event.remove(store._engine, "before_cursor_execute", hold)

    return paused
