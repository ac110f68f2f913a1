"""Uploaded activity files: limited on the wire and on disk, written under our own names in
a folder of our own, imported off the event loop, and removed on every way out.

A request body past the limit is refused (413) before it is read when it declares its
length, and as soon as the limit is crossed when it comes in chunks: nothing past the
limit reaches the multipart parser's temporary files or ours. A folder that a killed
server left behind is swept when the next server starts.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anyio
from fastapi import HTTPException, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from stridewell.errors import InvalidInput
from stridewell.service.imports import shown_name
from stridewell.web.csrf import CSRF_HEADER, require_csrf
from stridewell.web.upload_form import (
    UPLOAD_THREADS,
    ReceivedUpload,
    given_name,
    is_multipart_form,
    received_upload,
    require_form_token,
)

if TYPE_CHECKING:
    from stridewell.activities.bulk import ImportReport
    from stridewell.jobs.imports import ImportJobs, ImportJobView
    from stridewell.service.training import TrainingService

MAX_UPLOAD_BYTES = 200 * 1024 * 1024
MULTIPART_SLACK = 1024 * 1024  # part headers and boundaries around the files' bytes
MAX_FILES = 1000  # Starlette's default, which the CSRF check's form parse uses too
CHUNK = 1024 * 1024
UPLOAD_PREFIX = "stridewell-upload-"
# A folder whose server is gone is swept after this long; one older than a day always.
STALE_AFTER_S = 10 * 60
ABANDONED_AFTER_S = 24 * 60 * 60

ImportPaths = Callable[[list[Path]], "ImportReport"]
# The multipart body of the upload endpoints, for the OpenAPI document: they read it
# themselves (``upload_form``), so FastAPI does not see it in their parameters.
UPLOAD_REQUEST_BODY: dict[str, object] = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["files"],
                "properties": {
                    "files": {"type": "array", "items": {"type": "string", "format": "binary"}}
                },
            }
        }
    },
}


def too_large() -> HTTPException:
    return HTTPException(413, f"upload larger than {MAX_UPLOAD_BYTES // 2**20} MB")


def refuse_declared_too_large(request: Request) -> None:
    """413 before the body is read, when its declared length is past the limit."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > MAX_UPLOAD_BYTES:
        raise too_large()


class UploadSizeLimit:
    """ASGI middleware holding every request body to the upload limit (and its multipart
    framing): a declared length over it is answered 413 before the body is read, a chunked
    body as soon as it crosses the limit; the app then sees the client gone, and whatever
    it answers after ours is dropped."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = MAX_UPLOAD_BYTES + MULTIPART_SLACK
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await _refuse(scope, send)
            return
        seen, refused, started = 0, False, False

        async def limited_receive() -> Message:
            nonlocal seen, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    refused = True
                    if not started:
                        await _refuse(scope, send)
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if refused:
                return  # we answered already
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except Exception:
            if not refused:
                raise  # the app's own failure; after our 413 it only saw the client go


async def _refuse(scope: Scope, send: Send) -> None:
    limit = MAX_UPLOAD_BYTES // 2**20
    answer: Response = (
        JSONResponse({"detail": f"upload larger than {limit} MB"}, 413)
        if str(scope.get("path", "")).startswith("/api/")
        else PlainTextResponse(
            f"This upload is larger than {limit} MB, so nothing was imported. "
            "Send fewer files at a time, or import a big export with `stridewell import`.",
            413,
        )
    )
    await answer(scope, _no_body, send)


async def _no_body() -> Message:
    return {"type": "http.disconnect"}


async def imported_uploads(request: Request, training: TrainingService) -> dict[str, Any]:
    """Import the files of a multipart form (field ``files``); the import report as data."""
    refuse_declared_too_large(request)
    await require_csrf(request)
    return await import_uploads(await uploaded_files(request), training.import_paths)


async def uploaded_files(request: Request) -> list[UploadFile]:
    """The files of a multipart form (field ``files``), read by Starlette: for an import
    in the request (SQLite), whose own cost dwarfs the form's."""
    refuse_declared_too_large(request)
    form = await request.form(max_files=MAX_FILES, max_part_size=CHUNK)
    uploads = [u for u in form.getlist("files") if isinstance(u, UploadFile) and u.filename]
    if not uploads:
        raise InvalidInput("choose at least one activity file or export zip", field="files")
    return uploads


async def import_uploads(
    uploads: Sequence[UploadFile], import_paths: ImportPaths
) -> dict[str, Any]:
    """Write the uploads into a folder of our own and import them in the thread pool (the
    event loop keeps serving); the import report as data. The folder is removed when the
    import ends, however it ends: also when the request is cancelled meanwhile."""
    prefix = f"{UPLOAD_PREFIX}{os.getpid()}-"
    folder = Path(await run_in_threadpool(tempfile.mkdtemp, prefix=prefix))
    try:
        written = await write_uploads(uploads, folder)
        # Each file under the name the runner gave it (one folder per upload, so two of one
        # name never meet): the runs it gives are stored with that name, not ours.
        paths = await run_in_threadpool(_under_given_names, uploads, written)
    except BaseException:
        await _shielded(shutil.rmtree, folder, ignore_errors=True)
        raise
    names = {str(p): _given_name(u, p) for p, u in zip(paths, uploads, strict=True)}
    report = await run_in_threadpool(_import_then_remove, import_paths, paths, folder)
    return import_summary(report, names)


