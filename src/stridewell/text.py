"""Text as it crosses the boundary: one email normalisation, the characters no
database can keep, and a day in the words people read (never the ISO form).

PostgreSQL refuses NUL in text, and no UTF-8 encoder accepts a lone surrogate; SQLite
would keep both. Refusing them (or, for names inside a file, removing them) where text
enters makes both databases behave the same and keeps a driver's error off the page.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

# NUL, and the UTF-16 surrogate halves (only ever valid in pairs, never in a str of
# code points that will be encoded as UTF-8).
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")

# English abbreviations, not strftime's %a/%b: those follow the process's locale.
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def day_words(day: date, *, weekday: bool = False, year: bool = True) -> str:
    """A day as people read it: "3 Dec 2026", "Thu 3 Dec 2026" with ``weekday``, "3 Dec"
    without ``year``. The ISO form (2026-12-03) is for machines: files, URLs, JSON."""
    words = f"{day.day} {_MONTHS[day.month - 1]}"
    if weekday:
        words = f"{_WEEKDAYS[day.weekday()]} {words}"
    return f"{words} {day.year}" if year else words


def normal_email(email: str) -> str:
    """The one form an email is compared and stored in: compatibility-normalised (NFKC,
    so full-width and other look-alike forms fold together), stripped, case-folded."""
    return unicodedata.normalize("NFKC", email).strip().casefold()


def has_unstorable(text: str) -> bool:
    return UNSTORABLE.search(text) is not None


def without_unstorable(text: str) -> str:
    """``text`` with NUL and lone surrogates removed (for names read from files)."""
    return UNSTORABLE.sub("", text)


def refuse_unstorable(text: str) -> str:
    """A pydantic after-validator: the text unchanged, or ValueError naming the problem."""
    if has_unstorable(text):
        raise ValueError("text must not contain NUL or unpaired surrogate characters")
    return text
