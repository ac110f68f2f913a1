"""The runner's shoes: add, edit, retire, delete, and one default pair.

A runner has at most one default shoe: making one the default clears the previous one in
the same transaction, under the runner's lock so that two such changes take turns, and a
partial unique index makes the database enforce it as well. A retired shoe is never the
default. Deleting a shoe keeps its activities, without a shoe (ON DELETE SET NULL).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from functools import partial
from typing import Any, Unpack, cast
from uuid import uuid4

from sqlalchemy import CursorResult, delete, select, update
from sqlalchemy.orm import Session

from stridewell.storage.checks import (
    require_aware,
    require_bool,
    require_date,
    require_filled,
    require_measure,
    require_optional_date,
    require_optional_max_length,
)
from stridewell.storage.core import Repository, ensure_runner_exists, lock_runner
from stridewell.storage.limits import (
    GEAR_LENGTH,
    SHOE_BRAND_LENGTH,
    SHOE_MODEL_LENGTH,
    SHOE_NICKNAME_LENGTH,
    SHOE_TYPE_LENGTH,
)
from stridewell.storage.models import (
    ShoeRow,
    utc_now,
)
from stridewell.storage.records import DEFAULT_CHECK_KM, DEFAULT_REPLACE_KM, ShoeFields, StoredShoe

Shoe = ShoeRow

# What add_shoe and update_shoe accept; add_shoe needs the first three.
REQUIRED_SHOE_FIELDS = frozenset({"brand", "model", "type"})
SHOE_FIELDS = REQUIRED_SHOE_FIELDS | frozenset(
    {
        "nickname",
        "started",
        "retired",
        "is_default",
        "check_km",
        "replace_km",
        "start_km",
        "strava_gear",
    }
)


class ShoeRepository(Repository):
    """Shoes (``Store.shoes``)."""

    def add_shoe(
        self, runner_id: str, *, created_at: datetime | None = None, **fields: Unpack[ShoeFields]
    ) -> StoredShoe:
        """Store a new shoe. ``fields`` are those of ``SHOE_FIELDS``: brand, model and
        type are required; check_km and replace_km default to 500 and 800, start_km (km
        run before tracking, >= 0) to 0, is_default to False. A new default shoe takes
        over from the previous one in the same transaction.

        Raises TypeError/ValueError for unstorable values (also: replace_km below
        check_km, retired before started, a retired default), ``UnknownRunner``.
        """
        missing = sorted(REQUIRED_SHOE_FIELDS - fields.keys())
        if missing:
            raise ValueError(f"missing shoe fields {missing}")
        values = {
            "nickname": None,
            "started": None,
            "retired": None,
            "is_default": False,
            "check_km": DEFAULT_CHECK_KM,
            "replace_km": DEFAULT_REPLACE_KM,
            "start_km": 0.0,
            "strava_gear": None,
        } | _checked_fields(fields)
        _check_consistent(values)
        record = StoredShoe(
            id=uuid4().hex,
            runner_id=runner_id,
            created_at=utc_now() if created_at is None else require_aware(created_at, "created_at"),
            **values,
        )
        with self._write_session() as session:
            if record.is_default:
                # Locked so that two new defaults take turns instead of colliding.
                lock_runner(session, runner_id)
                _clear_default(session, runner_id)
            else:
                ensure_runner_exists(session, runner_id)
            session.add(Shoe(**_columns(record)))
        return record

    def update_shoe(
        self, shoe_id: str, runner_id: str, **fields: Unpack[ShoeFields]
    ) -> StoredShoe | None:
        """Change the given ``fields`` (any of ``SHOE_FIELDS``) and keep the others.

        Setting is_default makes the shoe the runner's default (the previous one stops
        being it); retired=None brings a shoe back. None if the runner has no such shoe.
        """
        return self._update(shoe_id, runner_id, _checked_fields(fields))

    def retire_shoe(self, shoe_id: str, runner_id: str, retired: date) -> StoredShoe | None:
        """Retire the shoe as of ``retired``; it stops being the default if it was.

        None if the runner has no such shoe.
        """
        retired = require_date(retired, "retired")
        return self._update(shoe_id, runner_id, {"retired": retired, "is_default": False})

    def get_shoe(self, shoe_id: str, runner_id: str) -> StoredShoe | None:
        """The shoe if it is this runner's, else None."""
        query = select(Shoe).where(Shoe.id == shoe_id, Shoe.runner_id == runner_id)
        with self._read_session() as session:
            row = session.scalars(query).one_or_none()
            return None if row is None else _to_shoe(row)

    def list_shoes(self, runner_id: str, *, include_retired: bool = True) -> list[StoredShoe]:
        """The runner's shoes in the order they were added."""

        def read() -> tuple[StoredShoe, ...]:
            query = select(Shoe).where(Shoe.runner_id == runner_id)
            query = query.order_by(Shoe.created_at, Shoe.id)
            if not include_retired:
                query = query.where(Shoe.retired.is_(None))
            with self._read_session() as session:
                return tuple(_to_shoe(row) for row in session.scalars(query))

        # The training page asks twice (the load and the activity list).
        return list(self._once_per_request(("shoes", runner_id, include_retired), read))

    def default_shoe(self, runner_id: str) -> StoredShoe | None:
        """The runner's default shoe, if any."""
        query = select(Shoe).where(Shoe.runner_id == runner_id, Shoe.is_default.is_(True))
        with self._read_session() as session:
            row = session.scalars(query).one_or_none()
            return None if row is None else _to_shoe(row)

    def delete_shoe(self, shoe_id: str, runner_id: str) -> bool:
        """Delete the shoe; its activities stay, with no shoe. False if the runner has
        no such shoe."""
        with self._write_session() as session:
            result = session.execute(
                delete(Shoe).where(Shoe.id == shoe_id, Shoe.runner_id == runner_id)
            )
            return cast(CursorResult[Any], result).rowcount == 1

    def _update(
        self, shoe_id: str, runner_id: str, changes: Mapping[str, Any]
    ) -> StoredShoe | None:
        mine = (Shoe.id == shoe_id, Shoe.runner_id == runner_id)
        with self._write_session() as session:
            if changes.get("is_default"):
                # The same lock as add_shoe, taken before the shoe's row (one lock order),
                # and only once the shoe is known to be there: an unknown one is just None.
                if session.scalar(select(Shoe.id).where(*mine)) is None:
                    return None
                lock_runner(session, runner_id)
            row = session.scalars(
                select(Shoe).where(*mine).with_for_update(key_share=True)
            ).one_or_none()
            if row is None:
                return None
            values = _shoe_values(row) | dict(changes)
            _check_consistent(values)
            if values["is_default"] and not row.is_default:
                # Runs at once, so the old default is cleared before the new one is set.
                _clear_default(session, runner_id)
            for name, value in changes.items():
                setattr(row, name, value)
            session.flush()
            return _to_shoe(row)


