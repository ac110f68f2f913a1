"""Uploaded activity files, written under our own names and imported in one go."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from fastapi import HTTPException, Request
from starlette.datastructures import UploadFile

from stridewell.errors import InvalidInput
from stridewell.web.csrf import require_csrf

MAX_UPLOAD_BYTES = 200 * 1024 * 1024
MAX_FILES = 1000  # Starlette's default, which the CSRF check's form parse uses too
CHUNK = 1024 * 1024


async def imported_uploads(request: Request, service: Any) -> dict[str, Any]:
    """Import the files of a multipart form (field ``files``); the import report as data.

    The request's declared size is checked before anything is read, and every file again
    while it is written, so an oversized upload is refused (413) without filling the disk.
    """
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > MAX_UPLOAD_BYTES:
        raise HTTPException(413, f"upload larger than {MAX_UPLOAD_BYTES // 2**20} MB")
    await require_csrf(request)
    form = await request.form(max_files=MAX_FILES, max_part_size=CHUNK)
    uploads = [u for u in form.getlist("files") if isinstance(u, UploadFile) and u.filename]
    if not uploads:
        raise InvalidInput("choose at least one activity file or export zip", field="files")
    with tempfile.TemporaryDirectory() as folder:
        paths = await write_uploads(uploads, Path(folder))
        names = {str(p): u.filename or p.name for p, u in zip(paths, uploads, strict=True)}
        report = service.import_paths(paths)
    return import_summary(report, names)


async def write_uploads(uploads: Sequence[UploadFile], folder: Path) -> list[Path]:
    """Write uploads into ``folder`` under our own names, refusing (413) past the limit."""
    paths, total = [], 0
    for index, upload in enumerate(uploads):
        # Our own names on disk: an upload's name never becomes a path.
        suffix = "".join(Path(upload.filename or "").suffixes[-2:])[:16]
        path = folder / f"upload-{index}{suffix}"
        with path.open("wb") as out:
            while chunk := await upload.read(CHUNK):
                total += len(chunk)
                if total > MAX_UPLOAD_BYTES:
                    raise HTTPException(413, f"upload larger than {MAX_UPLOAD_BYTES // 2**20} MB")
                out.write(chunk)
        paths.append(path)
    return paths


def import_summary(report: Any, names: dict[str, str]) -> dict[str, Any]:
    """The import report as data, naming files as the runner uploaded them."""
    return {
        "imported": report.imported,
        "files": report.files,
        "duplicates": len(report.duplicates),
        "set_aside": [{"source": _shown(s, names), "reason": r} for s, r in report.set_aside],
        "summary": report.summary(),
    }


def _shown(source: str, names: dict[str, str]) -> str:
    """The name the runner uploaded, for a source inside our temporary folder."""
    for path, name in names.items():
        if source == path or source.startswith(path + "/") or source.startswith(path + "!"):
            return name + source[len(path) :]
    return Path(source).name
