"""Training: importing activities, and the shoes they were run in.

Imports stream: sources are read and stored in chunks, so a history of thousands of
runs never sits in memory at once, and each chunk is one transaction (a broken file is
set aside; what was stored stays stored).
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stridewell.storage.records import LOCAL_RUNNER_ID

if TYPE_CHECKING:
    from stridewell.activities.bulk import ImportReport, Mapper, Progress, Source
    from stridewell.activities.errors import ImportProblem
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


class _Counter:
    """Progress over the whole import, across chunks and skipped files."""

    def __init__(self, progress: Progress | None, total: int) -> None:
        self.progress, self.total, self.done = progress, total, 0

    def step(self, _done: int = 0, _total: int | None = None, name: str = "") -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(self.done, self.total, name)


def _new_files(
    chunk: list[Source | ImportProblem],
    known_files: set[str],
    report: ImportReport,
    counter: _Counter,
) -> tuple[list[Source | ImportProblem], dict[str, str], dict[str, bytes]]:
    """The chunk without files imported before (same bytes: SHA-256), read once, with
    their digests and bytes.

    A re-import of a whole history then skips every file without decoding it.
    """
    from stridewell.activities.bulk import Source
    from stridewell.activities.errors import ImportProblem

    fresh: list[Source | ImportProblem] = []
    digests: dict[str, str] = {}
    originals: dict[str, bytes] = {}
    for item in chunk:
        if isinstance(item, ImportProblem):
            fresh.append(item)
            continue
        try:
            data = item.read()
        except ImportProblem as exc:
            fresh.append(ImportProblem(exc.reason, exc.source or item.name))
            continue
        digest = hashlib.sha256(data).hexdigest()
        if digest in known_files or digest in digests.values():
            report.files += 1
            report.duplicates.append((item.name, "the same file was imported before"))
            counter.step(name=item.name)
            continue
        digests[item.name] = digest
        originals[item.name] = data
        fresh.append(Source(item.name, functools.partial(bytes, data), item.meta))
    return fresh, digests, originals


_SUFFIX = re.compile(r"^[A-Za-z0-9.]{1,16}$")


def keep_originals(
    folder: Path, stored: list[tuple[str, str]], originals: dict[str, bytes]
) -> None:
    """Keep each stored file's bytes as ``<sha256><suffix>`` so the runner can take their
    original files with them (`export_data`). Written whole, then renamed into place."""
    if not stored:
        return
    folder.mkdir(parents=True, exist_ok=True)
    for name, digest in stored:
        data = originals.get(name)
        if data is None:
            continue
        suffix = "".join(Path(name.replace("!", "/")).suffixes[-2:]).lower()
        target = folder / (digest + (suffix if _SUFFIX.match(suffix) else ""))
        if target.exists():
            continue
        partial = target.with_name(target.name + ".part")
        partial.write_bytes(data)
        os.replace(partial, target)


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

        def originals_dir(self, runner_id: str) -> Path: ...

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
        known_files: set[str] = self._with_schema(lambda: self.store.known_file_digests(runner_id))
        shoes = self._with_schema(lambda: self.store.list_shoes(runner_id))
        report = ImportReport()
        sources = list(iter_sources(paths))
        counter = _Counter(progress, len(sources))
        with _decoder_pool(len(sources)) as mapper:
            for chunk in _chunks(sources, IMPORT_CHUNK):
                fresh, digests, originals = _new_files(chunk, known_files, report, counter)
                activities, part = import_all(fresh, known, counter.step, mapper=mapper)
                rows = [activity_row(a, self._shoe_for(a, shoes)) for a in activities]
                per_file = Counter(a.source_name for a in activities)
                broken = {source for source, _ in part.set_aside}
                files = [
                    {"digest": digest, "source_name": name, "activities": per_file.get(name, 0)}
                    for name, digest in digests.items()
                    if name not in broken
                ]
                result = self._store_rows(runner_id, rows, files)
                keep_originals(
                    self.originals_dir(runner_id),
                    [(str(f["source_name"]), str(f["digest"])) for f in files],
                    originals,
                )
                known.update(r["fingerprint"] for r in rows)
                known_files.update(digests[str(f["source_name"])] for f in files)
                report.files += part.files
                report.imported += len(result.inserted_ids)
                report.duplicates += part.duplicates
                stored_before = result.duplicate_fingerprints
                report.duplicates += [("(already stored)", f) for f in stored_before]
                report.set_aside += part.set_aside
                report.warnings += part.warnings
        return report

    def _store_rows(
        self, runner_id: str, rows: list[dict[str, Any]], files: list[dict[str, Any]]
    ) -> AddActivitiesResult:
        """Store a chunk's activities, and the files they came from, in one transaction."""
        result: AddActivitiesResult = self._with_schema(
            lambda: self.store.add_activities(runner_id, rows, files=files)
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
        since: datetime | None = None,
        runner_id: str = LOCAL_RUNNER_ID,
    ) -> list[StoredActivity]:
        """The runner's activities, newest first (those starting at or after ``since``)."""
        rows: list[StoredActivity] = self._with_schema(
            lambda: self.store.list_activities(
                runner_id, since=since, until=None, sport=sport, limit=limit, offset=offset
            )
        )
        return rows
