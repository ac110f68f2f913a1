"""FIT protocol decoding: headers, definitions, data messages, into NumPy columns.

Two passes per FIT file (one file = header, data records, CRC; a file may chain several):

1. a Python scan walks the record headers only. A definition message is parsed into a
   ``Definition``; a data message costs one list append (its offset) and a jump by the
   definition's size, developer fields included, so they are skipped safely without being
   understood. Messages we have no use for are not even recorded.
2. for each definition, the recorded messages are gathered with NumPy (a strided copy for
   contiguous runs, fancy indexing otherwise) and viewed through a structured dtype built
   from the definition (byte order from its architecture byte), so every field of every
   record is converted in one vectorised step. Invalid values per base type become NaN.

Compressed-timestamp headers carry a 5-bit offset relative to the last full timestamp of any
message, a sequential dependency: when a file has one, the scan is redone in a slower mode
that tracks timestamps message by message.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from .fit_crc import crc16

F64 = npt.NDArray[np.float64]
U8 = npt.NDArray[np.uint8]

TIMESTAMP = 253
INVALID_U32 = 0xFFFFFFFF

# base type number (low 5 bits of the base type byte) -> (NumPy code, size, invalid value).
# Invalid None: floats, whose invalid pattern (all bits set) is a NaN already.
BASE_TYPES: dict[int, tuple[str, int, int | None]] = {
    0: ("u1", 1, 0xFF),  # enum
    1: ("i1", 1, 0x7F),
    2: ("u1", 1, 0xFF),
    3: ("i2", 2, 0x7FFF),
    4: ("u2", 2, 0xFFFF),
    5: ("i4", 4, 0x7FFFFFFF),
    6: ("u4", 4, 0xFFFFFFFF),
    8: ("f4", 4, None),
    9: ("f8", 8, None),
    10: ("u1", 1, 0),  # uint8z
    11: ("u2", 2, 0),
    12: ("u4", 4, 0),
    13: ("u1", 1, 0xFF),  # byte
    14: ("i8", 8, 0x7FFFFFFFFFFFFFFF),
    15: ("u8", 8, 0xFFFFFFFFFFFFFFFF),
    16: ("u8", 8, 0),
}

NUM, STR, RAW = "n", "s", "r"
# The messages and fields Stridewell reads (FIT profile numbers); everything else is skipped.
WANTED: dict[int, dict[int, str]] = {
    0: {0: NUM, 1: NUM, 2: NUM, 4: NUM, 8: STR},  # file_id
    12: {0: NUM, 1: NUM, 3: STR},  # sport
    18: {  # session
        253: NUM, 2: NUM, 5: NUM, 6: NUM, 7: NUM, 8: NUM, 9: NUM, 16: NUM,
        17: NUM, 18: NUM, 22: NUM, 59: NUM, 92: NUM, 110: STR,
    },
    19: {253: NUM, 2: NUM, 25: NUM, 39: NUM},  # lap: only the sport, as a fallback
    20: {  # record
        253: NUM, 0: NUM, 1: NUM, 2: NUM, 3: NUM, 4: NUM, 5: NUM, 8: RAW, 53: NUM, 78: NUM,
    },
    34: {253: NUM, 1: NUM, 5: NUM},  # activity
}  # fmt: skip


class FitError(Exception):
    """A FIT file that cannot be decoded at all (not a partial one)."""


@dataclass(slots=True)
class Definition:
    global_num: int
    big_endian: bool
    fields: list[tuple[int, int, int, int]]  # (number, offset, size, base type number)
    size: int  # data bytes after the record header, developer fields included
    rows: list[int] | None  # offsets of the data of each message, when wanted
    times: list[float] | None = None  # timestamps per message in compressed mode
    ts_offset: int = -1  # offset of a 4-byte timestamp field, -1 if none


@dataclass
class Table:
    """Decoded messages of one global number in file order, one array per field."""

    n: int
    numbers: dict[int, F64] = field(default_factory=dict)
    strings: dict[int, list[str | None]] = field(default_factory=dict)
    raw: dict[int, U8] = field(default_factory=dict)

    def column(self, num: int) -> F64:
        return self.numbers.get(num, np.full(self.n, np.nan))

    def first(self, num: int) -> float | None:
        col = self.numbers.get(num)
        if col is None:
            return None
        valid = col[~np.isnan(col)]
        return float(valid[0]) if valid.shape[0] else None


@dataclass
class Segment:
    """One FIT file of a possibly chained file."""

    start: int
    tables: dict[int, Table]
    warnings: list[str]
    records_read: int


MAX_SEGMENTS = 32  # chained FIT files in one file; the importer passes its own limit


class FitLimit(FitError):
    """A FIT file over one of the importer's limits (never a warning: the file is refused)."""


class _Compressed(Exception):
    """Raised by the fast scan on the first compressed-timestamp header."""


