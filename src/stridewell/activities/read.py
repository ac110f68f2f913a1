"""One file in, activities out: size limits, gzip, and format sniffing by content."""

from __future__ import annotations

import io
import re
import zlib
from dataclasses import replace
from typing import BinaryIO

from stridewell.text import without_unstorable

from .errors import OUT_OF_MEMORY, ImportProblem
from .fit import parse_fit_bytes
from .gpx import parse_gpx
from .limits import DEFAULT_LIMITS, Allowance, Limits, expansion_cap, size
from .model import Activity
from .tcx import parse_tcx
from .xmlsafe import check_markup_density

__all__ = ["DEFAULT_LIMITS", "Limits", "read_activities", "read_bytes", "sniff_xml"]

GZIP_MAGIC = b"\x1f\x8b"
_ROOT = re.compile(rb"<(?:[\w.-]+:)?(gpx|TrainingCenterDatabase)[\s>/]")
_INFLATE_STEP = 1 << 20  # bytes out per call, so a limit is seen within 1 MB


def read_activities(
    stream: BinaryIO,
    filename: str = "",
    limits: Limits = DEFAULT_LIMITS,
    allowance: Allowance | None = None,
) -> list[Activity]:
    """Read one FIT, GPX or TCX file (gzipped or not) into Activities.

    The format is told by content, not by name: a gzip magic number means decompress
    (within ``limits``, spending from ``allowance`` when given) and look again; a FIT
    header means FIT; an XML root ``gpx`` or ``TrainingCenterDatabase`` means GPX or TCX.
    Raises ImportProblem, naming ``filename``, for anything that cannot be imported.
    """
    try:
        data = stream.read(limits.max_file_bytes + 1)
        if len(data) > limits.max_file_bytes:
            raise ImportProblem(f"file is larger than the limit of {size(limits.max_file_bytes)}")
        activities = read_bytes(data, limits, allowance)
    except ImportProblem as exc:
        raise exc.with_source(filename) if filename else exc from None
    except MemoryError:  # over the decoder's memory ceiling (pool.py)
        raise ImportProblem(OUT_OF_MEMORY) from None
    except Exception as exc:  # the promise: one bad file never stops an import
        raise ImportProblem(f"could not be read ({type(exc).__name__}: {exc})", filename) from exc
    return [storable(replace(a, source_name=filename or None)) for a in activities]


def _clean(text: str | None) -> str | None:
    return None if text is None else without_unstorable(text)


def storable(activity: Activity) -> Activity:
    """The activity with NUL and lone surrogates taken out of its text: PostgreSQL
    refuses them and SQLite would keep them. A name inside a file is the file's, not
    typed by the runner, so it is cleaned rather than refused."""
    return replace(
        activity,
        name=_clean(activity.name),
        device=_clean(activity.device),
        gear=_clean(activity.gear),
        source_name=_clean(activity.source_name),
        external_id=_clean(activity.external_id),
        warnings=tuple(without_unstorable(w) for w in activity.warnings),
    )


def read_bytes(
    data: bytes, limits: Limits = DEFAULT_LIMITS, allowance: Allowance | None = None
) -> list[Activity]:
    for _ in range(limits.max_gzip_layers):
        if not data.startswith(GZIP_MAGIC):
            break
        data = gunzip_within(data, limits, allowance)
    else:
        if data.startswith(GZIP_MAGIC):
            raise ImportProblem(
                f"gzip inside gzip more than {limits.max_gzip_layers} deep: not an activity file"
            )
    if not data:
        raise ImportProblem("file is empty")
    if len(data) >= 12 and data[8:12] == b".FIT":
        return parse_fit_bytes(
            data, check_crc=limits.check_crc, max_segments=limits.max_fit_segments
        )
    kind = sniff_xml(data)
    if kind is not None:
        check_markup_density(data, limits.max_xml_run_bytes, kind.upper())
    if kind == "gpx":
        return parse_gpx(io.BytesIO(data))
    if kind == "tcx":
        return parse_tcx(io.BytesIO(data))
    if data.startswith(b"PK\x03\x04"):
        raise ImportProblem("a zip archive inside a file is not an activity (import the zip)")
    raise ImportProblem("not a FIT, GPX or TCX file (format not recognised from its content)")


def sniff_xml(data: bytes) -> str | None:
    """'gpx', 'tcx' or None, from the root element name near the start of the document."""
    head = data[:8192]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    match = _ROOT.search(head)
    if match is None:
        return None
    return "gpx" if match.group(1) == b"gpx" else "tcx"


def gunzip_within(data: bytes, limits: Limits, allowance: Allowance | None = None) -> bytes:
    """One layer of gzip (all its members) within the limits; spends from ``allowance``.

    The expansion ratio is checked as the data comes out, against the compressed bytes
    read so far: a bomb of zeros is stopped after about ``ratio_free_bytes``, not after
    a hundred times its size."""
    cap, why = expansion_cap(limits, len(data), allowance)
    ratio = (limits.max_expansion_ratio, limits.ratio_free_bytes)
    out, stopped = gunzip(data, cap, ratio)
    if allowance is not None:
        allowance.spend(len(out))
    if stopped == "ratio":
        raise ImportProblem(
            f"gzip data expands more than {limits.max_expansion_ratio} times its compressed "
            "size (a decompression bomb?)"
        )
    if stopped == "limit":
        raise ImportProblem(f"gzip data {why}")
    return out


def gunzip(
    data: bytes, limit: int, ratio: tuple[int, int] | None = None
) -> tuple[bytes, str | None]:
    """Decompress gzip data (all members): what came out, and None, or "limit" as soon as
    it would exceed ``limit`` bytes, or "ratio" as soon as it exceeds ``ratio`` = (times,
    free bytes) of the compressed bytes consumed so far.

    Decompression goes in steps of 1 MB, so a bomb costs a step past the first limit it
    crosses, in work and in memory, never what it claims to hold.
    """
    out = bytearray()
    pending, before = data, 0  # compressed bytes of the members already finished
    times, free = ratio if ratio is not None else (0, 0)
    try:
        while pending:
            inflater = zlib.decompressobj(wbits=31)
            chunk = pending
            while True:
                step = min(_INFLATE_STEP, limit + 1 - len(out))
                got = inflater.decompress(chunk, step)
                out += got
                if len(out) > limit:
                    return bytes(out[:limit]), "limit"
                chunk = inflater.unconsumed_tail
                if times:
                    read = before + len(pending) - len(chunk) - len(inflater.unused_data)
                    if len(out) > free + times * read:
                        return bytes(out), "ratio"
                if inflater.eof or (not chunk and len(got) < step):
                    break  # a full step may leave output inside zlib: ask again
            if not inflater.eof:
                break  # cut short: hand on what came out; the format parser judges the rest
            before += len(pending) - len(inflater.unused_data)
            pending = inflater.unused_data
            if pending and not pending.startswith(GZIP_MAGIC):
                break  # trailing padding after the last member
    except zlib.error as exc:
        raise ImportProblem(f"gzip data is damaged ({exc})") from None
    return bytes(out), None
