"""One file in, activities out: size limits, gzip, and format sniffing by content."""

from __future__ import annotations

import io
import re
import zlib
from dataclasses import dataclass, replace
from typing import BinaryIO

from .errors import ImportProblem
from .fit import parse_fit_bytes
from .gpx import parse_gpx
from .model import Activity
from .tcx import parse_tcx

MB = 1 << 20
GZIP_MAGIC = b"\x1f\x8b"
_ROOT = re.compile(rb"<(?:[\w.-]+:)?(gpx|TrainingCenterDatabase)[\s>/]")


@dataclass(frozen=True)
class Limits:
    """Size limits against huge or hostile input; all configurable.

    ``max_file_bytes`` caps one file as stored (a gzip or a zip member as stored),
    ``max_decompressed_bytes`` what one file may expand to, ``max_zip_members`` and
    ``max_archive_bytes`` an archive's member count and total expanded size.
    """

    max_file_bytes: int = 100 * MB
    max_decompressed_bytes: int = 200 * MB
    max_zip_members: int = 100_000
    max_archive_bytes: int = 20 * 1024 * MB
    check_crc: bool = True


DEFAULT_LIMITS = Limits()


def read_activities(
    stream: BinaryIO, filename: str = "", limits: Limits = DEFAULT_LIMITS
) -> list[Activity]:
    """Read one FIT, GPX or TCX file (gzipped or not) into Activities.

    The format is told by content, not by name: a gzip magic number means decompress
    (capped at ``limits.max_decompressed_bytes``) and look again; a FIT header means FIT; an
    XML root ``gpx`` or ``TrainingCenterDatabase`` means GPX or TCX. Raises ImportProblem,
    naming ``filename``, for anything that cannot be imported.
    """
    try:
        data = stream.read(limits.max_file_bytes + 1)
        if len(data) > limits.max_file_bytes:
            raise ImportProblem(f"file is larger than the limit of {_size(limits.max_file_bytes)}")
        activities = read_bytes(data, limits)
    except ImportProblem as exc:
        raise exc.with_source(filename) if filename else exc from None
    except Exception as exc:  # the promise: one bad file never stops an import
        raise ImportProblem(f"could not be read ({type(exc).__name__}: {exc})", filename) from exc
    return [replace(a, source_name=filename or None) for a in activities]


def read_bytes(data: bytes, limits: Limits = DEFAULT_LIMITS) -> list[Activity]:
    for _ in range(3):  # a .gz of a .gz happens; deeper nesting is not an activity file
        if not data.startswith(GZIP_MAGIC):
            break
        data = gunzip(data, limits.max_decompressed_bytes)
    if not data:
        raise ImportProblem("file is empty")
    if len(data) >= 12 and data[8:12] == b".FIT":
        return parse_fit_bytes(data, check_crc=limits.check_crc)
    kind = sniff_xml(data)
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


def gunzip(data: bytes, limit: int) -> bytes:
    """Decompress gzip data (all members), refusing to produce more than ``limit`` bytes."""
    out = bytearray()
    pending = data
    try:
        while pending:
            inflater = zlib.decompressobj(wbits=31)
            chunk = inflater.decompress(pending, limit + 1 - len(out))
            out += chunk
            while not inflater.eof and len(out) <= limit:
                if not inflater.unconsumed_tail:
                    break
                out += inflater.decompress(inflater.unconsumed_tail, limit + 1 - len(out))
            if len(out) > limit:
                raise ImportProblem(
                    f"gzip data expands beyond the limit of {_size(limit)} (a decompression bomb?)"
                )
            if not inflater.eof:
                break  # cut short: hand on what came out; the format parser judges the rest
            pending = inflater.unused_data
            if pending and not pending.startswith(GZIP_MAGIC):
                break  # trailing padding after the last member
    except zlib.error as exc:
        raise ImportProblem(f"gzip data is damaged ({exc})") from None
    return bytes(out)


def _size(n: int) -> str:
    return f"{n / MB:.0f} MB" if n >= MB else f"{n} bytes"