def parse_header(buf: bytes, pos: int) -> tuple[int, int]:
    """Header size and data size of the FIT file starting at ``pos``."""
    if len(buf) - pos < 12:
        raise FitError(f"FIT header is truncated at byte {len(buf)}")
    size = buf[pos]
    if size < 12 or buf[pos + 8 : pos + 12] != b".FIT":
        raise FitError(f"no FIT header at byte {pos}")
    return size, int.from_bytes(buf[pos + 4 : pos + 8], "little")


def decode(buf: bytes, check_crc: bool = True, max_segments: int = MAX_SEGMENTS) -> list[Segment]:
    """Decode every FIT file chained in ``buf``; later broken ones only add warnings.

    More than ``max_segments`` chained files is refused: each costs a scan, and a file of
    nothing but chained headers would otherwise cost seconds and gigabytes.
    """
    segments: list[Segment] = []
    pos = 0
    while pos < len(buf):
        try:
            header_size, data_size = parse_header(buf, pos)
        except FitError as exc:
            if not segments:
                raise
            segments[-1].warnings.append(
                f"ignored {len(buf) - pos} bytes after the FIT data at byte {pos} ({exc})"
            )
            break
        if len(segments) >= max_segments:
            raise FitLimit(f"FIT file chains more than {max_segments} files, over the limit")
        segment, pos = _decode_segment(buf, pos, header_size, data_size, check_crc)
        segments.append(segment)
    return segments


def _decode_segment(
    buf: bytes, start: int, header_size: int, data_size: int, check_crc: bool
) -> tuple[Segment, int]:
    warnings: list[str] = []
    data_start = start + header_size
    end = data_start + data_size
    crc_end = end + 2
    if data_size == 0 and len(buf) - data_start > 2:
        # Some loggers never go back to write the size; the data runs to the final CRC.
        end, crc_end = len(buf) - 2, len(buf)
        warnings.append("FIT header gives no data size; read to the end of the file")
    if end > len(buf):
        warnings.append(f"FIT file is truncated at byte {len(buf)} (expected {crc_end})")
        end = len(buf)
    elif check_crc and crc_end <= len(buf) and crc16(memoryview(buf)[start:crc_end]) != 0:
        warnings.append("FIT file CRC does not match: the file may be damaged; data kept")
    try:
        defs, stop = _scan(buf, data_start, end, compressed=False)
    except _Compressed:
        defs, stop = _scan(buf, data_start, end, compressed=True)
    if stop is not None:
        warnings.append(stop)
    tables = _gather(buf, defs)
    records = tables[20].n if 20 in tables else 0
    return Segment(start, tables, warnings, records), crc_end


MAX_RESYNCS = 64
RESYNC_WINDOW = 4096
RESYNC_CHECK = 8


def _scan(buf: bytes, pos: int, end: int, compressed: bool) -> tuple[list[Definition], str | None]:
    """Walk the record headers; return definitions (with offsets) and why it stopped early."""
    local: list[Definition | None] = [None] * 16
    defs: list[Definition] = []
    # Some devices redefine local types over and over with the same layout; one Definition
    # per distinct layout keeps its messages in one group for the vectorised gather.
    seen: dict[bytes, tuple[Definition, int]] = {}
    last_ts = 0
    last_start, last_def = pos - 1, None
    resyncs = skipped = 0
    problem = ""
    stop: str | None = None
    while pos < end:
        header = buf[pos]
        if header & 0x80:  # compressed timestamp header
            if not compressed:
                raise _Compressed
            d = local[(header >> 5) & 0x03]
            if d is None:
                problem = f"FIT data message of undefined local type at byte {pos}"
            else:
                offset = header & 0x1F
                ts = (last_ts & ~0x1F) + offset
                if offset < (last_ts & 0x1F):
                    ts += 0x20  # the 5-bit counter rolled over
                last_ts = ts
                if pos + 1 + d.size > end:
                    stop = _truncated(buf, pos, end)
                    break
                if d.rows is not None and d.times is not None:
                    d.rows.append(pos + 1)
                    d.times.append(float(ts))
                last_start, last_def = pos, d
                pos += 1 + d.size
                continue
        elif header & 0x40:  # definition message
            key = buf[pos + 1 : pos + 6 + 3 * buf[pos + 5]] if pos + 6 <= end else b""
            cached = seen.get(bytes([header & 0x20]) + key)
            if cached is not None and pos + cached[1] <= end:
                d, length = cached
                local[header & 0x0F] = d
                pos += length
                continue
            parsed = _definition(buf, pos, end, header, compressed)
            if parsed is None:
                stop = _truncated(buf, pos, end)
                break
            if isinstance(parsed, str):
                problem = parsed
            else:
                d, nxt = parsed
                if not header & 0x20:  # developer layouts are rare; not worth a longer key
                    seen[bytes([0]) + key] = (d, nxt - pos)
                local[header & 0x0F] = d
                defs.append(d)
                pos = nxt
                continue
        else:  # normal data message
            d = local[header & 0x0F]
            if d is not None:
                nxt = pos + 1 + d.size
                if nxt > end:
                    stop = _truncated(buf, pos, end)
                    break
                if d.rows is not None:
                    d.rows.append(pos + 1)
                if compressed and d.ts_offset >= 0:
                    p = pos + 1 + d.ts_offset
                    ts = int.from_bytes(buf[p : p + 4], "big" if d.big_endian else "little")
                    if ts != INVALID_U32:
                        last_ts = ts
                    if d.times is not None:
                        d.times.append(float(ts) if ts != INVALID_U32 else np.nan)
                elif d.times is not None:
                    d.times.append(np.nan)
                last_start, last_def = pos, d
                pos = nxt
                continue
            problem = f"FIT data message of undefined local type at byte {pos}"
        # Damaged data (a dropped byte shifts everything after it): find the next position
        # from which several messages in a row decode, and drop the message before the damage,
        # whose bytes are suspect.
        found = None
        if resyncs < MAX_RESYNCS:
            found = _resync(buf, last_start + 1, min(end, pos + RESYNC_WINDOW), end, local)
        if found is None:
            stop = f"{problem}; the rest of the file is skipped"
            break
        if last_def is not None and last_def.rows and last_def.rows[-1] == last_start + 1:
            last_def.rows.pop()
            if last_def.times:
                last_def.times.pop()
        resyncs += 1
        skipped += found - last_start
        pos = found
    if resyncs:
        damaged = f"FIT data damaged in {resyncs} places; skipped {skipped} bytes and went on"
        stop = damaged if stop is None else f"{damaged}; {stop}"
    return defs, stop