def _checked_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    """The given shoe fields, checked and normalised (a partial set is fine)."""
    unknown = sorted(str(key) for key in fields.keys() - SHOE_FIELDS)
    if unknown:
        raise ValueError(f"unknown shoe fields {unknown}")
    checks: dict[str, Callable[[Any], Any]] = {
        "brand": partial(require_filled, limit=SHOE_BRAND_LENGTH, name="brand"),
        "model": partial(require_filled, limit=SHOE_MODEL_LENGTH, name="model"),
        "type": partial(require_filled, limit=SHOE_TYPE_LENGTH, name="type"),
        "nickname": partial(
            require_optional_max_length, limit=SHOE_NICKNAME_LENGTH, name="nickname"
        ),
        "started": partial(require_optional_date, name="started"),
        "retired": partial(require_optional_date, name="retired"),
        "is_default": partial(require_bool, name="is_default"),
        "check_km": partial(require_measure, name="check_km"),
        "replace_km": partial(require_measure, name="replace_km"),
        "start_km": partial(require_measure, name="start_km"),
        "strava_gear": partial(require_optional_max_length, limit=GEAR_LENGTH, name="strava_gear"),
    }
    return {name: checks[name](value) for name, value in fields.items()}


def _check_consistent(values: Mapping[str, Any]) -> None:
    """The rules between fields, which the database's CHECK constraints repeat."""
    if values["check_km"] <= 0:
        raise ValueError(f"check_km must be above 0, got {values['check_km']}")
    if values["replace_km"] < values["check_km"]:
        raise ValueError(
            f"replace_km ({values['replace_km']}) must not be below check_km ({values['check_km']})"
        )
    started, retired = values["started"], values["retired"]
    if started is not None and retired is not None and retired < started:
        raise ValueError(f"retired ({retired}) must not be before started ({started})")
    if values["is_default"] and retired is not None:
        raise ValueError("a retired shoe cannot be the default")


def _clear_default(session: Session, runner_id: str) -> None:
    session.execute(
        update(Shoe)
        .where(Shoe.runner_id == runner_id, Shoe.is_default.is_(True))
        .values(is_default=False)
    )


def _shoe_values(row: ShoeRow) -> dict[str, Any]:
    return {name: getattr(row, name) for name in SHOE_FIELDS}


def _columns(record: StoredShoe) -> dict[str, Any]:
    return {
        "id": record.id,
        "runner_id": record.runner_id,
        "created_at": record.created_at,
        **{name: getattr(record, name) for name in SHOE_FIELDS},
    }


def _to_shoe(row: ShoeRow) -> StoredShoe:
    return StoredShoe(
        id=row.id,
        runner_id=row.runner_id,
        brand=row.brand,
        model=row.model,
        type=row.type,
        nickname=row.nickname,
        started=row.started,
        retired=row.retired,
        is_default=row.is_default,
        check_km=row.check_km,
        replace_km=row.replace_km,
        start_km=row.start_km,
        strava_gear=row.strava_gear,
        created_at=row.created_at,
    )
