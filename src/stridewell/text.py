"""Text as it crosses the boundary: one email normalisation, and the characters no
database can keep.

PostgreSQL refuses NUL in text, and no UTF-8 encoder accepts a lone surrogate; SQLite
would keep both. Refusing them (or, for names inside a file, removing them) where text
enters makes both databases behave the same and keeps a driver's error off the page.
"""

from __future__ import annotations

import re
import unicodedata

# NUL, and the UTF-16 surrogate halves (only ever valid in pairs, never in a str of
# code points that will be encoded as UTF-8).
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


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
