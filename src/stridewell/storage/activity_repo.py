"""Imported activities: stored in bulk, deduplicated by fingerprint, read back lean.

An import hands over hundreds or thousands of activities at once; they are written in
batches of multi-row INSERTs, all in one transaction, so an import is stored whole or not
at all. A row whose fingerprint the runner already has is skipped by the database itself
(INSERT ... ON CONFLICT DO NOTHING), which also holds when two imports run at once.

The samples are an opaque blob (the service's compact encoding): lists and summaries
never read them, only ``get_activity(..., with_samples=True)`` does.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any, cast
from uuid import uuid4

from sqlalchemy import ColumnElement, CursorResult, Table, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from stridewell.storage.checks import (
    require_aware,
    require_bool,
    require_filled,
    require_measure,
    require_optional_bytes,
    require_optional_max_length,
    require_optional_measure,
    require_optional_text,
    require_text,
)
from stridewell.storage.core import Repository, ensure_runner_exists
from stridewell.storage.errors import UnknownShoe
from stridewell.storage.import_files_repo import checked_file_rows, insert_file_rows
from stridewell.storage.limits import (
    DEVICE_LENGTH,
    EXTERNAL_ID_LENGTH,
    FINGERPRINT_LENGTH,
    GEAR_LENGTH,
    ID_LENGTH,
    SOURCE_FORMAT_LENGTH,
    SPORT_LENGTH,
)
from stridewell.storage.models import (
    ActivityRow,
    ShoeRow,
    utc_now,
)
from stridewell.storage.records import (
    ActivitySummary,
    ActivityToStore,
    AddActivitiesResult,
    ImportedFile,
    StoredActivity,
)

Activity = ActivityRow

# The keys of ``ActivityToStore``, for rows that come from outside the type checker.
REQUIRED_ACTIVITY_KEYS = ActivityToStore.__required_keys__
OPTIONAL_ACTIVITY_KEYS = ActivityToStore.__optional_keys__
ACTIVITY_KEYS = REQUIRED_ACTIVITY_KEYS | OPTIONAL_ACTIVITY_KEYS

# One INSERT carries at most this many rows, or this many bytes of samples (whichever
# comes first), so a history of long runs never builds one enormous statement.
BATCH_ROWS = 500
BATCH_SAMPLE_BYTES = 16 * 1024 * 1024
# Ids per IN (...) list: well under SQLite's limit on bound parameters.
IDS_PER_STATEMENT = 500

# Every listing query yields these columns, labelled as the fields of StoredActivity.
_ACTIVITY_COLUMNS = (
    Activity.id,
    Activity.runner_id,
    Activity.source_format,
    Activity.sport,
    Activity.sub_sport,
    Activity.is_indoor,
    Activity.start_time,
    Activity.duration_s,
    Activity.moving_time_s,
    Activity.distance_m,
    Activity.elevation_gain_m,
    Activity.avg_hr,
    Activity.max_hr,
    Activity.avg_cadence,
    Activity.name,
    Activity.device,
    Activity.gear,
    Activity.shoe_id,
    Activity.source_name,
    Activity.external_id,
    Activity.fingerprint,
    Activity.warnings,
    Activity.imported_at,
    Activity.original_path,
    Activity.samples.is_not(None).label("has_samples"),
)

_SUMMARY_COLUMNS = (
    Activity.id,
    Activity.start_time,
    Activity.sport,
    Activity.sub_sport,
    Activity.is_indoor,
    Activity.distance_m,
    Activity.duration_s,
    Activity.shoe_id,
    Activity.gear,
)


class ActivityRepository(Repository):
    """Imported activities (``Store.activities``)."""

    def add_activities(
        self,
        runner_id: str,
        rows: Sequence[ActivityToStore],
        *,
        imported_at: datetime | None = None,
        files: Sequence[ImportedFile] = (),
    ) -> AddActivitiesResult:
        """Store the activities whose fingerprint the runner does not have yet, in one
        transaction: on any error nothing of this call is stored.

        Each row has the keys ``REQUIRED_ACTIVITY_KEYS`` and may have any of
        ``OPTIONAL_ACTIVITY_KEYS`` (missing ones are None; ``warnings`` is then []).
        ``samples`` is bytes, stored as given. A row repeating an earlier row's
        fingerprint, or one the runner already has, is skipped and reported.
        ``imported_at`` (default: now) is stamped on every row of the call.

        ``files`` are the source files the rows came from, as for
        ``record_import_files`` (``imported_at`` is their ``first_seen``): recorded in the
        same transaction, so a file is marked seen only once its activities are stored.

        Raises TypeError/ValueError for a row the backends would store differently
        (naming the row), ``UnknownRunner``, or ``UnknownShoe`` if a row's ``shoe_id``
        is not one of the runner's shoes.
        """
        stamp = utc_now() if imported_at is None else require_aware(imported_at, "imported_at")
        if isinstance(rows, str | bytes) or not isinstance(rows, Sequence):
            raise TypeError(f"rows must be a sequence of mappings, got {type(rows).__name__}")
        checked = [_activity_row(runner_id, stamp, index, row) for index, row in enumerate(rows)]
        checked_files = checked_file_rows(runner_id, stamp, files, "files")
        # Of several rows with one fingerprint the first is stored; the others would be
        # skipped by the database anyway, but need not travel there.
        first_of_fingerprint: dict[str, str] = {}
        unique_rows = []
        for row in checked:
            if first_of_fingerprint.setdefault(row["fingerprint"], row["id"]) == row["id"]:
                unique_rows.append(row)
        shoe_ids = {row["shoe_id"] for row in checked if row["shoe_id"] is not None}
        inserted: set[str] = set()
        with self._write_session() as session:
            ensure_runner_exists(session, runner_id)
            _require_own_shoes(session, runner_id, shoe_ids)
            statement = _insert_skipping_duplicates(session)
            for batch in _batches(unique_rows):
                inserted.update(session.scalars(statement, batch))
            insert_file_rows(session, checked_files)
        return AddActivitiesResult(
            inserted_ids=[row["id"] for row in checked if row["id"] in inserted],
            duplicate_fingerprints=[
                row["fingerprint"] for row in checked if row["id"] not in inserted
            ],
        )

    def known_fingerprints(self, runner_id: str) -> set[str]:
        """The fingerprints of all the runner's stored activities."""
        query = select(Activity.fingerprint).where(Activity.runner_id == runner_id)
        with self._read_session() as session:
            return set(session.scalars(query))

    def list_activities(
        self,
        runner_id: str,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        sport: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[StoredActivity]:
        """A page of the runner's activities with ``since <= start_time < until`` (and
        of ``sport``, if given), newest first, without their samples."""
        if (limit is not None and limit < 0) or offset < 0:
            raise ValueError(f"limit and offset must not be negative (got {limit}, {offset})")
        query = (
            select(*_ACTIVITY_COLUMNS)
            .where(Activity.runner_id == runner_id, *_in_period(since, until))
            # id breaks ties so that pages never overlap or skip equal start times.
            .order_by(Activity.start_time.desc(), Activity.id.desc())
            .limit(limit)
            .offset(offset)
        )
        if sport is not None:
            query = query.where(Activity.sport == sport)
        with self._read_session() as session:
            return [_to_activity(row) for row in session.execute(query)]

    def get_activity(
        self, activity_id: str, runner_id: str, *, with_samples: bool = False
    ) -> StoredActivity | None:
        """The activity if it is this runner's, else None; its samples only if asked."""
        columns = (*_ACTIVITY_COLUMNS, Activity.samples) if with_samples else _ACTIVITY_COLUMNS
        query = select(*columns).where(Activity.id == activity_id, Activity.runner_id == runner_id)
        with self._read_session() as session:
            row = session.execute(query).one_or_none()
            return None if row is None else _to_activity(row)

    def activity_summaries(
        self, runner_id: str, *, since: datetime | None = None, until: datetime | None = None
    ) -> list[ActivitySummary]:
        """The load-relevant columns of the runner's activities with
        ``since <= start_time < until``, oldest first."""
        query = (
            select(*_SUMMARY_COLUMNS)
            .where(Activity.runner_id == runner_id, *_in_period(since, until))
            .order_by(Activity.start_time, Activity.id)
        )
        with self._read_session() as session:
            # Straight through the connection, skipping the ORM's per-row result
            # handling: a decade of runs is thousands of rows.
            return [ActivitySummary(*row) for row in session.connection().execute(query)]

    def delete_activity(self, activity_id: str, runner_id: str) -> bool:
        """Delete the activity; False if the runner has no such activity."""
        with self._write_session() as session:
            result = session.execute(
                delete(Activity).where(Activity.id == activity_id, Activity.runner_id == runner_id)
            )
            return cast(CursorResult[Any], result).rowcount == 1

    def assign_shoe(self, activity_ids: Iterable[str], shoe_id: str | None, runner_id: str) -> int:
        """Set the shoe of those of ``activity_ids`` that are the runner's activities
        (None takes the shoe off them); returns how many that was.

        Raises ``UnknownShoe``, changing nothing, unless ``shoe_id`` is None or one of the
        runner's shoes (retired ones included: old runs were run in them).
        """
        if isinstance(activity_ids, str):
            raise TypeError("activity_ids must be a collection of ids, not one string")
        ids = list(dict.fromkeys(activity_ids))
        for activity_id in ids:
            require_text(activity_id, "activity_ids[]")
        changed = 0
        with self._write_session() as session:
            if shoe_id is not None:
                _require_own_shoes(session, runner_id, {shoe_id})
            for start in range(0, len(ids), IDS_PER_STATEMENT):
                chunk = ids[start : start + IDS_PER_STATEMENT]
                result = session.execute(
                    update(Activity)
                    .where(Activity.runner_id == runner_id, Activity.id.in_(chunk))
                    .values(shoe_id=shoe_id)
                )
                changed += cast(CursorResult[Any], result).rowcount
        return changed

    def count_activities(self, runner_id: str) -> int:
        """How many activities the runner has stored."""
        query = select(func.count()).select_from(Activity).where(Activity.runner_id == runner_id)
        with self._read_session() as session:
            return int(session.scalar(query) or 0)


def _activity_row(
    runner_id: str, imported_at: datetime, index: int, row: ActivityToStore
) -> dict[str, Any]:
    """The checked values of one activity, ready to insert."""
    where = f"rows[{index}]"
    if not isinstance(row, Mapping):
        raise TypeError(f"{where} must be a mapping, got {type(row).__name__}")
    missing = sorted(REQUIRED_ACTIVITY_KEYS - row.keys())
    unknown = sorted(str(key) for key in row.keys() - ACTIVITY_KEYS)
    if missing or unknown:
        raise ValueError(f"{where}: missing keys {missing}, unknown keys {unknown}")
    warnings = row.get("warnings")
    if warnings is None:
        warnings = []
    if isinstance(warnings, str) or not isinstance(warnings, list | tuple):
        raise TypeError(f"{where}.warnings must be a list of strings")
    return {
        "id": uuid4().hex,
        "runner_id": runner_id,
        "source_format": require_filled(
            row["source_format"], SOURCE_FORMAT_LENGTH, f"{where}.source_format"
        ),
        "sport": require_filled(row["sport"], SPORT_LENGTH, f"{where}.sport"),
        "sub_sport": require_optional_max_length(
            row.get("sub_sport"), SPORT_LENGTH, f"{where}.sub_sport"
        ),
        "is_indoor": require_bool(row["is_indoor"], f"{where}.is_indoor"),
        "start_time": require_aware(row["start_time"], f"{where}.start_time"),
        "duration_s": require_measure(row["duration_s"], f"{where}.duration_s"),
        "moving_time_s": require_measure(row["moving_time_s"], f"{where}.moving_time_s"),
        "distance_m": require_measure(row["distance_m"], f"{where}.distance_m"),
        "elevation_gain_m": require_optional_measure(
            row.get("elevation_gain_m"), f"{where}.elevation_gain_m"
        ),
        "avg_hr": require_optional_measure(row.get("avg_hr"), f"{where}.avg_hr"),
        "max_hr": require_optional_measure(row.get("max_hr"), f"{where}.max_hr"),
        "avg_cadence": require_optional_measure(row.get("avg_cadence"), f"{where}.avg_cadence"),
        "name": require_optional_text(row.get("name"), f"{where}.name"),
        "device": require_optional_max_length(row.get("device"), DEVICE_LENGTH, f"{where}.device"),
        "gear": require_optional_max_length(row.get("gear"), GEAR_LENGTH, f"{where}.gear"),
        "shoe_id": require_optional_max_length(row.get("shoe_id"), ID_LENGTH, f"{where}.shoe_id"),
        "source_name": require_text(row["source_name"], f"{where}.source_name"),
        "external_id": require_optional_max_length(
            row.get("external_id"), EXTERNAL_ID_LENGTH, f"{where}.external_id"
        ),
        "fingerprint": require_filled(
            row["fingerprint"], FINGERPRINT_LENGTH, f"{where}.fingerprint"
        ),
        "warnings": [require_text(w, f"{where}.warnings[]") for w in warnings],
        "imported_at": imported_at,
        "samples": require_optional_bytes(row.get("samples"), f"{where}.samples"),
        "original_path": require_optional_text(row.get("original_path"), f"{where}.original_path"),
    }


def _batches(rows: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    sample_bytes = 0
    for row in rows:
        batch.append(row)
        sample_bytes += len(row["samples"] or b"")
        if len(batch) >= BATCH_ROWS or sample_bytes >= BATCH_SAMPLE_BYTES:
            yield batch
            batch, sample_bytes = [], 0
    if batch:
        yield batch


def _insert_skipping_duplicates(session: Session) -> Any:
    """INSERT that skips rows whose (runner, fingerprint) is taken, returning the ids of
    the rows it did insert."""
    dialect = session.get_bind().dialect.name
    insert = sqlite.insert if dialect == "sqlite" else postgresql.insert
    table = cast(Table, Activity.__table__)
    return (
        insert(table)
        .on_conflict_do_nothing(index_elements=[Activity.runner_id, Activity.fingerprint])
        .returning(Activity.id)
    )


def _require_own_shoes(session: Session, runner_id: str, shoe_ids: set[str]) -> None:
    if not shoe_ids:
        return
    found = set(
        session.scalars(
            select(ShoeRow.id).where(ShoeRow.runner_id == runner_id, ShoeRow.id.in_(shoe_ids))
        )
    )
    missing = sorted(shoe_ids - found)
    if missing:
        raise UnknownShoe(missing[0])


def _in_period(since: datetime | None, until: datetime | None) -> list[ColumnElement[bool]]:
    """Conditions for ``since <= start_time < until`` (either end may be open)."""
    conditions = []
    if since is not None:
        conditions.append(Activity.start_time >= require_aware(since, "since"))
    if until is not None:
        conditions.append(Activity.start_time < require_aware(until, "until"))
    return conditions


def _to_activity(row: Any) -> StoredActivity:
    # The columns are labelled like the record's fields (samples only when selected).
    return StoredActivity(**row._mapping)
