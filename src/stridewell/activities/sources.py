"""Files, folders and zip archives (a Strava bulk export) expanded into sources to import.

Listing reads nothing but names and sizes; each source's bytes are read when its ``read``
is called, within the limits, spending the upload's allowance for decompressed bytes.
"""

from __future__ import annotations

import csv
import io
import struct
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .errors import ImportProblem, NotAnActivityFile
from .limits import DEFAULT_LIMITS, Allowance, Limits, expansion_cap, size

ACTIVITY_SUFFIXES = (".fit", ".gpx", ".tcx")
STRAVA_INDEX = "activities.csv"
NOT_READ = "not an activity file (FIT, GPX or TCX, also gzipped, or a zip of them): not read"


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
    broken (a zip bomb) or the file cannot be read.

    ``size`` is the most ``read()`` can return, as far as listing could tell (0: unknown);
    ``allowance`` is the upload's budget of decompressed bytes, shared by its sources.
    """

    name: str
    read: Callable[[], bytes]
    meta: SourceMeta = SourceMeta()
    size: int = 0
    allowance: Allowance | None = None

    def open(self) -> io.BytesIO:
        return io.BytesIO(self.read())


def is_activity_name(name: str) -> bool:
    lower = name.lower().removesuffix(".gz")
    return lower.endswith(ACTIVITY_SUFFIXES)


def iter_sources(
    paths: Iterable[str | Path], limits: Limits = DEFAULT_LIMITS
) -> Iterator[Source | ImportProblem]:
    """Expand files, folders (recursively) and zip archives into sources, in a stable order.

    Problems found while listing (a missing path, a damaged or unsafe archive, a member
    with a path-traversal name, a file of another type) are yielded in place, so one bad
    item never stops the rest. All sources of one call share one decompression allowance.
    """
    allowance = Allowance(limits.max_total_expanded_bytes)
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from _folder(path, limits, allowance)
        elif path.is_file():
            yield from _file(path, limits, allowance, {})
        else:
            yield ImportProblem("no such file or folder", str(path))


def _folder(root: Path, limits: Limits, allowance: Allowance) -> Iterator[Source | ImportProblem]:
    index = _strava_index_file(root / STRAVA_INDEX, limits)
    try:
        paths = sorted(p for p in root.rglob("*") if p.is_file())
    except OSError as exc:
        yield ImportProblem(f"folder cannot be listed ({exc.strerror or exc})", str(root))
        return
    for path in paths:
        relative = path.relative_to(root).as_posix()
        if relative != STRAVA_INDEX:
            yield from _file(path, limits, allowance, index, relative)


def _file(
    path: Path,
    limits: Limits,
    allowance: Allowance,
    index: dict[str, SourceMeta],
    key: str | None = None,
) -> Iterator[Source | ImportProblem]:
    if path.suffix.lower() == ".zip":
        yield from _zip(path, limits, allowance)
    elif is_activity_name(path.name):
        meta = index.get(key or path.name, SourceMeta())
        declared = path.stat().st_size
        yield Source(str(path), lambda: _read_file(path, limits), meta, declared, allowance)
    else:
        yield NotAnActivityFile(NOT_READ, str(path))


def _read_file(path: Path, limits: Limits) -> bytes:
    try:
        with path.open("rb") as handle:
            data = handle.read(limits.max_file_bytes + 1)
    except OSError as exc:
        raise ImportProblem(f"cannot be read ({exc.strerror or exc})", str(path)) from None
    if len(data) > limits.max_file_bytes:
        raise ImportProblem(f"file is larger than the limit of {size(limits.max_file_bytes)}")
    if not data:
        raise ImportProblem("empty file", str(path))
    return data


def unsafe_member(name: str) -> bool:
    """Whether a zip member name could escape a folder if it were ever extracted."""
    if "\\" in name or "\0" in name or name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return True
    return ".." in PurePosixPath(name).parts


def _zip(path: Path, limits: Limits, allowance: Allowance) -> Iterator[Source | ImportProblem]:
    name = str(path)
    declared = declared_members(path)
    if declared is not None and declared > limits.max_zip_members:
        # Refused from the archive's last record, before its directory is parsed at all.
        yield ImportProblem(
            f"zip archive has {declared} members, over the limit of {limits.max_zip_members}",
            name,
        )
        return
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
    index_name, index = _strava_index_zip(archive, members, limits)
    for info in members:
        member = f"{name}!{info.filename}"
        if info.is_dir() or info.filename == index_name:
            continue
        if unsafe_member(info.filename):
            yield ImportProblem("unsafe member name (path traversal): refused", member)
        elif info.filename.lower().endswith(".zip"):
            yield ImportProblem("archives inside archives are not imported", member)
        elif not is_activity_name(info.filename):
            yield NotAnActivityFile(NOT_READ, member)
        else:
            reader = _member_reader(archive, info, limits, allowance, member)
            meta = index.get(info.filename, SourceMeta())
            yield Source(member, reader, meta, info.file_size, allowance)


_END = b"PK\x05\x06"
_END64_LOCATOR = b"PK\x06\x07"
_END64 = b"PK\x06\x06"


def declared_members(path: Path) -> int | None:
    """The member count a zip archive's end record declares (zip64 too), or None when no
    end record is found (zipfile then judges the archive)."""
    try:
        with path.open("rb") as handle:
            size = handle.seek(0, 2)
            tail_size = min(size, 22 + 0xFFFF)  # the record, and a comment of at most 64 KB
            handle.seek(size - tail_size)
            tail = handle.read(tail_size)
            at = tail.rfind(_END)
            if at < 0 or at + 22 > len(tail):
                return None
            count: int = struct.unpack_from("<H", tail, at + 10)[0]
            if count != 0xFFFF or at < 20 or tail[at - 20 : at - 16] != _END64_LOCATOR:
                return count
            handle.seek(struct.unpack_from("<Q", tail, at - 20 + 8)[0])
            record = handle.read(56)
            if len(record) < 40 or not record.startswith(_END64):
                return None
            big: int = struct.unpack_from("<Q", record, 32)[0]
            return big
    except (OSError, ValueError, struct.error):
        return None


def _member_reader(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits, allowance: Allowance, name: str
) -> Callable[[], bytes]:
    def read() -> bytes:
        cap, why = expansion_cap(limits, info.compress_size, allowance)
        if limits.max_file_bytes < cap:
            cap = limits.max_file_bytes
            why = f"is over the limit of {size(cap)} for one file"
        if info.file_size > cap:
            raise ImportProblem(f"zip member {why}", name)
        if info.file_size == 0:
            raise ImportProblem("empty file", name)
        try:
            with archive.open(info) as handle:
                data = handle.read(cap + 1)  # never trust the declared size alone
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
            raise ImportProblem(f"zip member cannot be read ({exc})", name) from None
        allowance.spend(len(data))
        if len(data) > cap:
            raise ImportProblem(f"zip member {why}", name)
        if not data:
            raise ImportProblem("empty file", name)
        return data

    return read


def _strava_index_zip(
    archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], limits: Limits
) -> tuple[str | None, dict[str, SourceMeta]]:
    for info in members:
        if PurePosixPath(info.filename).name == STRAVA_INDEX and not unsafe_member(info.filename):
            if info.file_size > limits.max_file_bytes:
                return info.filename, {}
            try:
                with archive.open(info) as handle:
                    raw = handle.read(limits.max_file_bytes + 1)
            except (zipfile.BadZipFile, OSError, ValueError, EOFError):
                return info.filename, {}
            prefix = str(PurePosixPath(info.filename).parent)
            return info.filename, parse_strava_index(raw, "" if prefix == "." else prefix + "/")
    return None, {}


def _strava_index_file(path: Path, limits: Limits) -> dict[str, SourceMeta]:
    try:
        if not path.is_file() or path.stat().st_size > limits.max_file_bytes:
            return {}
        return parse_strava_index(path.read_bytes())
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


def source_chunks(
    items: Iterable[Source | ImportProblem], max_files: int, max_bytes: int
) -> Iterator[list[Source | ImportProblem]]:
    """Sources in chunks of at most ``max_files`` and, by their declared sizes, about
    ``max_bytes`` (a chunk is never empty: one big file makes a chunk of its own)."""
    chunk: list[Source | ImportProblem] = []
    held = 0
    for item in items:
        weight = item.size if isinstance(item, Source) else 0
        if chunk and (len(chunk) >= max_files or held + weight > max_bytes):
            yield chunk
            chunk, held = [], 0
        chunk.append(item)
        held += weight
    if chunk:
        yield chunk
