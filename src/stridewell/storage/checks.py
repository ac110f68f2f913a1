"""Input checks shared by the ``Store``'s methods; plain Python, no SQLAlchemy.

The two backends disagree about what they accept: PostgreSQL enforces VARCHAR lengths,
32-bit INTEGERs and JSON without NaN, SQLite stores almost anything. Checking here,
before a transaction starts, makes both accept and refuse the same values and means a
refused write has touched nothing. Wrong types raise TypeError, bad values ValueError.
"""

from __future__ import annotations

import json
import math
from datetime import UTC, date, datetime
from typing import Any, TypeVar

JsonT = TypeVar("JsonT")

# PostgreSQL's INTEGER; SQLite would take any 64-bit value.
INT_MIN = -(2**31)
INT_MAX = 2**31 - 1


def require_aware(value: datetime, name: str) -> datetime:
    """``value`` in UTC; naive datetimes are refused (their meaning cannot be known)."""
    if not isinstance(value, datetime):
        raise TypeError(f"{name} must be a datetime, got {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got naive {value.isoformat()}")
    return value.astimezone(UTC)


def require_date(value: date, name: str) -> date:
    """A calendar date; a datetime is refused rather than silently truncated."""
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"{name} must be a date (not a datetime), got {type(value).__name__}")
    return value


def require_optional_date(value: date | None, name: str) -> date | None:
    return None if value is None else require_date(value, name)


def require_max_length(value: str, limit: int, name: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, got {type(value).__name__}")
    if len(value) > limit:
        raise ValueError(f"{name} is longer than {limit} characters: {value!r}")
    return value


def require_text(value: str, name: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, got {type(value).__name__}")
    return value


def require_optional_max_length(value: str | None, limit: int, name: str) -> str | None:
    return None if value is None else require_max_length(value, limit, name)


def require_filled(value: str, limit: int, name: str) -> str:
    """A string of at most ``limit`` characters with something in it besides spaces."""
    if not require_max_length(value, limit, name).strip():
        raise ValueError(f"{name} must not be empty")
    return value


def require_optional_text(value: str | None, name: str) -> str | None:
    return None if value is None else require_text(value, name)


def require_bool(value: bool, name: str) -> bool:
    # Only real booleans: 0/1 would read back as False/True, "no" as True.
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be a bool, got {type(value).__name__}")
    return value


def require_measure(value: float, name: str) -> float:
    """A finite, non-negative number as a float (ints are welcome, bools are not).

    NaN and infinity are refused: SQLite and PostgreSQL store them differently, and no
    duration, distance or heart rate is either.
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{name} must be a number, got {type(value).__name__}")
    number = float(value)
    if not math.isfinite(number) or number < 0:
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
    return number


def require_optional_measure(value: float | None, name: str) -> float | None:
    return None if value is None else require_measure(value, name)


def require_optional_bytes(value: bytes | None, name: str) -> bytes | None:
    """Bytes as stored (a bytearray or memoryview is copied into bytes), or None."""
    if value is None:
        return None
    if not isinstance(value, bytes | bytearray | memoryview):
        raise TypeError(f"{name} must be bytes, got {type(value).__name__}")
    return bytes(value)


def require_int(value: int, name: str) -> int:
    # bool is an int subclass; True would read back as 1.
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    if not INT_MIN <= value <= INT_MAX:
        raise ValueError(f"{name} is outside the 32-bit integer range: {value}")
    return value


def as_stored_json(value: JsonT, name: str) -> JsonT:
    """``value`` exactly as it will read back from the database (a deep copy).

    Round-tripping through JSON up front refuses what JSON cannot hold (sets, datetimes,
    NaN, which SQLite would store but PostgreSQL rejects) before anything is written,
    and means the record returned by a save equals the one a later get returns (tuples
    become lists, keys become strings) and cannot be changed through the caller's dict.
    """
    try:
        encoded = json.dumps(value, allow_nan=False)
    except (TypeError, ValueError) as error:
        raise type(error)(f"{name} is not storable as JSON: {error}") from error
    decoded: JsonT = json.loads(encoded)
    return decoded


def as_stored_json_object(value: dict[str, Any], name: str) -> dict[str, Any]:
    """A JSON object (dict) as it will read back; other JSON values are refused."""
    if not isinstance(value, dict):
        raise TypeError(f"{name} must be a dict (a JSON object), got {type(value).__name__}")
    return as_stored_json(value, name)
