"""ISO 8601 times from GPX and TCX, parsed in bulk to Unix seconds (float64, NaN if absent)."""

from __future__ import annotations

import warnings
from datetime import UTC, datetime

import numpy as np

from .model import F64


def parse_times(values: list[str | None]) -> F64:
    """Parse a list of ISO times; unparseable or missing ones become NaN.

    Nearly every file writes UTC with a "Z" suffix, which NumPy parses in one vectorised
    call once the suffix is dropped; anything else (offsets, odd forms) goes through
    ``datetime.fromisoformat`` one by one.
    """
    out = np.full(len(values), np.nan)
    present = [i for i, v in enumerate(values) if v] if not all(values) else range(len(values))
    if not present:
        return out
    texts = [values[i].strip() for i in present]  # type: ignore[union-attr]
    # String operations at C speed: do all of them end in "Z" (and contain no other)?
    joined = "\n".join(texts)
    if joined.endswith("Z") and joined.count("Z\n") == len(texts) - 1 == joined.count("Z") - 1:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                parsed = np.array(joined.replace("Z", "").split("\n"), dtype="datetime64[us]")
            out[present] = parsed.astype(np.int64) / 1e6
            return out
        except (ValueError, TypeError, Warning):
            pass  # fall through to the careful path
    for i, text in zip(present, texts, strict=True):
        out[i] = _one(text)
    return out


def _one(text: str) -> float:
    try:
        parsed = datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        return float("nan")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)  # GPX and TCX times without a zone are UTC
    try:
        return parsed.timestamp()
    except (OverflowError, OSError, ValueError):
        return float("nan")
