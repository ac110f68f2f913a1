"""Training for one runner: importing activities, the activity list and training load."""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from stridewell.errors import InvalidInput, NotFound
from stridewell.service.backend import Backend
from stridewell.service.imports import (
    IMPORT_CHUNK,
    ImportCounter,
    activity_row,
    decoder_pool,
    new_files,
    original_name,
    originals_keeper,
    shoe_for,
)
from stridewell.service.views import LoadWeek, TrainingLoad, note_json

if TYPE_CHECKING:
    from stridewell.activities.bulk import ImportReport, Progress
    from stridewell.activities.model import Activity, Samples
    from stridewell.load.notes import Note, Reader
    from stridewell.load.runlog import RunLog
    from stridewell.service.activity_view import ActivityDetail, ActivityItem
    from stridewell.shoes.model import Shoe
    from stridewell.storage.records import (
        ActivityToStore,
        AddActivitiesResult,
        ImportedFile,
        StoredActivity,
        StoredShoe,
    )

# What the recorded training can fill in of an assessment's history.
HistoryFromData = dict[str, float | bool]


def shoe_model(stored: StoredShoe) -> Shoe:
    from stridewell.shoes.model import Shoe, ShoeType

    return Shoe(
        id=stored.id,
        brand=stored.brand,
        model=stored.model,
        type=ShoeType(stored.type),
        nickname=stored.nickname,
        started=stored.started,
        retired=stored.retired,
        is_default=stored.is_default,
        check_km=stored.check_km,
        replace_km=stored.replace_km,
        start_km=stored.start_km,
    )


def run_log(backend: Backend, runner_id: str) -> tuple[RunLog, list[Shoe]]:
    """The runner's activities as a load log, runs assigned to their shoes (kept until
    the runner's data changes: the log and its arrays are shared, never changed); runs
    fall on the runner's local days."""
    tz = backend.zone(runner_id)
    log, shoes = backend.cached(
        runner_id,
        ("run log", tz),
        lambda: _read_run_log(backend, runner_id, tz),
        training_only=True,
    )
    return log, list(shoes)


def _read_run_log(backend: Backend, runner_id: str, tz: tzinfo) -> tuple[RunLog, list[Shoe]]:
    import numpy as np

    from stridewell.load.runlog import RunLog
    from stridewell.shoes.mileage import assign_shoes

    summaries = backend.run(lambda store: store.activities.activity_summaries(runner_id))
    shoes = [shoe_model(s) for s in backend.run(lambda store: store.shoes.list_shoes(runner_id))]
    log = RunLog.from_arrays(
        np.array([s.start_time.astimezone(tz).date() for s in summaries], "datetime64[D]"),
        [s.distance_m / 1000 for s in summaries],
        [s.duration_s for s in summaries],
        is_run=[s.sport == "running" for s in summaries],
        treadmill=[s.is_indoor for s in summaries],
        shoe=[s.shoe_id for s in summaries],
        shoe_ids=[s.id for s in shoes],
    )
    return assign_shoes(log, shoes), shoes


def _kept_as(source_name: str | None, digests: dict[str, str]) -> str | None:
    """Where the activity's original file is kept, relative to the runner's originals."""
    digest = digests.get(source_name or "")
    return None if digest is None else original_name(source_name or "", digest)