def _under_given_names(uploads: Sequence[UploadFile], written: list[Path]) -> list[Path]:
    moved = []
    for index, (upload, path) in enumerate(zip(uploads, written, strict=True)):
        named = path.parent / str(index) / _disk_name(_given_name(upload, path), path)
        named.parent.mkdir()
        path.rename(named)
        moved.append(named)
    return moved


def _disk_name(given: str, ours: Path) -> str:
    """The given name as a file name we may create: no separators or control characters,
    not hidden, at most 120 characters with its suffixes; else our own name."""
    name = "".join(c for c in given if c not in '/\\:*?"<>|').strip().lstrip(".")
    suffix = "".join(Path(name).suffixes[-2:])
    if not name or len(suffix) > 16 or name in {".", ".."}:
        return ours.name
    return name if len(name) <= 120 else name[: 120 - len(suffix)] + suffix


def _import_then_remove(import_paths: ImportPaths, paths: list[Path], folder: Path) -> ImportReport:
    try:
        return import_paths(paths)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


async def write_uploads(uploads: Sequence[UploadFile], folder: Path) -> list[Path]:
    """Write uploads into ``folder`` under our own names, refusing (413) past the limit
    before a byte over it is written."""
    paths, total = [], 0
    for index, upload in enumerate(uploads):
        # Our own names on disk: an upload's name never becomes a path.
        suffix = "".join(Path(upload.filename or "").suffixes[-2:])[:16]
        path = folder / f"upload-{index}{suffix}"
        # Every disk call in the thread pool: only the read of the request stays here.
        out = await run_in_threadpool(path.open, "wb")
        try:
            while chunk := await upload.read(CHUNK):
                total += len(chunk)
                if total > MAX_UPLOAD_BYTES:
                    raise too_large()
                await run_in_threadpool(out.write, chunk)
        finally:
            await _shielded(out.close)
        paths.append(path)
    return paths


async def _shielded(action: Callable[..., object], *args: object, **kwargs: object) -> None:
    """Run a clean-up call in the thread pool, to its end even when the request is being
    cancelled (an await there would otherwise be cancelled too, and the clean-up lost)."""
    with anyio.CancelScope(shield=True):
        await run_in_threadpool(action, *args, **kwargs)


def sweep_stale_uploads(root: Path | None = None, now: float | None = None) -> list[Path]:
    """Remove upload folders a killed server left behind: those whose server process is
    gone and that are older than STALE_AFTER_S, and any older than ABANDONED_AFTER_S."""
    root = Path(tempfile.gettempdir()) if root is None else root
    now = time.time() if now is None else now
    removed = []
    for folder in root.glob(UPLOAD_PREFIX + "*"):
        try:
            if folder.is_symlink() or not folder.is_dir():
                continue
            age = now - folder.stat().st_mtime
        except OSError:
            continue
        owner = folder.name.removeprefix(UPLOAD_PREFIX).partition("-")[0]
        gone = not (owner.isdigit() and _running(int(owner)))
        if age > ABANDONED_AFTER_S or (gone and age > STALE_AFTER_S):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def import_summary(report: ImportReport, names: dict[str, str]) -> dict[str, Any]:
    """The import report as data, naming files as the runner uploaded them."""
    return {
        "imported": report.imported,
        "files": report.files,
        "duplicates": len(report.duplicates),
        "duplicate_files": sorted({_shown(s, names) for s, _ in report.duplicates}),
        "set_aside": [{"source": _shown(s, names), "reason": r} for s, r in report.set_aside],
        "not_read": [{"source": _shown(s, names), "reason": r} for s, r in report.not_read],
        "summary": report.summary(),
    }


def _shown(source: str, names: dict[str, str]) -> str:
    """The name the runner uploaded, for a source inside our temporary folder."""
    return shown_name(source, names)


async def submitted_uploads(request: Request, jobs: ImportJobs) -> str:
    """An import job for the files of the upload form (field ``files``, its CSRF token
    in the header or the form); its id."""
    if request.headers.get(CSRF_HEADER) or not is_multipart_form(request):
        require_form_token(request, {})  # the token can only be in the header: read nothing
    upload = await received_upload(request)
    try:
        require_form_token(request, upload.fields)
    except BaseException:
        await upload.discard()
        raise
    return (await submit_received(upload, jobs)).id


async def submit_received(upload: ReceivedUpload, jobs: ImportJobs) -> ImportJobView:
    """Submit the received files as an import job, under the names the runner gave them;
    the job as it stands. On PostgreSQL the job keeps the files in the database and a
    worker imports them; on SQLite the import has run on return. One call in a thread of
    the uploads' own (what is left in memory goes to disk, the job is stored and queued,
    the folder is removed), however this ends."""
    if not upload.files:
        await upload.discard()
        raise InvalidInput("choose at least one activity file or export zip", field="files")

    def submit() -> ImportJobView:
        try:
            named = upload.write_to_disk()
            return jobs.status(jobs.submit(named))
        finally:
            upload.remove_folder()

    return await anyio.to_thread.run_sync(submit, limiter=UPLOAD_THREADS)


def _given_name(upload: UploadFile, path: Path) -> str:
    """The upload's own file name (no folders), for the report and the stored runs."""
    return given_name(upload.filename or "", path.name)
