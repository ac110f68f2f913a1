"""Text as it crosses the boundary: one email normalisation, the characters no
database can keep, and a day or a time in the words people read (never the ISO form).

PostgreSQL refuses NUL in text, and no UTF-8 encoder accepts a lone surrogate; SQLite
would keep both. Refusing them (or, for names inside a file, removing them) where text
enters makes both databases behave the same and keeps a driver's error off the page.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

# NUL, and the UTF-16 surrogate halves (only ever valid in pairs, never in a str of
# code points that will be encoded as UTF-8).
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")

# English names, not strftime's %a/%b/%A/%B: those follow the process's locale.
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_FULL_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_FULL_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def day_words(day: date, *, weekday: bool = False, year: bool = True, full: bool = False) -> str:
    """A day as people read it: "3 Dec 2026", "Thu 3 Dec 2026" with ``weekday``, "3 Dec"
    without ``year``, "Thursday 3 December 2026" with ``full`` names. The ISO form
    (2026-12-03) is for machines: files, URLs, JSON.

    A datetime gives its day in the zone it carries: nothing is converted."""
    weekdays, months = (_FULL_WEEKDAYS, _FULL_MONTHS) if full else (_WEEKDAYS, _MONTHS)
    words = f"{day.day} {months[day.month - 1]}"
    if weekday:
        words = f"{weekdays[day.weekday()]} {words}"
    return f"{words} {day.year}" if year else words


def time_words(moment: datetime, *, zone: bool = False) -> str:
    """A moment as people read it: "3 Dec 2026, 14:05" on a 24-hour clock, in the zone
    the moment carries (nothing is converted); with ``zone``, that zone's name follows
    ("3 Dec 2026, 14:05 UTC") when the moment has one."""
    words = f"{day_words(moment)}, {moment.hour:02d}:{moment.minute:02d}"
    name = moment.tzname() if zone else None
    return f"{words} {name}" if name else words


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
