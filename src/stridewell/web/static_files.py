"""The app's style sheets and scripts, served from memory.

Starlette's ``StaticFiles`` looks each file up, opens, reads and closes it in the thread
pool: four thread hops for every asset of every page, more CPU than the small file
itself. The app ships a handful of files (about 80 kB), so they are read once and
answered from memory, with the same headers (``ETag``, ``Last-Modified``) and the same
``304 Not Modified`` answers. A file edited on disk is read again on its next request
(one ``stat``, no hop); anything else (a range request, an unknown path) goes to
``StaticFiles`` as before.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from email.utils import formatdate
from mimetypes import guess_type
from pathlib import Path

from starlette.datastructures import Headers
from starlette.responses import Response
from starlette.staticfiles import NotModifiedResponse, StaticFiles
from starlette.types import Scope


@dataclass(frozen=True)
class _Asset:
    """One file as it was read: its bytes, and what identifies that version of it."""

    body: bytes
    mtime_ns: int
    size: int
    headers: dict[str, str]


def _read(path: Path) -> _Asset:
    stat = path.stat()
    body = path.read_bytes()
    # Starlette's FileResponse headers, so that caches filled before keep matching.
    etag_base = f"{stat.st_mtime}-{stat.st_size}"
    etag = hashlib.md5(etag_base.encode(), usedforsecurity=False).hexdigest()
    headers = {
        "content-type": _content_type(path),
        "accept-ranges": "bytes",
        "content-length": str(len(body)),
        "last-modified": formatdate(stat.st_mtime, usegmt=True),
        "etag": f'"{etag}"',
    }
    return _Asset(body=body, mtime_ns=stat.st_mtime_ns, size=stat.st_size, headers=headers)


def _content_type(path: Path) -> str:
    media_type = guess_type(path.name)[0] or "text/plain"
    return f"{media_type}; charset=utf-8" if media_type.startswith("text/") else media_type


class PreloadedStaticFiles(StaticFiles):
    """``StaticFiles`` over a small folder, answered from memory (see the module)."""

    def __init__(self, directory: Path) -> None:
        super().__init__(directory=str(directory))
        self._root = directory
        # Keyed like ``StaticFiles.get_path`` names a file ("vendor/htmx.min.js").
        self._assets = {
            os.path.normpath(path.relative_to(directory)): _read(path)
            for path in sorted(directory.rglob("*"))
            if path.is_file()
        }

    async def get_response(self, path: str, scope: Scope) -> Response:
        asset = self._assets.get(path)
        if asset is None or scope["method"] not in ("GET", "HEAD"):
            return await super().get_response(path, scope)
        request_headers = Headers(scope=scope)
        if "range" in request_headers:
            return await super().get_response(path, scope)
        asset = self._fresh(path, asset)
        if asset is None:
            return await super().get_response(path, scope)
        if self.is_not_modified(Headers(asset.headers), request_headers):
            return NotModifiedResponse(Headers(asset.headers))
        body = b"" if scope["method"] == "HEAD" else asset.body
        return Response(body, headers=asset.headers)

    def _fresh(self, path: str, asset: _Asset) -> _Asset | None:
        """The file as it is now on disk (None: it is gone). A local ``stat`` is quick
        enough for the event loop; the file is read again only after an edit."""
        full_path = self._root / path
        try:
            stat = full_path.stat()
        except OSError:
            self._assets.pop(path, None)
            return None
        if stat.st_mtime_ns == asset.mtime_ns and stat.st_size == asset.size:
            return asset
        try:
            asset = _read(full_path)
        except OSError:
            return None
        self._assets[path] = asset
        return asset
