"""One import, file by file: what happened to each file (imported, duplicate or skipped,
with the plain reason, and how many runs it added), written as each chunk is stored.

The same steps as `TrainingService.import_paths` (chunks, file digests, the decoder pool,
kept originals), with two more duties for a job: every file's result is handed to
``on_chunk`` after its chunk is stored, and files a previous attempt of the job finished
(``done``) are not read again. A re-run is safe anyway: a file already imported is known by
its digest, a run by its fingerprint.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from stridewell.service.imports import (
    IMPORT_CHUNK,
    SAME_FILE,
    ImportCounter,
    OriginalsKeeper,
    activity_row,
    decoder_pool,
    new_files,
    original_name,
    shoe_for,
    shown_name,
)

if TYPE_CHECKING:
    from stridewell.activities.bulk import ImportReport, Mapper, Progress, Source
    from stridewell.activities.errors import ImportProblem
    from stridewell.service.backend import Backend
    from stridewell.storage.records import ActivityToStore, AddActivitiesResult, ImportedFile

Result = Literal["imported", "duplicate", "skipped"]
RESULTS: tuple[Result, ...] = ("imported", "duplicate", "skipped")

SAME_RUNS = "its runs were imported before, from another file"
NOTHING_IN_IT = "it holds no run or ride to import"


@dataclass(frozen=True)
class FileResult:
    """What an import did with one file (an archive's members each have their own)."""

    ordinal: int  # the file's place among the import's sources
    name: str  # as the runner uploaded it
    result: Result
    reason: str  # plain words; empty for an imported file
    runs: int  # activities it added


ChunkDone = Callable[[list[FileResult]], None]


def import_files(
    backend: Backend,
    runner_id: str,
    paths: Iterable[Path],
    *,
    names: dict[str, str],
    originals: OriginalsKeeper,
    on_chunk: ChunkDone,
    done: frozenset[int] = frozenset(),
    started: datetime | None = None,
    progress: Progress | None = None,
    chunk_files: int = IMPORT_CHUNK,
) -> int:
    """Import ``paths`` for the runner, reporting each file's result through ``on_chunk``;
    returns how many sources there were. ``names`` maps our paths to the uploaded names.
    A file whose digest was first recorded at or after ``started`` (an earlier attempt of
    this job stored it, and died before recording its result) counts as imported."""
    from stridewell.activities.bulk import ImportReport, import_all, iter_sources, source_chunks
    from stridewell.activities.errors import ImportProblem
    from stridewell.activities.limits import DEFAULT_LIMITS

    known = backend.run(lambda store: store.activities.known_fingerprints(runner_id))
    known_files = backend.run(lambda store: store.files.known_file_digests(runner_id))
    shoes = backend.run(lambda store: store.shoes.list_shoes(runner_id))
    zone = backend.zone(runner_id)  # a run's default shoe is that of its local day
    sources = list(iter_sources(paths))
    ordinal = {_source_name(item): index for index, item in enumerate(sources)}
    todo = [item for index, item in enumerate(sources) if index not in done]
    counter = ImportCounter(progress, len(sources))
    counter.done = len(sources) - len(todo)

    met: set[str] = set()  # every file's digest read in this import, broken ones too

    def shown(source: str) -> str:
        return shown_name(source, names)

    with decoder_pool(len(todo)) as mapper:
        for chunk in source_chunks(todo, chunk_files, DEFAULT_LIMITS.max_chunk_bytes):
            results: dict[int, FileResult] = {}
            first = ImportReport()
            fresh, digests, kept = new_files(chunk, known_files, first, counter, earlier=met)
            met.update(digests.values())
            _seen_before(first, results, ordinal, shown)
            activities, part = import_all(fresh, known, counter.step, mapper=mapper)
            rows = [
                activity_row(
                    a,
                    shoe_for(a, shoes, zone),
                    _kept_as(a.source_name, digests),
                    source_name=shown(a.source_name or ""),
                )
                for a in activities
            ]
            broken = {source for source, _ in part.set_aside}
            per_file = Counter(a.source_name for a in activities)
            files: list[ImportedFile] = [
                {"digest": digest, "source_name": shown(name), "activities": per_file[name]}
                for name, digest in digests.items()
                if name not in broken
            ]
            stored = _store_chunk(backend, runner_id, rows, files)
            originals.keep([(name, digests[name]) for name in digests if name not in broken], kept)
            known.update(r["fingerprint"] for r in rows)
            known_files.update(digest for name, digest in digests.items() if name not in broken)
            skipped = Counter(stored.duplicate_fingerprints)
            added: Counter[str] = Counter()
            for activity, row in zip(activities, rows, strict=True):
                if skipped[row["fingerprint"]] > 0:
                    skipped[row["fingerprint"]] -= 1
                else:
                    added[activity.source_name or ""] += 1
            repeated = {a.source_name or "" for a in activities} | {s for s, _ in part.duplicates}
            _decoded(chunk, part, added, repeated, results, ordinal, shown, ImportProblem)
            if started is not None:
                _finished_before(
                    backend, runner_id, started, chunk, results, ordinal, (known, mapper)
                )
            on_chunk(sorted(results.values(), key=lambda r: r.ordinal))
    return len(sources)


def _store_chunk(
    backend: Backend, runner_id: str, rows: list[ActivityToStore], files: list[ImportedFile]
) -> AddActivitiesResult:
    """A chunk's runs and the files they came from, in one transaction."""
    return backend.run(lambda store: store.activities.add_activities(runner_id, rows, files=files))


def _source_name(item: Source | ImportProblem) -> str:
    from stridewell.activities.errors import ImportProblem

    return (item.source or "?") if isinstance(item, ImportProblem) else item.name


def _seen_before(
    first: ImportReport,
    results: dict[int, FileResult],
    ordinal: dict[str, int],
    shown: Callable[[str], str],
) -> None:
    """Results for the chunk's files known by their digest (not decoded again)."""
    for source, reason in first.duplicates:
        index = ordinal[source]
        results[index] = FileResult(index, shown(source), "duplicate", reason, 0)


def _decoded(
    chunk: list[Source | ImportProblem],
    part: ImportReport,
    added: Counter[str],
    repeated: set[str],
    results: dict[int, FileResult],
    ordinal: dict[str, int],
    shown: Callable[[str], str],
    problem: type[ImportProblem],
) -> None:
    """Results for the chunk's decoded files (and those set aside before decoding).
    ``repeated``: the files with runs stored before (by this import or an earlier one)."""
    reasons = dict(part.set_aside)
    other = dict(part.not_read)
    for item in chunk:
        source = _source_name(item)
        index = ordinal[source]
        if index in results:
            continue
        name = shown(source)
        if source in other:
            reason = f"not an activity file ({other[source]})"
            results[index] = FileResult(index, name, "skipped", reason, 0)
        elif source in reasons or isinstance(item, problem):
            reason = reasons.get(source) or str(getattr(item, "reason", "")) or "not readable"
            results[index] = FileResult(index, name, "skipped", reason, 0)
        elif added[source] > 0:
            results[index] = FileResult(index, name, "imported", "", added[source])
        elif source in repeated:
            results[index] = FileResult(index, name, "duplicate", SAME_RUNS, 0)
        else:
            results[index] = FileResult(index, name, "skipped", NOTHING_IN_IT, 0)


def _finished_before(
    backend: Backend,
    runner_id: str,
    started: datetime,
    chunk: list[Source | ImportProblem],
    results: dict[int, FileResult],
    ordinal: dict[str, int],
    decoding: tuple[set[str], Mapper],
) -> None:
    """Files this job stored in an attempt that died before recording their result (their
    digest was first recorded after the job first started) are the job's imports. One that
    brought no runs is read again, to say what it was: its runs were all stored before
    (a duplicate), or it held none."""
    from stridewell.activities.bulk import import_all
    from stridewell.activities.errors import ImportProblem

    items: dict[int, Source] = {}
    digests: dict[str, int] = {}
    for item in chunk:
        if isinstance(item, ImportProblem):
            continue
        index = ordinal[item.name]
        if results[index].reason == SAME_FILE:
            digests[hashlib.sha256(item.read()).hexdigest()] = index
            items[index] = item
    if not digests:
        return
    found = backend.run(
        lambda store: store.import_jobs.files_first_seen_since(runner_id, list(digests), started)
    )
    known, mapper = decoding
    for digest, runs in found.items():
        earlier = results[digests[digest]]
        if runs > 0:
            results[earlier.ordinal] = FileResult(
                earlier.ordinal, earlier.name, "imported", "", runs
            )
            continue
        activities, part = import_all([items[earlier.ordinal]], known, mapper=mapper)
        if activities or part.duplicates:
            results[earlier.ordinal] = FileResult(
                earlier.ordinal, earlier.name, "duplicate", SAME_RUNS, 0
            )
        else:
            results[earlier.ordinal] = FileResult(
                earlier.ordinal, earlier.name, "skipped", NOTHING_IN_IT, 0
            )


def _kept_as(source_name: str | None, digests: dict[str, str]) -> str | None:
    digest = digests.get(source_name or "")
    return None if digest is None else original_name(source_name or "", digest)
