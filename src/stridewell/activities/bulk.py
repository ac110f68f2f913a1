"""Many files at once: folders, zip archives (a Strava bulk export), duplicates, a report.

Nothing here touches a database: ``import_all`` is a pure function from sources and the
fingerprints already stored to new activities and a report; storage is another module's job.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sized
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

from .errors import ImportProblem
from .model import Activity
from .read import DEFAULT_LIMITS, Limits, read_activities
from .sports import normalise

ACTIVITY_SUFFIXES = (".fit", ".gpx", ".tcx")
STRAVA_INDEX = "activities.csv"


@dataclass(frozen=True)
class SourceMeta:
    """What an export says about a file besides its content (Strava's activities.csv)."""

    gear: str | None = None
    activity_type: str | None = None
    activity_id: str | None = None
    activity_name: str | None = None


@dataclass(frozen=True)
class Source:
    """One file to import. ``read()`` loads its bytes only when called, so a list of the
    sources of a 5,000-file export costs no memory; it raises ImportProblem when a limit is
    broken (a zip bomb) or the file cannot be read."""

    name: str
    read: Callable[[], bytes]
    meta: SourceMeta = SourceMeta()

    def open(self) -> io.BytesIO:
        return io.BytesIO(self.read())


@dataclass
class ImportReport:
    imported: int = 0
    files: int = 0
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (source, fingerprint)
    set_aside: list[tuple[str, str]] = field(default_factory=list)  # (source, reason)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # imported, with a caveat

    def summary(self) -> str:
        return (
            f"{self.imported} imported, {len(self.duplicates)} duplicates skipped, "
            f"{len(self.set_aside)} set aside"
        )


Progress = Callable[[int, int | None, str], None]


def is_activity_name(name: str) -> bool:
    lower = name.lower().removesuffix(".gz")
    return lower.endswith(ACTIVITY_SUFFIXES)


def iter_sources(
    paths: Iterable[str | Path], limits: Limits = DEFAULT_LIMITS
) -> Iterator[Source | ImportProblem]:
    """Expand files, folders (recursively) and zip archives into sources, in a stable order.

    Problems found while listing (a missing path, a damaged or unsafe archive, a member
    with a path-traversal name) are yielded in place, so one bad item never stops the rest.
    """
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from _folder(path, limits)
        elif path.is_file():
            yield from _file(path, limits, {})
        else:
            yield ImportProblem("no such file or folder", str(path))


def _folder(root: Path, limits: Limits) -> Iterator[Source | ImportProblem]:
    index = _strava_index_file(root / STRAVA_INDEX)
    try:
        paths = sorted(p for p in root.rglob("*") if p.is_file())
    except OSError as exc:
        yield ImportProblem(f"folder cannot be listed ({exc.strerror or exc})", str(root))
        return
    for path in paths:
        relative = path.relative_to(root).as_posix()
        yield from _file(path, limits, index, relative)


def _file(
    path: Path, limits: Limits, index: dict[str, SourceMeta], key: str | None = None
) -> Iterator[Source | ImportProblem]:
    if path.suffix.lower() == ".zip":
        yield from _zip(path, limits)
    elif is_activity_name(path.name):
        meta = index.get(key or path.name, SourceMeta())
        yield Source(str(path), lambda: _read_file(path, limits), meta)


def _read_file(path: Path, limits: Limits) -> bytes:
    try:
        with path.open("rb") as handle:
            data = handle.read(limits.max_file_bytes + 1)
    except OSError as exc:
        raise ImportProblem(f"cannot be read ({exc.strerror or exc})", str(path)) from None
    if len(data) > limits.max_file_bytes:
        raise ImportProblem(f"file is larger than the limit of {limits.max_file_bytes} bytes")
    return data


def unsafe_member(name: str) -> bool:
    """Whether a zip member name could escape a folder if it were ever extracted."""
    if "\\" in name or "\0" in name or name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return True
    return ".." in PurePosixPath(name).parts


class _Budget:
    """Decompressed bytes left for one archive, shared by its members' readers."""

    def __init__(self, total: int) -> None:
        self.left = total


def _zip(path: Path, limits: Limits) -> Iterator[Source | ImportProblem]:
    name = str(path)
    try:
        archive = zipfile.ZipFile(path)
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        yield ImportProblem(f"not a readable zip archive ({exc})", name)
        return
    if len(members) > limits.max_zip_members:
        yield ImportProblem(
            f"zip archive has {len(members)} members, over the limit of {limits.max_zip_members}",
            name,
        )
        return
    index = _strava_index_zip(archive, members, limits)
    budget = _Budget(limits.max_archive_bytes)
    for info in members:
        member = f"{name}!{info.filename}"
        if info.is_dir():
            continue
        if unsafe_member(info.filename):
            yield ImportProblem("unsafe member name (path traversal): refused", member)
            continue
        if info.filename.lower().endswith(".zip"):
            yield ImportProblem("archives inside archives are not imported", member)
            continue
        if not is_activity_name(info.filename):
            continue
        yield Source(
            member,
            _member_reader(archive, info, limits, budget, member),
            index.get(info.filename, SourceMeta()),
        )


def _member_reader(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits, budget: _Budget, name: str
) -> Callable[[], bytes]:
    def read() -> bytes:
        cap = min(limits.max_file_bytes, limits.max_decompressed_bytes, budget.left)
        if info.file_size > cap:
            raise ImportProblem(
                f"zip member expands to {info.file_size} bytes, over the limit of {cap} "
                "(a zip bomb?)",
                name,
            )
        try:
            with archive.open(info) as handle:
                data = handle.read(cap + 1)  # never trust the declared size alone
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
            raise ImportProblem(f"zip member cannot be read ({exc})", name) from None
        if len(data) > cap:
            raise ImportProblem(f"zip member expands beyond {cap} bytes (a zip bomb?)", name)
        budget.left -= len(data)
        return data

    return read


def _strava_index_zip(
    archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], limits: Limits
) -> dict[str, SourceMeta]:
    for info in members:
        if PurePosixPath(info.filename).name == STRAVA_INDEX and not unsafe_member(info.filename):
            if info.file_size > limits.max_file_bytes:
                return {}
            try:
                with archive.open(info) as handle:
                    raw = handle.read(limits.max_file_bytes + 1)
            except (zipfile.BadZipFile, OSError, ValueError, EOFError):
                return {}
            prefix = str(PurePosixPath(info.filename).parent)
            return parse_strava_index(raw, "" if prefix == "." else prefix + "/")
    return {}


