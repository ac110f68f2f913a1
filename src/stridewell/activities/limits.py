"""Every limit the importer holds against huge or hostile files, stated in one place.

The defaults let a real history through (a Strava export of thousands of runs, a 24-hour
ultra recorded every second) and stop what no device writes: a small file that expands
to gigabytes, a thousand FIT files chained in one, an archive of a million members.
A file over a limit is set aside with its reason; the rest of the upload imports.

Each limit can be changed through the environment, ``STRIDEWELL_IMPORT_`` followed by the
field name in capitals (``STRIDEWELL_IMPORT_MAX_FIT_SEGMENTS=64``); SECURITY.md lists them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace

MB = 1 << 20
GB = 1 << 30
ENV_PREFIX = "STRIDEWELL_IMPORT_"


@dataclass(frozen=True)
class Limits:
    """The importer's limits; see the module docstring for how to change them."""

    # One file as stored: a plain file, a gzip file, or a zip member as it comes out of
    # the archive.
    max_file_bytes: int = 100 * MB
    # What one file may expand to, after each layer of decompression.
    max_decompressed_bytes: int = 200 * MB
    # Decompressed bytes for one whole upload (or one CLI import), every layer counted:
    # a zip member's bytes, then the gzip inside it, then a gzip inside that.
    max_total_expanded_bytes: int = 4 * GB
    # How many times its compressed size one layer may expand to, once past the first
    # ``ratio_free_bytes``. Activity files compress 3 to 20 times; a bomb of zeros 1000.
    max_expansion_ratio: int = 100
    ratio_free_bytes: int = 1 * MB
    # Gzip inside gzip: more layers than this is not an activity file.
    max_gzip_layers: int = 3
    # Members of one zip archive (a Strava export of 5,000 runs has about 5,100).
    max_zip_members: int = 50_000
    # FIT files chained in one file (a device writes one to three).
    max_fit_segments: int = 32
    # Bytes handed to the decoder processes and not yet decoded.
    max_in_flight_bytes: int = 64 * MB
    # Bytes of files read and held at once for one stored chunk of an import.
    max_chunk_bytes: int = 64 * MB
    # The longest run of GPX or TCX without markup (an attribute or a text that long):
    # expat's time for one grows faster than its length; no device writes one past a line.
    max_xml_run_bytes: int = 1 * MB
    # Memory one decoder process may take (its data segment); past it a file is set aside.
    decoder_memory_bytes: int = 1536 * MB
    # Time to decode one file; one that runs over is stopped and set aside.
    seconds_per_file: float = 30.0
    check_crc: bool = True

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> Limits:
        """The defaults, with any ``STRIDEWELL_IMPORT_<FIELD>`` the environment sets."""
        env = os.environ if environ is None else environ
        changes: dict[str, object] = {}
        for item in fields(cls):
            raw = env.get(ENV_PREFIX + item.name.upper())
            if raw is None or not raw.strip():
                continue
            changes[item.name] = _parse(item.name, item.type, raw.strip())
        return replace(cls(), **changes)  # type: ignore[arg-type]


def _parse(name: str, kind: object, raw: str) -> object:
    try:
        if kind in (bool, "bool"):
            return raw.lower() in {"1", "true", "yes", "on"}
        value: float = float(raw) if kind in (float, "float") else int(raw)
    except ValueError:
        raise ValueError(f"{ENV_PREFIX}{name.upper()} must be a number, not {raw!r}") from None
    if value <= 0:
        raise ValueError(f"{ENV_PREFIX}{name.upper()} must be above zero")
    return value


class Allowance:
    """Decompressed bytes still allowed; each layer of decompression spends from it.

    One allowance spans an upload (``max_total_expanded_bytes``): zip members spend from it
    as they are read, and each decoded file's gzip layers once its result comes back.
    """

    def __init__(self, left: int) -> None:
        self.left = left
        self.spent = 0

    def spend(self, count: int) -> None:
        self.left -= count
        self.spent += count


def expansion_cap(limits: Limits, compressed: int, allowance: Allowance | None) -> tuple[int, str]:
    """The most one layer of ``compressed`` bytes may expand to, and the reason to give if
    it tries to go further."""
    caps = [
        (limits.max_decompressed_bytes, f"over the limit of {size(limits.max_decompressed_bytes)}"),
        (
            max(limits.ratio_free_bytes, compressed * limits.max_expansion_ratio),
            f"more than {limits.max_expansion_ratio} times its compressed size",
        ),
    ]
    if allowance is not None:
        caps.append(
            (
                max(allowance.left, 0),
                "past what one upload may expand to in all "
                f"({size(limits.max_total_expanded_bytes)})",
            )
        )
    cap, why = min(caps, key=lambda item: item[0])
    return cap, f"expands {why} (a decompression bomb?)"


def size(count: int) -> str:
    if count >= GB:
        return f"{count / GB:.0f} GB"
    return f"{count / MB:.0f} MB" if count >= MB else f"{count} bytes"


DEFAULT_LIMITS = Limits.from_environ()
