"""Training: importing activities, and the shoes they were run in.

Imports stream: sources are read and stored in chunks, so a history of thousands of
runs never sits in memory at once, and each chunk is one transaction (a broken file is
set aside; what was stored stays stored).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stridewell.storage.records import LOCAL_RUNNER_ID

if TYPE_CHECKING:
    from stridewell.activities.bulk import ImportReport, Mapper, Progress
    from stridewell.activities.model import Activity
    from stridewell.storage.records import AddActivitiesResult, StoredActivity, StoredShoe
    from stridewell.storage.repository import Store

# Files per chunk: enough to make each transaction worth it, few enough to bound memory
# (an hour at one sample a second is about 150 KB of samples).
IMPORT_CHUNK = 200


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def activity_row(activity: Activity, shoe_id: str | None) -> dict[str, Any]:
    """An imported activity as the storage row, samples in the compact codec."""
    from stridewell.activities.codec import encode_samples

    return {
        "source_format": activity.source_format,
        "sport": activity.sport,
        "sub_sport": activity.sub_sport,
        "is_indoor": activity.is_indoor,
        "start_time": activity.start_time,
        "duration_s": activity.duration_s,
        "moving_time_s": activity.moving_time_s,
        "distance_m": activity.distance_m,
        "elevation_gain_m": activity.elevation_gain_m,
        "avg_hr": activity.avg_hr,
        "max_hr": activity.max_hr,
        "avg_cadence": activity.avg_cadence,
        "name": activity.name,
        "device": activity.device,
        "gear": activity.gear,
        "shoe_id": shoe_id,
        "source_name": activity.source_name or "",
        "external_id": activity.external_id,
        "fingerprint": activity.fingerprint(),
        "warnings": list(activity.warnings),
        "samples": encode_samples(activity.samples) if len(activity.samples) else None,
    }


# Decoding is CPU-bound and files are independent: several processes for big imports.
PARALLEL_MIN_FILES = 24
MAX_WORKERS = 4


@contextmanager
def _decoder_pool(files: int) -> Iterator[Mapper]:
    """A process pool's map for a big import, the built-in map for a small one."""
    workers = min(os.cpu_count() or 1, MAX_WORKERS)
    if files < PARALLEL_MIN_FILES or workers < 2:
        yield map
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        yield lambda fn, jobs: pool.map(fn, jobs, chunksize=4)


def _offset_progress(progress: Progress | None, offset: int, total: int) -> Progress | None:
    if progress is None:
        return None
    return lambda n, _total, name: progress(offset + n, total, name)


def _gear_key(text: str) -> str:
    return " ".join(text.lower().split())


class TrainingMixin:
    """Activities and shoes; mixed into `Stridewell`, which provides storage and clock."""

    if TYPE_CHECKING:  # provided by Stridewell
        clock: Callable[[], datetime]

        @property
        def store(self) -> Store: ...

        def today(self) -> date: ...

        def _with_schema(self, action: Callable[[], Any]) -> Any: ...

    # -- import -------------------------------------------------------------------------

    def import_paths(
        self,
        paths: Iterable[str | Path],
        *,
        progress: Progress | None = None,
        runner_id: str = LOCAL_RUNNER_ID,
    ) -> ImportReport:
        """Import files, folders and Strava export zips; duplicates and broken files are
        reported, the rest is stored."""
        from stridewell.activities.bulk import ImportReport, import_all, iter_sources

        known: set[str] = self._with_schema(lambda: self.store.known_fingerprints(runner_id))
        shoes = self._with_schema(lambda: self.store.list_shoes(runner_id))
        report = ImportReport()
        sources = list(iter_sources(paths))
        total, done = len(sources), 0
        with _decoder_pool(total) as mapper:
            for chunk in _chunks(sources, IMPORT_CHUNK):
                activities, part = import_all(
                    chunk, known, _offset_progress(progress, done, total), mapper=mapper
                )
                done += len(chunk)
                rows = [activity_row(a, self._shoe_for(a, shoes)) for a in activities]
                result = self._store_rows(runner_id, rows)
                known.update(r["fingerprint"] for r in rows)
                report.files += part.files
                report.imported += len(result.inserted_ids)
                report.duplicates += part.duplicates
                report.duplicates += [
                    ("(already stored)", f) for f in result.duplicate_fingerprints
                ]
                report.set_aside += part.set_aside
                report.warnings += part.warnings
        return report

    def _store_rows(self, runner_id: str, rows: list[dict[str, Any]]) -> AddActivitiesResult:
        result: AddActivitiesResult = self._with_schema(
            lambda: self.store.add_activities(runner_id, rows)
        )
        return result

    @staticmethod
    def _shoe_for(activity: Activity, shoes: list[StoredShoe]) -> str | None:
        """The shoe an imported run was in: its gear name, else the default shoe then."""
        if activity.sport != "running":
            return None
        day = activity.start_time.date()
        usable = [
            s
            for s in shoes
            if (s.started is None or s.started <= day) and (s.retired is None or day <= s.retired)
        ]
        if activity.gear:
            wanted = _gear_key(activity.gear)
            for shoe in usable:
                names = {shoe.strava_gear, shoe.nickname, f"{shoe.brand} {shoe.model}"}
                if wanted in {_gear_key(n) for n in names if n}:
                    return shoe.id
        default = next((s for s in usable if s.is_default), None)
        return default.id if default else None

    def activities(
        self,
        *,
        limit: int | None = 50,
        offset: int = 0,
        sport: str | None = None,
        runner_id: str = LOCAL_RUNNER_ID,
    ) -> list[StoredActivity]:
        rows: list[StoredActivity] = self._with_schema(
            lambda: self.store.list_activities(
                runner_id, since=None, until=None, sport=sport, limit=limit, offset=offset
            )
        )
        return rows
