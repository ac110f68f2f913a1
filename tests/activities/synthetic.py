"""Synthetic runs written as FIT and GPX: test fixtures and the benchmark history.

A small FIT writer (normal or compressed-timestamp record headers, little- or big-endian,
optional developer fields) that follows the FIT protocol closely enough for Stridewell's own
decoder and for fitdecode and the Garmin SDK to read the files it writes.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

from stridewell.activities.fit_crc import crc16

FIT_EPOCH = 631065600
DEG_TO_SEMI = 2**31 / 180.0


@dataclass
class Run:
    start: datetime
    t: np.ndarray  # seconds from start, int
    lat: np.ndarray
    lon: np.ndarray
    distance: np.ndarray  # cumulative metres
    hr: np.ndarray
    cadence: np.ndarray  # steps per minute
    altitude: np.ndarray

    @property
    def distance_m(self) -> float:
        return float(self.distance[-1])


def synthetic_run(seed: int, start: datetime, seconds: int = 3600) -> Run:
    """A 1 Hz run around a loop at about 3 m/s with gentle hills."""
    rng = np.random.default_rng(seed)
    t = np.arange(seconds, dtype=np.int64)
    speed = 2.8 + 0.4 * rng.random() + 0.2 * np.sin(t / 300.0)
    distance = np.concatenate(([0.0], np.cumsum(speed[1:])))
    radius_deg = 0.005  # a circle of about 556 m radius, so positions match the distance
    angle = distance / (radius_deg * 111_195.0)
    lat = 46.05 + radius_deg * np.sin(angle)
    lon = 14.50 + radius_deg / np.cos(np.radians(46.05)) * np.cos(angle)
    altitude = 300.0 + 20.0 * np.sin(distance / 800.0)
    hr = 140 + 15 * np.sin(t / 600.0) + rng.normal(0, 2, seconds)
    cadence = 170 + rng.normal(0, 3, seconds)
    return Run(start, t, lat, lon, distance, hr, cadence, altitude)


def _definition(local: int, global_num: int, fields: list[tuple[int, int, int]], big: bool,
                dev: list[tuple[int, int, int]] | None = None) -> bytes:  # fmt: skip
    header = 0x40 | local | (0x20 if dev else 0)
    out = struct.pack(">BBBHB" if big else "<BBBHB", header, 0, int(big), global_num, len(fields))
    out += b"".join(bytes(f) for f in fields)
    if dev:
        out += bytes([len(dev)]) + b"".join(bytes(f) for f in dev)
    return out


def write_fit(
    run: Run,
    sport: int = 1,
    sub_sport: int = 0,
    big_endian: bool = False,
    developer: bool = False,
    compressed: bool = False,
) -> bytes:
    """One FIT activity file: file_id, an event, the records, a lap-less session, CRC."""
    e = ">" if big_endian else "<"
    start = int(run.start.timestamp()) - FIT_EPOCH
    body = bytearray()
    body += _definition(0, 0, [(0, 1, 0x00), (1, 2, 0x84), (2, 2, 0x84), (4, 4, 0x86)], big_endian)
    body += struct.pack(e + "BBHHI", 0, 4, 1, 1, start)
    body += _definition(2, 21, [(253, 4, 0x86), (0, 1, 0x00), (1, 1, 0x00)], big_endian)
    body += struct.pack(e + "BIBB", 2, start, 0, 0)  # timer start: a full timestamp first
    n = run.t.shape[0]
    fields = [(0, 4, 0x85), (1, 4, 0x85), (5, 4, 0x86), (2, 2, 0x84), (3, 1, 0x02), (4, 1, 0x02)]
    if not compressed:
        fields = [(253, 4, 0x86), *fields]
    dev = [(0, 2, 0)] if developer else None
    body += _definition(1, 20, fields, big_endian, dev)
    columns: list[tuple[str, str]] = [("h", "u1")]
    if not compressed:
        columns.append(("ts", e + "u4"))
    columns += [("lat", e + "i4"), ("lon", e + "i4"), ("dist", e + "u4"), ("alt", e + "u2"),
                ("hr", "u1"), ("cad", "u1")]  # fmt: skip
    if developer:
        columns.append(("dev", e + "u2"))
    rec = np.zeros(n, dtype=np.dtype(columns))
    ts = start + run.t
    rec["h"] = (0x80 | (1 << 5) | (ts & 0x1F)) if compressed else 1
    if not compressed:
        rec["ts"] = ts
    rec["lat"] = np.round(run.lat * DEG_TO_SEMI)
    rec["lon"] = np.round(run.lon * DEG_TO_SEMI)
    rec["dist"] = np.round(run.distance * 100)
    rec["alt"] = np.round((run.altitude + 500) * 5)
    rec["hr"] = np.clip(np.round(run.hr), 0, 254)
    rec["cad"] = np.clip(np.round(run.cadence / 2), 0, 254)  # FIT: strides per minute
    if developer:
        rec["dev"] = 7
    body += rec.tobytes()
    elapsed = int(run.t[-1])
    session = [(253, 4, 0x86), (2, 4, 0x86), (7, 4, 0x86), (8, 4, 0x86), (9, 4, 0x86),
               (5, 1, 0x00), (6, 1, 0x00), (16, 1, 0x02)]  # fmt: skip
    body += _definition(3, 18, session, big_endian)
    body += struct.pack(
        e + "BIIIIIBBB", 3, start + elapsed, start, elapsed * 1000, elapsed * 1000,
        round(run.distance_m * 100), sport, sub_sport, int(np.mean(run.hr)),
    )  # fmt: skip
    header = struct.pack("<BBHI4s", 14, 0x20, 2140, len(body), b".FIT")
    header += struct.pack("<H", crc16(header))
    data = header + bytes(body)
    return data + struct.pack("<H", crc16(data))


def write_gpx(run: Run, sport: str = "running") -> bytes:
    """GPX 1.1 with Garmin TrackPointExtension heart rate and cadence (strides, as Garmin)."""
    start = run.start.timestamp()
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<gpx version="1.1" creator="stridewell-synthetic" '
        'xmlns="http://www.topografix.com/GPX/1/1" '
        'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">',
        f"<trk><name>Synthetic run</name><type>{sport}</type><trkseg>",
    ]
    stamp = [
        datetime.fromtimestamp(start + s, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        for s in run.t.tolist()
    ]
    for i in range(run.t.shape[0]):
        lines.append(
            f'<trkpt lat="{run.lat[i]:.7f}" lon="{run.lon[i]:.7f}"><ele>{run.altitude[i]:.1f}</ele>'
            f"<time>{stamp[i]}</time><extensions><gpxtpx:TrackPointExtension>"
            f"<gpxtpx:hr>{int(run.hr[i])}</gpxtpx:hr><gpxtpx:cad>{int(run.cadence[i] / 2)}"
            "</gpxtpx:cad></gpxtpx:TrackPointExtension></extensions></trkpt>"
        )
    lines.append("</trkseg></trk></gpx>")
    return "\n".join(lines).encode("utf-8")
