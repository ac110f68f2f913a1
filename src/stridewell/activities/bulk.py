"""Many files at once: duplicates, decoding (in order, through any mapper), a report.

Nothing here touches a database: ``import_all`` is a pure function from sources and the
fingerprints already stored to new activities and a report; storage is another module's job.
Listing folders and archives lives in ``sources``; the decoder processes in ``pool``.
"""

from __future__ import annotations

import io
import signal
import threading
from collections.abc import Callable, Iterable, Iterator, Sized
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

from stridewell.text import without_unstorable

from .errors import ImportProblem, NotAnActivityFile
from .limits import DEFAULT_LIMITS, Allowance, Limits
from .model import Activity
from .read import read_activities, storable
from .sources import (
    Source,
    SourceMeta,
    is_activity_name,
    iter_sources,
    parse_strava_index,
    source_chunks,
    unsafe_member,
)
from .sports import normalise

__all__ = [
    "Decoded",
    "ImportReport",
    "Job",
    "Mapper",
    "Progress",
    "Source",
    "SourceMeta",
    "apply_meta",
    "decode_job",
    "import_all",
    "is_activity_name",
    "iter_sources",
    "parse_strava_index",
    "source_chunks",
    "unsafe_member",
]


@dataclass
class ImportReport:
    imported: int = 0
    files: int = 0
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (source, fingerprint)
    set_aside: list[tuple[str, str]] = field(default_factory=list)  # (source, reason)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # imported, with a caveat
    not_read: list[tuple[str, str]] = field(default_factory=list)  # other types of file

    def summary(self) -> str:
        text = (
            f"{self.imported} imported, {len(self.duplicates)}"
            f" {'duplicate' if len(self.duplicates) == 1 else 'duplicates'} skipped, "
            f"{len(self.set_aside)} set aside"
        )
        if self.not_read:
            count = len(self.not_read)
            text += f", {count} other {'file' if count == 1 else 'files'} not read"
        return text


Progress = Callable[[int, int | None, str], None]


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


@dataclass(frozen=True)
class DecodeJob:
    """One source's bytes to decode, with what its decompression may still spend."""

    name: str
    data: bytes
    meta: SourceMeta
    limits: Limits
    allowance: int


# A job is a DecodeJob, or (source, reason) for a problem found before decoding.
Job = DecodeJob | tuple[str, str]
# What decoding one job gives: its activities, or (source, reason) when set aside; and the
# bytes its decompression spent, for the upload's allowance.
Decoded = tuple[list[Activity] | tuple[str, str], int]
Mapper = Callable[[Callable[[Job], Decoded], Iterable[Job]], Iterable[Decoded]]


class Overtime(BaseException):
    """A decode ran past its time (BaseException: no parser's ``except Exception`` eats it)."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Interrupt the block after ``seconds`` (only on a main thread, where signals land:
    decoder processes and the CLI; the web server decodes in decoder processes)."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def stop(_signum: int, _frame: object) -> None:
        raise Overtime

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def overtime_reason(limits: Limits) -> str:
    return f"took longer than {limits.seconds_per_file:g} s to read: stopped and set aside"


def decode_job(job: Job) -> Decoded:
    """Decode one source's bytes (module level, so a process pool can run it)."""
    if isinstance(job, tuple):  # a problem found while reading: pass it through
        return job, 0
    allowance = Allowance(job.allowance)
    try:
        with time_limit(job.limits.seconds_per_file):
            found = read_activities(io.BytesIO(job.data), job.name, job.limits, allowance)
    except ImportProblem as exc:
        return (exc.source or job.name, exc.reason), allowance.spent
    except Overtime:
        return (job.name, overtime_reason(job.limits)), allowance.spent
    single = len(found) == 1
    return [storable(apply_meta(a, job.meta, single)) for a in found], allowance.spent


def _jobs(
    sources: Iterable[Source | ImportProblem], limits: Limits, allowance: Allowance
) -> Iterator[Job]:
    for item in sources:
        if isinstance(item, ImportProblem):
            yield (item.source or "?", item.reason)
            continue
        try:
            data = item.read()
        except ImportProblem as exc:
            yield (exc.source or item.name, exc.reason)
            continue
        # The name is kept with the activities: only text every database can store.
        name = without_unstorable(item.name)
        yield DecodeJob(name, data, item.meta, limits, max(allowance.left, 0))


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
    built-in ``map`` by default, or ``pool.decoder_pool``'s to use decoder processes
    (results come back in order, so duplicates resolve the same way either way).
    Decompression spends the sources' shared allowance (a new one if they carry none).
    """
    seen = set(known_fingerprints)
    items = list(sources) if not isinstance(sources, Sized) else sources
    total = len(items) if isinstance(items, Sized) else None
    allowance = next(
        (s.allowance for s in items if isinstance(s, Source) and s.allowance is not None),
        None,
    ) or Allowance(limits.max_total_expanded_bytes)
    names = [item.source or "?" if isinstance(item, ImportProblem) else item.name
             for item in items]  # fmt: skip
    other = [isinstance(item, NotAnActivityFile) for item in items]
    is_file = [not isinstance(item, ImportProblem) for item in items]
    report = ImportReport()
    activities: list[Activity] = []
    decoded = mapper(decode_job, _jobs(items, limits, allowance))
    for done, (name, (result, spent)) in enumerate(zip(names, decoded, strict=True), start=1):
        allowance.spend(spent)
        report.files += is_file[done - 1]
        if isinstance(result, tuple):
            (report.not_read if other[done - 1] else report.set_aside).append(result)
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
