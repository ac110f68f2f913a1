"""Hostile activity files, built small in a temporary folder: each attack the importer has
to survive, with what a clean report says about it.

Bombs are built from one compressed block reused many times (a raw zip writer takes the
compressed bytes as they are), so building the corpus takes a second and a few MB of disk.
"""

from __future__ import annotations

import gzip
import struct
import sys
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "activities"))
from synthetic import synthetic_run, write_fit, write_gpx

MB = 1 << 20
STORED, DEFLATED = 0, 8


@dataclass(frozen=True)
class Member:
    name: str
    packed: bytes  # as stored in the archive
    size: int  # what it expands to (as the archive declares it)
    crc: int
    method: int = STORED


def stored(name: str, data: bytes) -> Member:
    return Member(name, data, len(data), zlib.crc32(data))


def zeros_deflated(count: int, wbits: int) -> tuple[bytes, int]:
    """``count`` zero bytes compressed (raw deflate, wbits -15, or gzip, 31), and their CRC."""
    squeezer = zlib.compressobj(9, zlib.DEFLATED, wbits)
    block, crc, out = bytes(MB), 0, []
    for _ in range(count // MB):
        out.append(squeezer.compress(block))
        crc = zlib.crc32(block, crc)
    tail = bytes(count % MB)
    out.append(squeezer.compress(tail) + squeezer.flush())
    return b"".join(out), zlib.crc32(tail, crc)


def raw_zip(members: list[Member]) -> bytes:
    """A zip archive of members whose compressed bytes are given (no recompression)."""
    body, directory = bytearray(), bytearray()
    for member in members:
        name = member.name.encode()
        offset = len(body)
        fixed = (20, 0, member.method, 0, 0, member.crc, len(member.packed), member.size)
        body += struct.pack("<IHHHHHIII", 0x04034B50, *fixed) + struct.pack("<HH", len(name), 0)
        body += name + member.packed
        directory += struct.pack("<IHHHHHHIII", 0x02014B50, 20, *fixed)
        directory += struct.pack("<HHHHHII", len(name), 0, 0, 0, 0, 0, offset) + name
    end = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(directory), len(body), 0
    )
    return bytes(body + directory + end)


def _run_fit(seconds: int = 600) -> bytes:
    return write_fit(synthetic_run(7, datetime(2025, 5, 1, 7, 0, tzinfo=UTC), seconds))


def gzip_members_in_a_zip() -> bytes:
    """20 small zip members, each a gzip of 199 MB of zeros (under the per-file limit)."""
    packed, _ = zeros_deflated(199 * MB, 31)
    # A different gzip time stamp in each: 20 different files, none skipped as a copy.
    members = [packed[:4] + struct.pack("<I", i + 1) + packed[8:] for i in range(20)]
    return raw_zip([stored(f"activities/{i}.fit.gz", m) for i, m in enumerate(members)])


def big_members_in_a_zip() -> bytes:
    """About 3 MB: 30 members that each expand to 100 MB."""
    packed, crc = zeros_deflated(100 * MB, -15)
    return raw_zip(
        [Member(f"activities/{i}.gpx", packed, 100 * MB, crc, DEFLATED) for i in range(30)]
    )


def zip_bomb() -> bytes:
    """One member of 400 MB of zeros, and one that claims 1 KB but holds 300 MB."""
    packed, crc = zeros_deflated(400 * MB, -15)
    liar, liar_crc = zeros_deflated(300 * MB, -15)
    return raw_zip(
        [
            Member("bomb.fit", packed, 400 * MB, crc, DEFLATED),
            Member("liar.fit", liar, 1024, liar_crc, DEFLATED),
        ]
    )


def gzip_in_gzip() -> bytes:
    """Gzip of gzip of gzip of 199 MB of zeros: each layer small, the last one huge."""
    data, _ = zeros_deflated(199 * MB, 31)
    return gzip.compress(gzip.compress(data))


def gzip_five_deep() -> bytes:
    data = b"<gpx></gpx>"
    for _ in range(5):
        data = gzip.compress(data)
    return data


