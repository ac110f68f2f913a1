"""Importing activity files: chunks, duplicate files, decoder pool, kept originals.

Imports stream: sources are read and stored in chunks, so a history of thousands of
runs never sits in memory at once, and each chunk is one transaction (a broken file is
set aside; what was stored stays stored).
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import tzinfo
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar

if TYPE_CHECKING:
    from stridewell.activities.bulk import ImportReport, Mapper, Progress, Source
    from stridewell.activities.errors import ImportProblem
    from stridewell.activities.model import Activity
    from stridewell.service.backend import Backend
    from stridewell.storage.records import ActivityToStore, StoredShoe
    from stridewell.storage.repository import Store

T = TypeVar("T")

# Files per chunk: enough to make each transaction worth it, few enough to bound memory
# (an hour at one sample a second is about 150 KB of samples).
IMPORT_CHUNK = 200

SAME_FILE = "the same file was imported before"
SAME_FILE_IN_IMPORT = "the same file is earlier in this import"


def chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def activity_row(
    activity: Activity,
    shoe_id: str | None,
    original_path: str | None,
    *,
    source_name: str | None = None,
) -> ActivityToStore:
    """An imported activity as the storage row, samples in the compact codec;
    ``source_name`` (the file's name as the runner uploaded it) replaces the activity's."""
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
        "source_name": source_name or activity.source_name or "",
        "external_id": activity.external_id,
        "fingerprint": activity.fingerprint(),
        "warnings": list(activity.warnings),
        "samples": encode_samples(activity.samples) if len(activity.samples) else None,
        "original_path": original_path,
    }


@contextmanager
def decoder_pool(files: int) -> Iterator[Mapper]:
    """Decoder processes (bounded bytes in flight, time per file), or the built-in map for a
    small import on a main thread: see ``stridewell.activities.pool``."""
    from stridewell.activities.pool import decoder_pool as activity_decoders

    with activity_decoders(files) as mapper:
        yield mapper


class ImportCounter:
    """Progress over the whole import, across chunks and skipped files."""

    def __init__(self, progress: Progress | None, total: int) -> None:
        self.progress, self.total, self.done = progress, total, 0

    def step(self, _done: int = 0, _total: int | None = None, name: str = "") -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(self.done, self.total, name)


def new_files(
    chunk: list[Source | ImportProblem],
    known_files: set[str],
    report: ImportReport,
    counter: ImportCounter,
    *,
    earlier: set[str] | frozenset[str] = frozenset(),
) -> tuple[list[Source | ImportProblem], dict[str, str], dict[str, bytes]]:
    """The chunk without files imported before (same bytes: SHA-256), read once, with
    their digests and bytes; nor files met earlier in this import (``earlier``, or
    earlier in the chunk).

    A re-import of a whole history then skips every file without decoding it.
    """
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
        if digest in known_files or digest in earlier or digest in digests.values():
            report.files += 1
            reason = SAME_FILE if digest in known_files else SAME_FILE_IN_IMPORT
            report.duplicates.append((item.name, reason))
            counter.step(name=item.name)
            continue
        digests[item.name] = digest
        originals[item.name] = data
        fresh.append(replace(item, read=functools.partial(bytes, data)))
    return fresh, digests, originals


_SUFFIX = re.compile(r"^[A-Za-z0-9.]{1,16}$")


def original_name(source_name: str, digest: str) -> str:
    """The name a source file is kept under in the runner's originals folder: its SHA-256
    and its own suffix (``.fit.gz``), so one file is kept once whatever it was called."""
    suffix = "".join(Path(source_name.replace("!", "/")).suffixes[-2:]).lower()
    return digest + (suffix if _SUFFIX.match(suffix) else "")


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
        target = folder / original_name(name, digest)
        if target.exists():
            continue
        partial = target.with_name(target.name + ".part")
        partial.write_bytes(data)
        os.replace(partial, target)


class OriginalsKeeper(Protocol):
    """Where an import keeps its stored files' original bytes."""

    def keep(self, stored: list[tuple[str, str]], originals: dict[str, bytes]) -> None:
        """Keep ``originals[name]`` for each (name, digest) stored."""


class FolderOriginals:
    """Originals in a local folder (SQLite, one machine): ``keep_originals``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def keep(self, stored: list[tuple[str, str]], originals: dict[str, bytes]) -> None:
        keep_originals(self.folder, stored, originals)


class DatabaseOriginals:
    """Originals in the database (PostgreSQL), chunked, so any process on any machine can
    hand them back. A file over the stored-file limit is not kept (its runs are)."""

    def __init__(self, backend: Backend, runner_id: str) -> None:
        self._backend, self._runner_id = backend, runner_id

    def keep(self, stored: list[tuple[str, str]], originals: dict[str, bytes]) -> None:
        from stridewell.storage.originals_repo import KIND_ORIGINAL, MAX_STORED_FILE_BYTES

        files = {
            original_name(name, digest): originals[name]
            for name, digest in stored
            if name in originals and len(originals[name]) <= MAX_STORED_FILE_BYTES
        }
        if files:
            runner_id = self._runner_id
            self._backend.run(
                lambda store: store.stored_files.put_many(
                    runner_id, KIND_ORIGINAL, list(files.items())
                )
            )


def originals_keeper(backend: Backend, runner_id: str) -> OriginalsKeeper:
    """The database when it is PostgreSQL (shared by every process), else the folder beside
    the SQLite file (the default)."""
    if backend.database_url.startswith("postgresql"):
        return DatabaseOriginals(backend, runner_id)
    return FolderOriginals(backend.originals_dir(runner_id))


def kept_originals(backend: Backend, runner_id: str) -> Iterator[tuple[str, bytes]]:
    """The runner's kept original files as (name, bytes), wherever they are kept: for the
    data export (the folder's, and on PostgreSQL the database's)."""
    from stridewell.storage.originals_repo import KIND_ORIGINAL

    folder = backend.originals_dir(runner_id)
    if folder.is_dir():
        for original in sorted(folder.iterdir()):
            if original.is_file() and not original.name.endswith(".part"):
                yield original.name, original.read_bytes()
    if backend.database_url.startswith("postgresql"):
        names = backend.run(lambda store: store.stored_files.names(runner_id, KIND_ORIGINAL))
        for name in names:
            data = backend.run(functools.partial(_read_original, runner_id=runner_id, name=name))
            if data is not None:
                yield name, data


def _read_original(store: Store, *, runner_id: str, name: str) -> bytes | None:
    from stridewell.storage.originals_repo import KIND_ORIGINAL

    return store.stored_files.read(runner_id, KIND_ORIGINAL, name)


def shown_name(source: str, names: dict[str, str]) -> str:
    """The name the runner uploaded, for a source inside our temporary folder (an archive's
    member keeps its path inside the archive: ``export.zip!activities/1.fit``)."""
    for path, name in names.items():
        if source == path or source.startswith(path + "/") or source.startswith(path + "!"):
            return name + source[len(path) :]
    return Path(source).name


def _gear_key(text: str) -> str:
    return " ".join(text.lower().split())


def shoe_for(activity: Activity, shoes: list[StoredShoe], tz: tzinfo) -> str | None:
    """The shoe an imported run was in: its gear name, else the default shoe then (on the
    run's day in the runner's time zone ``tz``, as the shoes' mileage counts it)."""
    if activity.sport != "running":
        return None
    day = activity.start_time.astimezone(tz).date()
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