def _strava_index_file(path: Path) -> dict[str, SourceMeta]:
    try:
        return parse_strava_index(path.read_bytes()) if path.is_file() else {}
    except OSError:
        return {}


def parse_strava_index(raw: bytes, prefix: str = "") -> dict[str, SourceMeta]:
    """Map each file named in Strava's activities.csv to its gear, type, id and name."""
    text = raw.decode("utf-8-sig", errors="replace")
    index: dict[str, SourceMeta] = {}
    for row in csv.DictReader(io.StringIO(text)):
        filename = (row.get("Filename") or "").strip()
        if not filename:
            continue
        gear = (row.get("Activity Gear") or row.get("Gear") or "").strip() or None
        index[prefix + filename] = SourceMeta(
            gear=gear,
            activity_type=(row.get("Activity Type") or "").strip() or None,
            activity_id=(row.get("Activity ID") or "").strip() or None,
            activity_name=(row.get("Activity Name") or "").strip() or None,
        )
    return index


def apply_meta(activity: Activity, meta: SourceMeta, single: bool) -> Activity:
    """Export metadata over file content: the runner may have corrected the type on Strava.
    The type is applied only when the file holds one activity (not to triathlon legs)."""
    changes: dict[str, object] = {}
    if meta.gear:
        changes["gear"] = meta.gear
    if meta.activity_id:
        changes["external_id"] = f"strava:{meta.activity_id}"
    if meta.activity_name:
        changes["name"] = meta.activity_name
    if meta.activity_type and single:
        sport, sub, indoor = normalise(meta.activity_type)
        if sport != "other":
            changes["sport"] = sport
            if sub is not None or sport != activity.sport:
                changes["sub_sport"] = sub if sub is not None else activity.sub_sport
            changes["is_indoor"] = indoor or activity.is_indoor
    return replace(activity, **changes) if changes else activity  # type: ignore[arg-type]


# What decoding one source gives: its activities, or (source, reason) when set aside.
Decoded = list[Activity] | tuple[str, str]
Job = tuple[str, bytes, SourceMeta, Limits] | tuple[str, str]
Mapper = Callable[[Callable[[Job], Decoded], Iterable[Job]], Iterable[Decoded]]


def decode_job(job: Job) -> Decoded:
    """Decode one source's bytes (module level, so a process pool can run it)."""
    if len(job) == 2:  # a problem found while reading: pass it through
        return job
    name, data, meta, limits = job
    try:
        found = read_activities(io.BytesIO(data), name, limits)
    except ImportProblem as exc:
        return (exc.source or name, exc.reason)
    return [apply_meta(activity, meta, len(found) == 1) for activity in found]


def _jobs(sources: Iterable[Source | ImportProblem], limits: Limits) -> Iterator[Job]:
    for item in sources:
        if isinstance(item, ImportProblem):
            yield (item.source or "?", item.reason)
            continue
        try:
            yield (item.name, item.read(), item.meta, limits)
        except ImportProblem as exc:
            yield (exc.source or item.name, exc.reason)


def import_all(
    sources: Iterable[Source | ImportProblem],
    known_fingerprints: Iterable[str] = (),
    progress: Progress | None = None,
    limits: Limits = DEFAULT_LIMITS,
    mapper: Mapper = map,
) -> tuple[list[Activity], ImportReport]:
    """Import every source; skip duplicates of known or earlier activities; report the rest.

    ``progress(done, total, name)`` is called after each source (total is None when
    ``sources`` has no length), for a progress bar. ``mapper`` decodes the sources: the
    built-in ``map`` by default, or a process pool's ``map`` to use several cores (results
    come back in order, so duplicates resolve the same way either way).
    """
    seen = set(known_fingerprints)
    sources = list(sources) if not isinstance(sources, Sized) else sources
    total = len(sources) if isinstance(sources, Sized) else None
    names = [item.source or "?" if isinstance(item, ImportProblem) else item.name
             for item in sources]  # fmt: skip
    is_file = [not isinstance(item, ImportProblem) for item in sources]
    report = ImportReport()
    activities: list[Activity] = []
    for done, (name, result) in enumerate(
        zip(names, mapper(decode_job, _jobs(sources, limits)), strict=True), start=1
    ):
        report.files += is_file[done - 1]
        if isinstance(result, tuple):
            report.set_aside.append(result)
        else:
            for activity in result:
                if activity.fingerprint_neighbours() & seen:
                    report.duplicates.append((name, activity.fingerprint()))
                    continue
                seen.add(activity.fingerprint())
                activities.append(activity)
                report.imported += 1
                report.warnings.extend((name, w) for w in activity.warnings)
        if progress is not None:
            progress(done, total, name)
    return activities, report