def chained_fit() -> bytes:
    """About 200 KB of tiny FIT files chained one after another (each a 2-second run)."""
    one = write_fit(synthetic_run(3, datetime(2025, 5, 1, 7, 0, tzinfo=UTC), 2))
    return one * (200_000 // len(one))


def chained_fit_headers() -> bytes:
    """About 200 KB of bare FIT headers, each declaring no data."""
    header = struct.pack("<BBHI4sH", 14, 0x20, 2132, 0, b".FIT", 0)
    return header * (200_000 // len(header))


def fit_huge_data_size() -> bytes:
    """A FIT header that declares 4 GB of data in front of a 10-minute run's bytes."""
    run = _run_fit()
    return run[:4] + struct.pack("<I", 0xFFFFFFF0) + run[8:]


def fit_absurd_fields() -> bytes:
    """Definitions of 255 fields of 255 bytes each, then data messages for them, 1 MB."""
    fields = b"".join(struct.pack("BBB", n, 255, 0x0D) for n in range(255))
    definition = bytes([0x40, 0, 0]) + struct.pack("<H", 20) + bytes([255]) + fields
    message = bytes([0x00]) + bytes(255 * 255)
    body = definition + message * (MB // len(message))
    header = struct.pack("<BBHI4sH", 14, 0x20, 2132, len(body), b".FIT", 0)
    return header + body + b"\0\0"


def zip_traversal() -> bytes:
    gpx = write_gpx(synthetic_run(5, datetime(2025, 5, 2, 7, 0, tzinfo=UTC), 300))
    names = ["../../evil.gpx", "/etc/abs.gpx", "C:\\win.gpx", "ok/../../up.gpx"]
    return raw_zip([stored(name, gpx) for name in names])


def too_many_members() -> bytes:
    return raw_zip([stored(f"{i}.fit", b"") for i in range(50_001)])


def billion_laughs() -> bytes:
    levels = ['<!ENTITY l0 "lol">'] + [
        f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10)
    ]
    return (
        '<?xml version="1.0"?><!DOCTYPE gpx [' + "".join(levels) + ']><gpx version="1.1">'
        "<trk><name>&l9;</name></trk></gpx>"
    ).encode()


def external_entity() -> bytes:
    return (
        b'<?xml version="1.0"?><!DOCTYPE TrainingCenterDatabase '
        b'[<!ENTITY x SYSTEM "file:///etc/passwd">]><TrainingCenterDatabase>'
        b"<Activities><Activity Sport='Running'><Notes>&x;</Notes></Activity>"
        b"</Activities></TrainingCenterDatabase>"
    )


def deeply_nested_xml() -> bytes:
    depth = 200_000
    return b'<gpx version="1.1">' + b"<trk>" * depth + b"</trk>" * depth + b"</gpx>"


def huge_attribute() -> bytes:
    """A 30 MB attribute value: expat's time on one grows faster than its length (1.3 s
    here before the markup-run limit). Memory for any file grows with its raw size (a copy
    in the server, one in the decoder, and the pickle between): 30 MB keeps that part well
    under the corpus's bound while the attack is the same."""
    return (
        b'<gpx version="1.1"><trk><trkseg><trkpt lat="'
        + b"1" * (30 * MB)
        + b'" lon="1"><time>2025-01-01T00:00:00Z</time></trkpt></trkseg></trk></gpx>'
    )


def truncated_gzip() -> bytes:
    whole = gzip.compress(write_gpx(synthetic_run(6, datetime(2025, 5, 3, 7, 0, tzinfo=UTC))))
    return whole[: len(whole) // 2]


def empty_and_unknown_members() -> bytes:
    """Empty members (not duplicates of each other) and files of another type."""
    run = _run_fit(300)
    members = [stored(f"empty-{i}.fit", b"") for i in range(3)]
    members += [stored("notes.txt", b"not a run"), stored("photo.jpg", b"\xff\xd8\xff")]
    return raw_zip([*members, stored("run.fit", run)])


@dataclass(frozen=True)
class Hostile:
    name: str  # the file name to write it under
    build: Callable[[], bytes]
    expect: str  # a word the reason for setting it aside must hold ("" for not read)


CORPUS = [
    Hostile("gzip-members.zip", gzip_members_in_a_zip, "compressed size"),
    Hostile("big-members.zip", big_members_in_a_zip, "compressed size"),
    Hostile("zip-bomb.zip", zip_bomb, "bomb"),
    Hostile("gzip-in-gzip.fit.gz", gzip_in_gzip, "compressed size"),
    Hostile("gzip-five-deep.gpx.gz", gzip_five_deep, "deep"),
    Hostile("chained.fit", chained_fit, "chains more than"),
    Hostile("chained-headers.fit", chained_fit_headers, ""),
    Hostile("huge-data-size.fit", fit_huge_data_size, ""),
    Hostile("absurd-fields.fit", fit_absurd_fields, "FIT"),
    Hostile("traversal.zip", zip_traversal, "traversal"),
    Hostile("too-many-members.zip", too_many_members, "over the limit"),
    Hostile("laughs.gpx", billion_laughs, "entit"),
    Hostile("external.tcx", external_entity, "entit"),
    Hostile("nested.gpx", deeply_nested_xml, ""),
    Hostile("huge-attribute.gpx", huge_attribute, "without markup"),
    Hostile("truncated.gpx.gz", truncated_gzip, ""),
    Hostile("empty-and-unknown.zip", empty_and_unknown_members, "empty file"),
]


def write_corpus(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for item in CORPUS:
        path = folder / item.name
        path.write_bytes(item.build())
        paths.append(path)
    return paths
