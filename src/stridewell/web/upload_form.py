"""Reading an upload form for an import job, cheaply: the multipart body is parsed on the
event loop as it arrives (python-multipart finds the boundaries at C speed: about 5 ms of
CPU for a 7 MB export), the files are held in memory up to ``HELD_IN_MEMORY`` and go to
disk past it a few MB at a time, in threads of the uploads' own.

Starlette's form parser writes each 64 KB of a file past its first MB to a temporary file
through the thread pool the pages' handlers share: under load that pool has a queue, and
an upload waited in it about 115 times for a 7 MB export (answered after 33 to 38 s).
"""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import anyio
from fastapi import HTTPException, Request
from python_multipart.multipart import MultipartParser, parse_options_header

from stridewell.errors import InvalidInput

# A request's files are held in memory up to this much; past it they are written to disk
# a few MB at a time, so a 200 MB upload never sits in memory whole.
HELD_IN_MEMORY: Final = 16 * 1024 * 1024
MAX_FIELD_BYTES: Final = 4096  # a text field of the upload form (its CSRF token)
FILES_FIELD: Final = "files"
# Disk writes and the submit of an upload run here, not in the pool the pages' handlers
# queue for: an upload waits for at most this many others, never for page requests.
UPLOAD_THREADS: Final = anyio.CapacityLimiter(8)


@dataclass
class ReceivedFile:
    """One file of the upload: the name the runner gave it, the bytes held in memory and,
    once the upload outgrew memory, the file on disk the rest of it is on."""

    given_name: str
    suffix: str  # of the given name, for our own name on disk
    held: bytearray = field(default_factory=bytearray)
    on_disk: Path | None = None


@dataclass
class ReceivedUpload:
    """The files (field ``files``) and short text fields of an upload form."""

    prefix: str  # of our folder's name (the sweep knows it, and the server's id in it)
    files: list[ReceivedFile] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)
    folder: Path | None = None  # ours, made when a file first goes to disk
    size: int = 0  # bytes of all the files
    held: int = 0  # bytes of them in memory

    def write_to_disk(self) -> list[tuple[str, Path]]:
        """Every file on disk under our own name (an upload's name never becomes a path),
        with the name the runner gave it. Blocking: call it in a thread."""
        if self.folder is None:
            self.folder = Path(tempfile.mkdtemp(prefix=self.prefix))
        for index, received in enumerate(self.files):
            if received.on_disk is None:
                received.on_disk = self.folder / f"upload-{index}{received.suffix}"
                received.on_disk.touch()
            if received.held:
                with received.on_disk.open("ab") as out:
                    out.write(received.held)
                received.held = bytearray()
        self.held = 0
        return [(f.given_name, f.on_disk) for f in self.files if f.on_disk is not None]

    def remove_folder(self) -> None:
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)

    async def discard(self) -> None:
        """Drop what was received (the folder goes even when the request is cancelled)."""
        self.files.clear()
        if self.folder is not None:
            with anyio.CancelScope(shield=True):
                await anyio.to_thread.run_sync(self.remove_folder, limiter=UPLOAD_THREADS)


