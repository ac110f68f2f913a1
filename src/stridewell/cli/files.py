"""Files the CLI writes for the runner (a calendar, a workout, a handover PDF): one way to
write them, so a path that cannot be written is one line and the exit code of bad input
(from the one error table), never a traceback."""

from __future__ import annotations

from pathlib import Path

from stridewell.errors import InvalidInput


def write_file(path: Path, content: bytes | str, *, field: str = "file") -> None:
    """Write ``content`` (text as UTF-8) to ``path``; InvalidInput naming the path and
    the reason (no folder, no permission, a folder in the way) when it cannot be."""
    try:
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    except OSError as error:
        raise InvalidInput(f"cannot write {path}: {error.strerror}", field) from None
