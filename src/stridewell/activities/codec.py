"""A compact, versioned binary form of `Samples` for storage.

Layout: magic b"SWS1", then zlib-compressed records of (channel id, dtype code, length,
raw little-endian bytes). Unknown channel ids are skipped when reading, so a newer writer
stays readable by an older reader.
"""

from __future__ import annotations

import struct
import zlib
from typing import Any

import numpy as np

from stridewell.activities.model import Samples

MAGIC = b"SWS1"
_CHANNELS = ("time_s", "distance_m", "heart_rate", "cadence", "altitude_m", "lat", "lon")
_DTYPES: dict[int, np.dtype[Any]] = {1: np.dtype("<f4"), 2: np.dtype("<f8")}
_CODES = {v: k for k, v in _DTYPES.items()}
_HEADER = struct.Struct("<BBI")


class SamplesDecodeError(ValueError):
    """The stored samples are not in a form this version can read."""


def encode_samples(samples: Samples) -> bytes:
    parts: list[bytes] = []
    for index, name in enumerate(_CHANNELS, start=1):
        array = getattr(samples, name)
        if array is None:
            continue
        dtype = np.dtype("<f8") if array.dtype == np.float64 else np.dtype("<f4")
        data = np.ascontiguousarray(array, dtype=dtype).tobytes()
        parts.append(_HEADER.pack(index, _CODES[dtype], len(array)) + data)
    # Level 1: several times faster than the default for a few percent more bytes.
    return MAGIC + zlib.compress(b"".join(parts), 1)


def decode_samples(blob: bytes) -> Samples:
    if not blob.startswith(MAGIC):
        raise SamplesDecodeError("not a Stridewell samples blob")
    try:
        raw = zlib.decompress(blob[len(MAGIC) :])
    except zlib.error as exc:
        raise SamplesDecodeError(f"damaged samples blob: {exc}") from exc
    channels: dict[str, Any] = {}
    offset = 0
    while offset < len(raw):
        if offset + _HEADER.size > len(raw):
            raise SamplesDecodeError("truncated samples blob")
        index, code, length = _HEADER.unpack_from(raw, offset)
        offset += _HEADER.size
        dtype = _DTYPES.get(code)
        if dtype is None:
            raise SamplesDecodeError(f"unknown dtype code {code}")
        size = dtype.itemsize * length
        if offset + size > len(raw):
            raise SamplesDecodeError("truncated samples blob")
        if 1 <= index <= len(_CHANNELS):
            channels[_CHANNELS[index - 1]] = np.frombuffer(
                raw, dtype=dtype, count=length, offset=offset
            ).copy()
        offset += size
    if "time_s" not in channels:
        raise SamplesDecodeError("samples blob has no time channel")
    return Samples(**channels)