class _FormReader:
    """python-multipart's callbacks: a part of field ``files`` with a file name becomes a
    ReceivedFile, a short text field is kept, anything else is read past."""

    def __init__(self, upload: ReceivedUpload, max_files: int) -> None:
        self.upload, self._max_files = upload, max_files
        self._headers: dict[bytes, bytes] = {}
        self._name, self._value = bytearray(), bytearray()
        self._file: ReceivedFile | None = None
        self._text: bytearray | None = None
        self._field = ""

    def callbacks(self) -> dict[str, object]:
        return {
            "on_part_begin": self._part_begin,
            "on_header_field": lambda d, s, e: self._name.extend(d[s:e]),
            "on_header_value": lambda d, s, e: self._value.extend(d[s:e]),
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished,
            "on_part_data": self._part_data,
            "on_part_end": self._part_end,
        }

    def _part_begin(self) -> None:
        self._headers, self._file, self._text = {}, None, None

    def _header_end(self) -> None:
        self._headers[bytes(self._name).lower()] = bytes(self._value)
        self._name, self._value = bytearray(), bytearray()

    def _headers_finished(self) -> None:
        _, options = parse_options_header(self._headers.get(b"content-disposition", b""))
        self._field = options.get(b"name", b"").decode("utf-8", "replace")
        filename = options.get(b"filename")
        if filename is None:
            self._text = bytearray()
        elif self._field == FILES_FIELD and filename:
            if len(self.upload.files) >= self._max_files:
                raise HTTPException(400, f"Too many files: at most {self._max_files} at once.")
            index = len(self.upload.files)
            name = given_name(filename.decode("utf-8", "replace"), f"upload-{index}")
            suffix = "".join(Path(name).suffixes[-2:])[:16]
            self._file = ReceivedFile(name, suffix)
            self.upload.files.append(self._file)

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        if self._file is not None:
            self._file.held.extend(data[start:end])
            self.upload.size += end - start
            self.upload.held += end - start
        elif self._text is not None:
            self._text.extend(data[start:end])
            if len(self._text) > MAX_FIELD_BYTES:
                raise HTTPException(400, f"The form field '{self._field}' is too long.")

    def _part_end(self) -> None:
        if self._text is not None and self._field:
            self.upload.fields.setdefault(self._field, self._text.decode("utf-8", "replace"))


async def received_upload(request: Request) -> ReceivedUpload:
    """The upload form of ``request`` (multipart), read on the event loop; files past
    ``HELD_IN_MEMORY`` go to disk in the uploads' threads. 413 past the upload limit,
    400 for a body that is not a multipart form."""
    from stridewell.web import uploads  # its limits (which the tests lower)

    uploads.refuse_declared_too_large(request)
    limit = uploads.MAX_UPLOAD_BYTES
    boundary = _boundary(request)
    if boundary is None:
        raise InvalidInput("send the files as a multipart form (field 'files')", field="files")
    upload = ReceivedUpload(prefix=f"{uploads.UPLOAD_PREFIX}{os.getpid()}-")
    reader = _FormReader(upload, uploads.MAX_FILES)
    parser = MultipartParser(boundary, reader.callbacks())  # type: ignore[arg-type]
    try:
        async for chunk in request.stream():
            try:
                parser.write(chunk)
            except ValueError as error:  # the parser's errors are ValueErrors
                raise HTTPException(400, "The upload is not a well-formed form.") from error
            if upload.size > limit:
                raise uploads.too_large()
            if upload.held > HELD_IN_MEMORY:
                await anyio.to_thread.run_sync(upload.write_to_disk, limiter=UPLOAD_THREADS)
        parser.finalize()
    except BaseException:
        await upload.discard()
        raise
    return upload


def is_multipart_form(request: Request) -> bool:
    return _boundary(request) is not None


def _boundary(request: Request) -> bytes | None:
    content_type, options = parse_options_header(request.headers.get("content-type", ""))
    boundary = options.get(b"boundary")
    return boundary if content_type == b"multipart/form-data" and boundary else None


def require_form_token(request: Request, fields: dict[str, str]) -> None:
    """The CSRF check of ``web.csrf`` for a form read here: the token in the header or
    the form's field must match the cookie (403 otherwise)."""
    from stridewell.web.csrf import CSRF_COOKIE, CSRF_FIELD, CSRF_HEADER

    cookie = request.cookies.get(CSRF_COOKIE)
    sent = request.headers.get(CSRF_HEADER) or fields.get(CSRF_FIELD)
    if not cookie or not sent or not secrets.compare_digest(cookie, sent):
        raise HTTPException(
            status_code=403,
            detail="This form has expired or did not come from Stridewell: reload the page "
            "and try again.",
        )


def given_name(filename: str, ours: str) -> str:
    """A file name as the runner gave it (no folders, no control characters), else
    ``ours``."""
    name = Path(filename.replace("\\", "/")).name.strip()
    return without_control(name)[:200] or ours


def without_control(text: str) -> str:
    return "".join(c for c in text if c.isprintable())
