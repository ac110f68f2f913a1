"""Shoes on both backends: round trips, one default shoe, retiring, deleting."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError

from stridewell.storage import (
    DEFAULT_CHECK_KM,
    DEFAULT_REPLACE_KM,
    LOCAL_RUNNER_ID,
    Store,
    StoredShoe,
    UnknownRunner,
)

MakeActivity = Callable[..., dict[str, Any]]
RowCount = Callable[[str], int]
FailingStatement = Callable[..., AbstractContextManager[None]]
PausedStatement = Callable[[str], AbstractContextManager[Any]]

ME = LOCAL_RUNNER_ID
T0 = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
KATHMANDU = timezone(timedelta(hours=5, minutes=45))


_minutes = itertools.count()


def add(store: Store, runner_id: str = ME, **overrides: Any) -> StoredShoe:
    """Adds a shoe, each one a minute later than the one before (lists keep that order)."""
    fields: dict[str, Any] = {
        "brand": "Asics",
        "model": "Gel-Kayano 31",
        "type": "stability",
        "created_at": T0 + timedelta(minutes=next(_minutes)),
    }
    return store.shoes.add_shoe(runner_id, **(fields | overrides))


def default_id(store: Store, runner_id: str = ME) -> str | None:
    shoe = store.shoes.default_shoe(runner_id)
    return None if shoe is None else shoe.id


def test_shoe_round_trips_with_every_field(store: Store) -> None:
    shoe = store.shoes.add_shoe(
        ME,
        brand="Hoka",
        model="Bondi 8 Ünïcödé ✓",
        type="high cushion",
        nickname="Clouds",
        started=date(2026, 3, 1),
        retired=None,
        is_default=True,
        check_km=300,
        replace_km=480.5,
        start_km=120.25,
        strava_gear="Hoka Bondi (grey)",
        created_at=T0.astimezone(KATHMANDU),
    )

    assert len(shoe.id) == 32
    assert shoe == StoredShoe(
        id=shoe.id,
        runner_id=ME,
        brand="Hoka",
        model="Bondi 8 Ünïcödé ✓",
        type="high cushion",
        nickname="Clouds",
        started=date(2026, 3, 1),
        retired=None,
        is_default=True,
        check_km=300.0,
        replace_km=480.5,
        start_km=120.25,
        strava_gear="Hoka Bondi (grey)",
        created_at=T0,
    )
    assert store.shoes.get_shoe(shoe.id, ME) == shoe
    assert store.shoes.list_shoes(ME) == [shoe]
    assert store.shoes.default_shoe(ME) == shoe
    assert shoe.created_at.utcoffset() == timedelta(0)


def test_a_new_shoe_gets_the_usual_mileage_alerts_and_is_not_the_default(store: Store) -> None:
    before = datetime.now(UTC)
    shoe = store.shoes.add_shoe(ME, brand="Nike", model="Pegasus 41", type="neutral cushioned")

    assert (shoe.check_km, shoe.replace_km) == (DEFAULT_CHECK_KM, DEFAULT_REPLACE_KM) == (500, 800)
    assert shoe.start_km == 0
    assert (shoe.is_default, shoe.nickname, shoe.started, shoe.retired) == (
        False,
        None,
        None,
        None,
    )
    assert before <= shoe.created_at <= datetime.now(UTC)
    assert store.shoes.get_shoe(shoe.id, ME) == shoe
    assert store.shoes.default_shoe(ME) is None


@pytest.mark.parametrize(
    ("fields", "error", "message"),
    [
        ({"brand": None}, ValueError, r"missing shoe fields \['brand'\]"),
        ({"colour": "red"}, ValueError, r"unknown shoe fields \['colour'\]"),
        ({"model": "   "}, ValueError, "model must not be empty"),
        ({"type": "t" * 33}, ValueError, "type is longer than 32"),
        ({"check_km": 0}, ValueError, "check_km must be above 0"),
        ({"check_km": float("nan")}, ValueError, "check_km"),
        ({"start_km": -0.5}, ValueError, r"start_km must be a finite number >= 0"),
        ({"replace_km": 400}, ValueError, "replace_km .* below check_km"),
        ({"is_default": 1}, TypeError, "is_default must be a bool"),
        ({"started": datetime(2026, 1, 1, tzinfo=UTC)}, TypeError, "started must be a date"),
        (
            {"started": date(2026, 5, 1), "retired": date(2026, 4, 30)},
            ValueError,
            "retired .* before started",
        ),
        (
            {"retired": date(2026, 4, 30), "is_default": True},
            ValueError,
            "retired shoe cannot be the default",
        ),
        ({"created_at": datetime(2026, 1, 1)}, ValueError, "created_at must be timezone-aware"),
    ],
)
def test_an_unstorable_shoe_is_refused_and_the_default_stays(
    store: Store, row_count: RowCount, fields: dict[str, Any], error: type[Exception], message: str
) -> None:
    default = add(store, is_default=True)
    if fields.get("brand", "") is None:
        kwargs: dict[str, Any] = {"model": "M", "type": "stability"}
    else:
        kwargs = {"brand": "B", "model": "M", "type": "stability"} | fields

    with pytest.raises(error, match=message):
        store.shoes.add_shoe(ME, **kwargs)

    assert row_count("shoes") == 1
    assert store.shoes.default_shoe(ME) == default


def test_shoe_for_an_unknown_runner_raises_and_writes_nothing(
    store: Store, row_count: RowCount
) -> None:
    with pytest.raises(UnknownRunner, match="ghost"):
        add(store, runner_id="ghost")
    with pytest.raises(UnknownRunner, match="ghost"):
        add(store, runner_id="ghost", is_default=True)

    assert row_count("shoes") == 0


# -- one default shoe ------------------------------------------------------------------


def test_a_new_default_shoe_takes_over_from_the_previous_one(
    store: Store, other_runner: str
) -> None:
    anas = add(store, other_runner, is_default=True)
    first = add(store, is_default=True)
    plain = add(store)
    second = add(store, is_default=True)

    assert default_id(store) == second.id
    assert [s.is_default for s in store.shoes.list_shoes(ME)] == [False, False, True]
    assert store.shoes.get_shoe(first.id, ME) == replace(first, is_default=False)
    assert store.shoes.get_shoe(plain.id, ME) == plain
    # Only this runner's default changes.
    assert store.shoes.default_shoe(other_runner) == anas


def test_updating_a_shoe_into_the_default_clears_the_previous_one(store: Store) -> None:
    first = add(store, is_default=True)
    second = add(store)

    updated = store.shoes.update_shoe(second.id, ME, is_default=True)

    assert updated is not None and updated.is_default
    assert store.shoes.default_shoe(ME) == updated
    assert store.shoes.get_shoe(first.id, ME).is_default is False  # type: ignore[union-attr]
    # Again, and back to none at all.
    assert store.shoes.update_shoe(second.id, ME, is_default=True) == updated
    assert store.shoes.update_shoe(second.id, ME, is_default=False).is_default is False  # type: ignore[union-attr]
    assert store.shoes.default_shoe(ME) is None


def test_the_database_itself_allows_only_one_default_shoe_per_runner(
    store: Store, other_runner: str, direct_engine: Engine
) -> None:
    # Even a writer that bypasses the Store cannot add a second default.
    default = add(store, is_default=True)
    add(store, other_runner, is_default=True)
    insert = text(
        "INSERT INTO shoes (id, runner_id, brand, model, type, is_default, check_km,"
        " replace_km, created_at) VALUES (:id, :runner, 'b', 'm', 't', :default, 500, 800, :at)"
    )
    values = {"runner": ME, "at": T0.replace(tzinfo=None)}

    with direct_engine.begin() as connection:
        connection.execute(insert, values | {"id": "plain1", "default": False})
        connection.execute(insert, values | {"id": "plain2", "default": False})
    with pytest.raises(IntegrityError), direct_engine.begin() as connection:
        connection.execute(insert, values | {"id": "default2", "default": True})

    assert store.shoes.default_shoe(ME) == default


def test_the_database_itself_refuses_a_retired_default_and_odd_mileage(
    store: Store, direct_engine: Engine
) -> None:
    shoe = add(store, is_default=True)

    for statement in (
        "UPDATE shoes SET retired = '2026-01-01' WHERE id = :id",
        "UPDATE shoes SET check_km = 0 WHERE id = :id",
        "UPDATE shoes SET replace_km = 100 WHERE id = :id",
        "UPDATE shoes SET start_km = -1 WHERE id = :id",
    ):
        with pytest.raises(IntegrityError), direct_engine.begin() as connection:
            connection.execute(text(statement), {"id": shoe.id})

    assert store.shoes.get_shoe(shoe.id, ME) == shoe


def test_a_failure_while_adding_a_default_keeps_the_previous_default(
    store: Store, row_count: RowCount, failing_statement: FailingStatement
) -> None:
    # The old default is already cleared when the insert fails: the rollback restores it.
    previous = add(store, is_default=True)

    with failing_statement("INSERT INTO shoes"), pytest.raises(RuntimeError, match="injected"):
        add(store, is_default=True)

    assert store.shoes.default_shoe(ME) == previous
    assert row_count("shoes") == 1


def test_default_shoes_added_at_once_leave_exactly_one_default(
    store: Store, other_runner: str, paused_statement: PausedStatement
) -> None:
    # The first one is held just before its insert; the second must wait for it, then
    # take over, rather than both clearing nothing and colliding on the unique index.
    with (
        ThreadPoolExecutor(max_workers=2) as pool,
        paused_statement("INSERT INTO shoes") as pause,
    ):
        first = pool.submit(add, store, other_runner, is_default=True, model="first")
        assert pause.reached.wait(10)
        second = pool.submit(add, store, other_runner, is_default=True, model="second")
        time.sleep(0.5)  # let the second one reach the point where it must wait
        pause.release.set()
        first_shoe, second_shoe = first.result(timeout=15), second.result(timeout=15)

    assert default_id(store, other_runner) == second_shoe.id
    assert store.shoes.get_shoe(first_shoe.id, other_runner).is_default is False  # type: ignore[union-attr]


# -- editing and retiring --------------------------------------------------------------


def test_update_changes_only_the_given_fields(store: Store) -> None:
    shoe = add(store, nickname="Blue", strava_gear="Kayano")

    updated = store.shoes.update_shoe(
        shoe.id, ME, nickname=None, check_km=400, start_km=35, started=date(2026, 2, 1)
    )

    expected = replace(shoe, nickname=None, check_km=400.0, start_km=35.0, started=date(2026, 2, 1))
    assert updated == expected
    assert store.shoes.get_shoe(shoe.id, ME) == expected
    assert store.shoes.update_shoe(shoe.id, ME) == expected


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"replace_km": 499}, ValueError),  # below the stored check_km of 500
        ({"retired": date(2026, 1, 31)}, ValueError),  # before the stored start
        ({"is_default": True, "retired": date(2026, 5, 1)}, ValueError),
        ({"id": "x" * 32}, ValueError),
        ({"created_at": T0}, ValueError),
        ({"brand": ""}, ValueError),
        ({"check_km": "500"}, TypeError),
    ],
)
def test_an_unstorable_update_is_refused_and_changes_nothing(
    store: Store, fields: dict[str, Any], error: type[Exception]
) -> None:
    shoe = add(store, started=date(2026, 2, 1))
    default = add(store, is_default=True)

    with pytest.raises(error):
        store.shoes.update_shoe(shoe.id, ME, **fields)

    assert store.shoes.get_shoe(shoe.id, ME) == shoe
    assert store.shoes.default_shoe(ME) == default


def test_retiring_a_shoe_dates_it_and_ends_it_being_the_default(store: Store) -> None:
    shoe = add(store, is_default=True, started=date(2026, 1, 10))
    spare = add(store)

    retired = store.shoes.retire_shoe(shoe.id, ME, date(2026, 10, 31))

    assert retired is not None
    assert (retired.retired, retired.is_default, retired.is_retired) == (
        date(2026, 10, 31),
        False,
        True,
    )
    assert store.shoes.default_shoe(ME) is None
    assert store.shoes.list_shoes(ME) == [retired, spare]
    assert store.shoes.list_shoes(ME, include_retired=False) == [spare]
    # Brought back by clearing the date.
    back = store.shoes.update_shoe(shoe.id, ME, retired=None)
    assert back is not None and not back.is_retired
    assert store.shoes.list_shoes(ME, include_retired=False) == [back, spare]


def test_retiring_is_refused_before_the_shoe_was_started(store: Store) -> None:
    shoe = add(store, started=date(2026, 1, 10))

    with pytest.raises(ValueError, match="before started"):
        store.shoes.retire_shoe(shoe.id, ME, date(2026, 1, 9))
    with pytest.raises(TypeError):
        # A datetime is a date subclass, so only the check can catch it.
        store.shoes.retire_shoe(shoe.id, ME, datetime(2026, 2, 1, tzinfo=UTC))

    assert store.shoes.get_shoe(shoe.id, ME) == shoe


# -- deleting and isolation ------------------------------------------------------------


def test_deleting_a_shoe_leaves_its_activities_with_no_shoe(
    store: Store, make_activity: MakeActivity
) -> None:
    shoe = add(store, is_default=True)
    other = add(store)
    ids = store.activities.add_activities(ME, [make_activity(n) for n in range(3)]).inserted_ids
    store.activities.assign_shoe(ids[:2], shoe.id, ME)
    store.activities.assign_shoe(ids[2:], other.id, ME)

    assert store.shoes.delete_shoe(shoe.id, ME) is True
    assert store.shoes.delete_shoe(shoe.id, ME) is False

    assert store.shoes.get_shoe(shoe.id, ME) is None
    assert store.shoes.default_shoe(ME) is None
    assert [a.shoe_id for a in store.activities.activity_summaries(ME)] == [None, None, other.id]
    assert len(store.activities.list_activities(ME)) == 3


def test_another_runners_shoes_can_be_neither_read_nor_changed(
    store: Store, other_runner: str
) -> None:
    anas = add(store, other_runner, is_default=True)
    mine = add(store)

    assert store.shoes.get_shoe(anas.id, ME) is None
    assert store.shoes.list_shoes(ME) == [mine]
    assert store.shoes.default_shoe(ME) is None
    assert store.shoes.update_shoe(anas.id, ME, nickname="mine now") is None
    assert store.shoes.update_shoe(anas.id, ME, is_default=True) is None
    assert store.shoes.retire_shoe(anas.id, ME, date(2026, 11, 1)) is None
    assert store.shoes.delete_shoe(anas.id, ME) is False

    assert store.shoes.list_shoes(other_runner) == [anas]
    assert store.shoes.default_shoe(other_runner) == anas


def test_unknown_shoes_are_none_and_false(store: Store) -> None:
    unknown = "0" * 32

    assert store.shoes.get_shoe(unknown, ME) is None
    assert store.shoes.update_shoe(unknown, ME, nickname="x") is None
    assert store.shoes.update_shoe(unknown, "ghost", is_default=True) is None
    assert store.shoes.retire_shoe(unknown, ME, date(2026, 11, 1)) is None
    assert store.shoes.delete_shoe(unknown, ME) is False
