"""UTCDateTime: UTC in, aware UTC out, naive refused - checked against both dialects."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import Dialect, create_engine

from stridewell.storage.db import UTCDateTime

# Engines are only built for their dialects here; nothing connects.
SQLITE = create_engine("sqlite://").dialect
POSTGRES = create_engine("postgresql+psycopg://").dialect
DIALECTS = [pytest.param(SQLITE, id="sqlite"), pytest.param(POSTGRES, id="postgres")]
PLUS_FIVE_THIRTY = timezone(timedelta(hours=5, minutes=30))


@pytest.mark.parametrize("dialect", DIALECTS)
def test_naive_datetime_is_refused_with_value_error(dialect: Dialect) -> None:
    with pytest.raises(ValueError, match="naive"):
        UTCDateTime().process_bind_param(datetime(2026, 1, 1, 12, 0), dialect)


@pytest.mark.parametrize("dialect", DIALECTS)
def test_non_datetime_is_refused_with_type_error(dialect: Dialect) -> None:
    with pytest.raises(TypeError):
        UTCDateTime().process_bind_param("2026-01-01T12:00:00Z", dialect)  # type: ignore[arg-type]


def test_sqlite_receives_the_utc_wall_clock_without_offset() -> None:
    stored = UTCDateTime().process_bind_param(
        datetime(2026, 1, 1, 12, 0, tzinfo=PLUS_FIVE_THIRTY), SQLITE
    )
    assert stored == datetime(2026, 1, 1, 6, 30)
    assert stored is not None and stored.tzinfo is None


def test_postgres_receives_an_aware_utc_value() -> None:
    stored = UTCDateTime().process_bind_param(
        datetime(2026, 1, 1, 12, 0, tzinfo=PLUS_FIVE_THIRTY), POSTGRES
    )
    assert stored == datetime(2026, 1, 1, 6, 30, tzinfo=UTC)
    assert stored is not None and stored.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    "from_database",
    [
        pytest.param(datetime(2026, 1, 1, 6, 30), id="naive-from-sqlite"),
        pytest.param(datetime(2026, 1, 1, 12, 0, tzinfo=PLUS_FIVE_THIRTY), id="zoned-from-pg"),
    ],
)
def test_values_from_the_database_come_back_aware_in_utc(from_database: datetime) -> None:
    loaded = UTCDateTime().process_result_value(from_database, SQLITE)
    assert loaded == datetime(2026, 1, 1, 6, 30, tzinfo=UTC)
    assert loaded is not None and loaded.tzinfo is UTC


def test_null_passes_through_both_ways() -> None:
    assert UTCDateTime().process_bind_param(None, SQLITE) is None
    assert UTCDateTime().process_result_value(None, SQLITE) is None