def _resync(
    buf: bytes, start: int, stop: int, end: int, local: list[Definition | None]
) -> int | None:
    for candidate in range(start, stop):
        if _plausible(buf, candidate, end, local):
            return candidate
    return None


def _plausible(buf: bytes, pos: int, end: int, local: list[Definition | None]) -> bool:
    """Whether RESYNC_CHECK messages in a row decode from ``pos`` with the known layouts and,
    where they carry timestamps, the times run forward by less than an hour each: random
    bytes pass the header test now and then, but hardly ever the time test as well."""
    slots: list[tuple[int, int, bool] | None] = [
        None if d is None else (d.size, d.ts_offset, d.big_endian) for d in local
    ]
    last_ts = -1
    for _ in range(RESYNC_CHECK):
        if pos >= end:
            return pos == end
        header = buf[pos]
        if header & 0x40 and not header & 0x80:
            if pos + 6 > end or buf[pos + 1] != 0 or buf[pos + 2] > 1:
                return False
            nxt = pos + 6 + 3 * buf[pos + 5]
            size = sum(buf[pos + 7 : nxt : 3])
            if header & 0x20:
                if nxt >= end:
                    return False
                size += sum(buf[nxt + 2 : nxt + 1 + 3 * buf[nxt] : 3])
                nxt += 1 + 3 * buf[nxt]
            slots[header & 0x0F] = (size, -1, False)
            pos = nxt
            continue
        if header & 0x80:
            slot = slots[(header >> 5) & 0x03]
        else:
            slot = None if header & 0x70 else slots[header & 0x0F]
        if slot is None:
            return False
        size, ts_offset, big = slot
        if ts_offset >= 0 and not header & 0x80 and pos + 5 + ts_offset <= end:
            at = pos + 1 + ts_offset
            ts = int.from_bytes(buf[at : at + 4], "big" if big else "little")
            if last_ts >= 0 and not 0 <= ts - last_ts <= 3600:
                return False
            last_ts = ts
        pos += 1 + size
    return pos <= end


def _truncated(buf: bytes, pos: int, end: int) -> str:
    return f"FIT file is truncated at byte {end} (a message at byte {pos} is cut short)"


def _definition(
    buf: bytes, pos: int, end: int, header: int, compressed: bool
) -> tuple[Definition, int] | str | None:
    """A parsed definition and the position after it, a problem, or None if cut short."""
    if pos + 6 > end:
        return None
    arch = buf[pos + 2]
    if arch > 1:
        return f"FIT definition at byte {pos} has an invalid architecture {arch}"
    big = arch == 1
    global_num = int.from_bytes(buf[pos + 3 : pos + 5], "big" if big else "little")
    count = buf[pos + 5]
    p = pos + 6
    nxt = p + 3 * count
    if header & 0x20:  # developer data flag: a count and 3-byte field descriptions follow
        if nxt + 1 > end:
            return None
        nxt += 1 + 3 * buf[nxt]
    if nxt > end:
        return None
    wanted = WANTED.get(global_num)
    fields = []
    offset = 0
    ts_offset = -1
    for i in range(count):
        num, size, base = buf[p + 3 * i], buf[p + 3 * i + 1], buf[p + 3 * i + 2] & 0x1F
        if num == TIMESTAMP and size == 4:
            ts_offset = offset
        if wanted is not None and num in wanted and size > 0:
            fields.append((num, offset, size, base))
        offset += size
    if header & 0x20:
        dev_at = p + 3 * count
        offset += sum(buf[dev_at + 2 + 3 * i] for i in range(buf[dev_at]))
    rows: list[int] | None = [] if wanted is not None else None
    times: list[float] | None = [] if (compressed and rows is not None) else None
    d = Definition(global_num, big, fields, offset, rows, times, ts_offset)
    return d, nxt


