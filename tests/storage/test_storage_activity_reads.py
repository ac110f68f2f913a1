"""Activities on both backends, once stored: lists, summaries, deletion, runners kept
apart, shoes on activities."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import Engine, text

from stridewell.storage import (
    LOCAL_RUNNER_ID,
    ActivitySummary,
    Store,
    UnknownShoe,
    activity_repo,
)

MakeActivity = Callable[..., dict[str, Any]]
RowCount = Callable[[str], int]

ME = LOCAL_RUNNER_ID
IMPORTED = datetime(2026, 11, 20, 21, 0, tzinfo=UTC)
KATHMANDU = timezone(timedelta(hours=5, minutes=45))


def add(store: Store, rows: list[dict[str, Any]], runner_id: str = ME) -> list[str]:
    return store.activities.add_activities(runner_id, rows, imported_at=IMPORTED).inserted_ids


# -- reading ---------------------------------------------------------------------------


def test_list_is_newest_first_and_pages_never_overlap(
    store: Store, make_activity: MakeActivity
) -> None:
    same_start = make_activity(3)["start_time"]
    rows = [make_activity(n) for n in range(6)] + [
        make_activity(10 + n, start_time=same_start) for n in range(3)
    ]
    add(store, rows)

    everything = store.activities.list_activities(ME)
    pages = [
        store.activities.list_activities(ME, limit=2, offset=offset) for offset in range(0, 10, 2)
    ]

    starts = [a.start_time for a in everything]
    assert starts == sorted(starts, reverse=True) and len(everything) == 9
    assert [a for page in pages for a in page] == everything
    assert store.activities.list_activities(ME, limit=0) == []


def test_list_filters_by_period_and_sport(store: Store, make_activity: MakeActivity) -> None:
    add(
        store,
        [make_activity(n) for n in range(5)]
        + [make_activity(2, sport="cycling", fingerprint="cycling|2")],
    )
    day = make_activity(0)["start_time"]

    def days(**filters: Any) -> list[int]:
        return [(a.start_time - day).days for a in store.activities.list_activities(ME, **filters)]

    assert days(since=day + timedelta(days=3)) == [4, 3]
    # until is exclusive: an activity starting exactly then is not included.
    assert days(until=day + timedelta(days=2)) == [1, 0]
    assert days(since=day + timedelta(days=1), until=day + timedelta(days=3)) == [2, 2, 1]
    assert days(sport="cycling") == [2]
    assert days(sport="running", since=day.astimezone(KATHMANDU) + timedelta(days=2)) == [4, 3, 2]
    assert days(sport="swimming") == []


@pytest.mark.parametrize(
    ("filters", "error"),
    [
        ({"since": datetime(2026, 10, 1)}, ValueError),
        ({"until": "2026-10-01"}, TypeError),
        ({"limit": -1}, ValueError),
        ({"offset": -1}, ValueError),
    ],
)
def test_bad_list_filters_are_refused(
    store: Store, filters: dict[str, Any], error: type[Exception]
) -> None:
    with pytest.raises(error):
        store.activities.list_activities(ME, **filters)


def test_summaries_are_oldest_first_with_the_load_columns(
    store: Store, make_activity: MakeActivity
) -> None:
    rows = [
        make_activity(2, sub_sport="treadmill", is_indoor=True, gear="Kayano"),
        make_activity(0),
        make_activity(1, sport="cycling", fingerprint="cycling|1"),
    ]
    ids = add(store, rows)

    summaries = store.activities.activity_summaries(ME)

    assert summaries == [
        ActivitySummary(
            id=ids[index],
            start_time=rows[index]["start_time"],
            sport=rows[index]["sport"],
            sub_sport=rows[index].get("sub_sport"),
            is_indoor=rows[index]["is_indoor"],
            distance_m=rows[index]["distance_m"],
            duration_s=rows[index]["duration_s"],
            shoe_id=None,
            gear=rows[index].get("gear"),
        )
        for index in (1, 2, 0)
    ]
    assert all(type(s.is_indoor) is bool for s in summaries)
    day = rows[1]["start_time"]
    assert [
        s.id for s in store.activities.activity_summaries(ME, since=day + timedelta(days=1))
    ] == [
        ids[2],
        ids[0],
    ]
    assert [
        s.id for s in store.activities.activity_summaries(ME, until=day + timedelta(days=1))
    ] == [ids[1]]


def test_delete_activity_removes_only_that_activity(
    store: Store, make_activity: MakeActivity
) -> None:
    gone, kept = add(store, [make_activity(0), make_activity(1)])

    assert store.activities.delete_activity(gone, ME) is True
    assert store.activities.delete_activity(gone, ME) is False

    assert store.activities.get_activity(gone, ME) is None
    assert [a.id for a in store.activities.list_activities(ME)] == [kept]
    assert store.activities.known_fingerprints(ME) == {make_activity(1)["fingerprint"]}
    # Its fingerprint is free again: the run can be imported anew.
    assert len(add(store, [make_activity(0)])) == 1


# -- runners keep to their own ----------------------------------------------------------


def test_runners_see_change_and_deduplicate_only_their_own_activities(
    store: Store, make_activity: MakeActivity, other_runner: str
) -> None:
    [mine] = add(store, [make_activity(0)])
    # The same outing recorded by another runner is not a duplicate of mine.
    result = store.activities.add_activities(other_runner, [make_activity(0)], imported_at=IMPORTED)
    [anas] = result.inserted_ids
    anas_shoe = store.shoes.add_shoe(
        other_runner, brand="Hoka", model="Clifton", type="high cushion"
    )

    assert result.duplicate_fingerprints == []
    assert [a.id for a in store.activities.list_activities(ME)] == [mine]
    assert [s.id for s in store.activities.activity_summaries(other_runner)] == [anas]
    assert store.activities.known_fingerprints(ME) == store.activities.known_fingerprints(
        other_runner
    )
    assert store.activities.get_activity(anas, ME) is None
    assert store.activities.delete_activity(anas, ME) is False
    assert store.activities.assign_shoe([anas], None, ME) == 0
    with pytest.raises(UnknownShoe):
        store.activities.assign_shoe([mine], anas_shoe.id, ME)
    assert store.activities.get_activity(anas, other_runner) is not None
    assert (
        store.activities.count_activities(ME)
        == store.activities.count_activities(other_runner)
        == 1
    )
    assert store.activities.count_activities("ghost") == 0


def test_deleting_a_runner_cascades_to_their_activities_and_shoes(
    store: Store,
    make_activity: MakeActivity,
    other_runner: str,
    direct_engine: Engine,
    row_count: RowCount,
) -> None:
    for runner_id in (ME, other_runner):
        shoe = store.shoes.add_shoe(
            runner_id, brand="Asics", model="Novablast", type="neutral cushioned"
        )
        ids = add(store, [make_activity(n) for n in range(3)], runner_id)
        store.activities.assign_shoe(ids, shoe.id, runner_id)

    with direct_engine.begin() as connection:
        connection.execute(text("DELETE FROM runners WHERE id = :id"), {"id": ME})

    assert (row_count("activities"), row_count("shoes")) == (3, 1)
    assert store.activities.list_activities(ME) == [] and store.shoes.list_shoes(ME) == []
    assert len(store.activities.list_activities(other_runner)) == 3
    assert [s.shoe_id for s in store.activities.activity_summaries(other_runner)] == [
        store.shoes.list_shoes(other_runner)[0].id
    ] * 3


# -- shoes on activities ---------------------------------------------------------------


def test_assign_shoe_sets_and_clears_the_shoe_of_the_given_activities(
    store: Store, make_activity: MakeActivity
) -> None:
    ids = add(store, [make_activity(n) for n in range(4)])
    shoe = store.shoes.add_shoe(ME, brand="Saucony", model="Ride", type="neutral cushioned")

    assert store.activities.assign_shoe([ids[0], ids[2], ids[2], "f" * 32], shoe.id, ME) == 2
    shod = {s.id: s.shoe_id for s in store.activities.activity_summaries(ME)}
    assert shod == {ids[0]: shoe.id, ids[1]: None, ids[2]: shoe.id, ids[3]: None}

    assert store.activities.assign_shoe(iter([ids[2]]), None, ME) == 1
    assert store.activities.get_activity(ids[2], ME).shoe_id is None  # type: ignore[union-attr]
    assert store.activities.assign_shoe([], shoe.id, ME) == 0


def test_assign_shoe_handles_more_ids_than_one_statement_takes(
    store: Store, make_activity: MakeActivity, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(activity_repo, "IDS_PER_STATEMENT", 3)
    ids = add(store, [make_activity(n) for n in range(8)])
    shoe = store.shoes.add_shoe(ME, brand="Brooks", model="Adrenaline", type="stability")

    assert store.activities.assign_shoe(ids, shoe.id, ME) == 8

    assert {s.shoe_id for s in store.activities.activity_summaries(ME)} == {shoe.id}


def test_assign_shoe_refuses_an_unknown_shoe_and_changes_nothing(
    store: Store, make_activity: MakeActivity
) -> None:
    ids = add(store, [make_activity(0)])
    shoe = store.shoes.add_shoe(ME, brand="Brooks", model="Ghost", type="neutral cushioned")
    store.activities.assign_shoe(ids, shoe.id, ME)

    with pytest.raises(UnknownShoe, match=r"f{32}"):
        store.activities.assign_shoe(ids, "f" * 32, ME)
    with pytest.raises(TypeError, match="not one string"):
        store.activities.assign_shoe(ids[0], shoe.id, ME)

    assert store.activities.get_activity(ids[0], ME).shoe_id == shoe.id  # type: ignore[union-attr]


def test_activities_can_be_imported_with_the_runners_own_shoe_only(
    store: Store, make_activity: MakeActivity, other_runner: str, row_count: RowCount
) -> None:
    mine = store.shoes.add_shoe(ME, brand="Nike", model="Pegasus", type="neutral cushioned")
    anas = store.shoes.add_shoe(other_runner, brand="Nike", model="Vomero", type="high cushion")

    [activity_id] = add(store, [make_activity(0, shoe_id=mine.id)])
    with pytest.raises(UnknownShoe, match=anas.id):
        store.activities.add_activities(ME, [make_activity(1), make_activity(2, shoe_id=anas.id)])

    assert store.activities.get_activity(activity_id, ME).shoe_id == mine.id  # type: ignore[union-attr]
    assert row_count("activities") == 1