class TrainingService:
    """One runner's activities and training load."""

    def __init__(self, backend: Backend, runner_id: str) -> None:
        self._backend = backend
        self.runner_id = runner_id

    def originals_dir(self) -> Path:
        """Where the runner's original activity files are kept (for their export)."""
        return self._backend.originals_dir(self.runner_id)

    # -- import -------------------------------------------------------------------------

    def import_paths(
        self, paths: Iterable[str | Path], *, progress: Progress | None = None
    ) -> ImportReport:
        """Import files, folders and Strava export zips; duplicates and broken files are
        reported, the rest is stored."""
        from stridewell.activities.bulk import ImportReport, import_all, iter_sources, source_chunks
        from stridewell.activities.limits import DEFAULT_LIMITS

        backend, runner_id = self._backend, self.runner_id
        known = backend.run(lambda store: store.activities.known_fingerprints(runner_id))
        known_files = backend.run(lambda store: store.files.known_file_digests(runner_id))
        shoes = backend.run(lambda store: store.shoes.list_shoes(runner_id))
        # The folder beside a SQLite file; on PostgreSQL the database, so that any process
        # on any machine can hand them back (`stridewell import` and the web alike).
        keeper = originals_keeper(backend, runner_id)
        zone = backend.zone(runner_id)
        report = ImportReport()
        sources = list(iter_sources(paths))
        counter = ImportCounter(progress, len(sources))
        with decoder_pool(len(sources)) as mapper:
            for chunk in source_chunks(sources, IMPORT_CHUNK, DEFAULT_LIMITS.max_chunk_bytes):
                fresh, digests, originals = new_files(chunk, known_files, report, counter)
                activities, part = import_all(fresh, known, counter.step, mapper=mapper)
                rows = [
                    activity_row(a, shoe_for(a, shoes, zone), _kept_as(a.source_name, digests))
                    for a in activities
                ]
                per_file = Counter(a.source_name for a in activities)
                broken = {source for source, _ in part.set_aside}
                files: list[ImportedFile] = [
                    {"digest": digest, "source_name": name, "activities": per_file.get(name, 0)}
                    for name, digest in digests.items()
                    if name not in broken
                ]
                result = self._store_chunk(rows, files)
                keeper.keep([(str(f["source_name"]), str(f["digest"])) for f in files], originals)
                known.update(r["fingerprint"] for r in rows)
                known_files.update(digests[str(f["source_name"])] for f in files)
                report.files += part.files
                report.imported += len(result.inserted_ids)
                report.duplicates += part.duplicates
                stored_before = result.duplicate_fingerprints
                report.duplicates += [("(already stored)", f) for f in stored_before]
                report.set_aside += part.set_aside
                report.warnings += part.warnings
                report.not_read += part.not_read
        return report

    def add_activities(self, activities: Iterable[Activity]) -> int:
        """Store activities made without a file (the demo runner's runs), each run in its
        shoe of the day; returns how many were new."""
        runner_id = self.runner_id
        shoes = self._backend.run(lambda store: store.shoes.list_shoes(runner_id))
        zone = self._backend.zone(runner_id)
        rows = [activity_row(a, shoe_for(a, shoes, zone), None) for a in activities]
        return len(self._store_chunk(rows, []).inserted_ids)

    def _store_chunk(
        self, rows: list[ActivityToStore], files: list[ImportedFile]
    ) -> AddActivitiesResult:
        """A chunk's activities, and the files they came from, in one transaction."""
        runner_id = self.runner_id
        return self._backend.run(
            lambda store: store.activities.add_activities(runner_id, rows, files=files)
        )

    def activities(
        self,
        *,
        limit: int | None = 50,
        offset: int = 0,
        sport: str | None = None,
        since: datetime | None = None,
    ) -> list[StoredActivity]:
        """The runner's activities, newest first (those starting at or after ``since``)."""
        runner_id = self.runner_id
        found = self._backend.cached(
            runner_id,
            ("activities", limit, offset, sport, since),
            lambda: tuple(
                self._backend.run(
                    lambda store: store.activities.list_activities(
                        runner_id, since=since, until=None, sport=sport, limit=limit, offset=offset
                    )
                )
            ),
            training_only=True,
        )
        return list(found)

    def activity(self, activity_id: str) -> StoredActivity:
        """One of the runner's activities, with its samples still encoded."""
        runner_id = self.runner_id
        found = self._backend.run(
            lambda store: store.activities.get_activity(activity_id, runner_id, with_samples=True)
        )
        if found is None:
            raise NotFound(f"no activity with id '{activity_id}'")
        return found

    def samples(self, activity_id: str) -> Samples | None:
        """The activity's per-second series (time, distance, heart rate, cadence,
        altitude, position), or None when its file carried none."""
        from stridewell.activities.codec import decode_samples

        blob = self.activity(activity_id).samples
        return None if blob is None else decode_samples(blob)

    def _shoes(self) -> list[Shoe]:
        runner_id, backend = self.runner_id, self._backend

        def read() -> tuple[Shoe, ...]:
            stored = backend.run(lambda st: st.shoes.list_shoes(runner_id))
            return tuple(shoe_model(s) for s in stored)

        return list(backend.cached(runner_id, "shoe models", read, training_only=True))

    def activity_list(
        self, *, limit: int = 20, offset: int = 0, sport: str | None = None
    ) -> list[ActivityItem]:
        """The runner's activities as the list shows them (name, pace, heart rate, shoe),
        newest first (only ``sport``'s when given)."""
        from stridewell.service.activity_view import activity_item

        tz = self._backend.zone(self.runner_id)

        def items() -> tuple[ActivityItem, ...]:
            shoes = self._shoes()
            stored = self.activities(limit=limit, offset=offset, sport=sport)
            return tuple(activity_item(a, shoes, tz) for a in stored)

        key = ("activity list", limit, offset, sport, tz)
        return list(self._backend.cached(self.runner_id, key, items, training_only=True))

    def activity_detail(self, activity_id: str) -> ActivityDetail:
        """One activity's page: its summary, route, series over time and shoe choices."""
        from stridewell.activities.codec import decode_samples
        from stridewell.service.activity_view import activity_detail

        stored = self.activity(activity_id)
        samples = None if stored.samples is None else decode_samples(stored.samples)
        return activity_detail(stored, samples, self._shoes(), self._backend.zone(self.runner_id))

    def set_activity_shoe(self, activity_id: str, shoe_id: str | None) -> ActivityItem:
        """Say which pair a run was in (None: the default pair of its day); the shoes'
        mileage follows. An unknown activity or shoe is NotFound, changing nothing."""
        from stridewell.service.activity_view import activity_item

        runner_id = self.runner_id
        stored = self.activity(activity_id)
        if stored.sport != "running":
            raise InvalidInput("only a run has shoes", field="shoe_id")
        self._backend.run(
            lambda store: store.activities.assign_shoe([activity_id], shoe_id, runner_id)
        )
        zone = self._backend.zone(runner_id)
        return activity_item(self.activity(activity_id), self._shoes(), zone)

    # -- load -----------------------------------------------------------------------------

    def history_from_data(self) -> tuple[HistoryFromData, list[Note]]:
        """Triage history fields from the recorded training, and the load notes behind them."""
        runner_id = self.runner_id
        if not self._backend.run(lambda store: store.activities.count_activities(runner_id)):
            return {}, []  # and no NumPy import for runners without recorded training
        from stridewell.load.history import triage_history
        from stridewell.load.notes import warnings

        log, shoes = run_log(self._backend, runner_id)
        if log.is_empty:
            return {}, []
        today = self._backend.today(self.runner_id)
        return dict(triage_history(log, today, shoes)), warnings(log, today)

    def load(self, *, weeks: int = 12, reader: Reader = "runner") -> TrainingLoad:
        """Weekly distance and time, both load ratios as information, and the warnings
        (worded for the runner, or for a coach reading them)."""
        if not 1 <= weeks <= 520:
            raise InvalidInput("weeks must be between 1 and 520", field="weeks")
        today = self._backend.today(self.runner_id)
        load = self._backend.cached(
            self.runner_id,
            ("load", weeks, reader, today, self._backend.zone(self.runner_id)),  # local days
            lambda: self._load(weeks, reader, today),
            training_only=True,
        )
        return copy.deepcopy(load)  # shared between requests: callers get their own

    def _load(self, weeks: int, reader: Reader, today: date) -> TrainingLoad:
        from stridewell.load.metrics import load_metrics
        from stridewell.load.notes import warnings

        log, _ = run_log(self._backend, self.runner_id)
        if log.is_empty:
            return {
                "today": today.isoformat(),
                "weeks": [],
                "acwr_rolling": None,
                "acwr_ewma": None,
                "notes": [],
            }
        start = today - timedelta(days=7 * weeks - 1)
        metrics = load_metrics(log, start, today)
        w = metrics.weeks
        rows: list[LoadWeek] = [
            {
                "week": str(w.labels[i]),
                "km": round(float(w.km[i]), 1),
                "hours": round(float(w.seconds[i]) / 3600, 2),
                "change_pct": None
                if w.change_pct[i] != w.change_pct[i]
                else round(float(w.change_pct[i]), 1),
                "complete": bool(w.complete[i]),
            }
            for i in range(len(w.labels))
        ]
        # Start at the first week with a run: the empty weeks before it say nothing.
        first_run = next((i for i, row in enumerate(rows) if row["km"] > 0), 0)
        rows = rows[first_run:]
        acwr = metrics.acwr_rolling[-1]
        ewma = metrics.acwr_ewma[-1]
        return {
            "today": today.isoformat(),
            "weeks": rows,
            "acwr_rolling": None if acwr != acwr else round(float(acwr), 2),
            "acwr_ewma": None if ewma != ewma else round(float(ewma), 2),
            "notes": [note_json(n) for n in warnings(log, today, reader=reader)],
        }

    def load_chart(self, path: Path, *, weeks: int = 26) -> Path:
        from stridewell.export.charts import load_chart

        data = self.load(weeks=weeks)
        if not data["weeks"]:
            raise InvalidInput(
                "no activities yet: import some with `stridewell import`", field="load"
            )
        return load_chart([dict(w) for w in data["weeks"]], path)