def _rows(buf: bytes, d: Definition) -> U8:
    """The data bytes of every recorded message of ``d``, as an (n, size) uint8 array."""
    assert d.rows is not None
    offs = np.array(d.rows, dtype=np.int64)
    whole = np.frombuffer(buf, dtype=np.uint8)
    step = d.size + 1
    breaks = np.flatnonzero(np.diff(offs) != step) + 1
    if breaks.shape[0] > offs.shape[0] // 8:  # mostly interleaved: gather byte by byte
        gathered: U8 = whole[offs[:, None] + np.arange(d.size)]
        return gathered
    parts = []
    for run in np.split(offs, breaks):
        view = np.lib.stride_tricks.as_strided(
            whole[int(run[0]) :], shape=(run.shape[0], d.size), strides=(step, 1), writeable=False
        )
        parts.append(view)
    return np.ascontiguousarray(np.concatenate(parts) if len(parts) > 1 else parts[0])


def _gather(buf: bytes, defs: list[Definition]) -> dict[int, Table]:
    pieces: dict[int, list[tuple[npt.NDArray[np.int64], Table]]] = {}
    for d in defs:
        if not d.rows or d.size == 0:
            continue
        rows = _rows(buf, d)
        table = _convert(rows, d)
        if d.times is not None:
            times: F64 = np.array(d.times, dtype=np.float64)
            if TIMESTAMP in table.numbers:
                times = np.where(np.isnan(times), table.numbers[TIMESTAMP], times)
            table.numbers[TIMESTAMP] = times
        pieces.setdefault(d.global_num, []).append((np.array(d.rows, dtype=np.int64), table))
    return {num: _merge(parts) for num, parts in pieces.items()}


def _convert(rows: U8, d: Definition) -> Table:
    n = rows.shape[0]
    table = Table(n)
    order = ">" if d.big_endian else "<"
    kinds = WANTED[d.global_num]
    for num, offset, size, base in d.fields:
        block = rows[:, offset : offset + size]
        kind = kinds[num]
        if kind == STR:
            table.strings[num] = [_text(bytes(r)) for r in block]
        elif kind == RAW:
            table.raw[num] = np.ascontiguousarray(block)
        elif base in BASE_TYPES:
            code, width, invalid = BASE_TYPES[base]
            if size % width:
                continue  # a size that is no multiple of the type: the field is unusable
            first = np.ascontiguousarray(block[:, :width]).view(order + code).reshape(n)
            values = first.astype(np.float64)
            if invalid is not None:
                values[first == invalid] = np.nan
            else:
                values[~np.isfinite(values)] = np.nan
            table.numbers[num] = values
    return table


def _text(raw: bytes) -> str | None:
    text = raw.split(b"\0", 1)[0].decode("utf-8", errors="replace").strip()
    return text or None


def _merge(parts: list[tuple[npt.NDArray[np.int64], Table]]) -> Table:
    """Join the tables of several definitions of one message, back into file order."""
    if len(parts) == 1:
        return parts[0][1]
    offsets = np.concatenate([p[0] for p in parts])
    order = np.argsort(offsets, kind="stable")
    n = int(offsets.shape[0])
    merged = Table(n)
    for num in {k for _, t in parts for k in t.numbers}:
        merged.numbers[num] = np.concatenate([t.column(num) for _, t in parts])[order]
    for num in {k for _, t in parts for k in t.strings}:
        values: list[str | None] = []
        for _, t in parts:
            values.extend(t.strings.get(num, [None] * t.n))
        merged.strings[num] = [values[i] for i in order.tolist()]
    for num in {k for _, t in parts for k in t.raw}:
        width = max(t.raw[num].shape[1] for _, t in parts if num in t.raw)
        blocks = []
        for _, t in parts:
            block = np.full((t.n, width), 0xFF, dtype=np.uint8)
            if num in t.raw:
                block[:, : t.raw[num].shape[1]] = t.raw[num]
            blocks.append(block)
        merged.raw[num] = np.concatenate(blocks)[order]
    return merged
