"""What keeps other web pages out, in both modes, before any route runs.

- **Host allow-list.** A request whose ``Host`` is not one of ours is refused (400). A
  page on another site that re-points its own name at 127.0.0.1 (DNS rebinding) sends
  its own name as the Host, so it can neither read a page nor post to one.
- **Same origin for every state-changing request.** POST, PUT, PATCH and DELETE need a
  proof that our own pages sent them: an ``Origin`` (or, without one, a ``Referer``) of
  an allowed host, ``Sec-Fetch-Site: same-origin``, or the CSRF token as a header. A
  browser marks cross-site requests with ``Origin`` and ``Sec-Fetch-Site``; a cross-site
  signal is refused outright. Page forms carry the CSRF token in a field as well, which
  their routes check (``csrf.require_csrf``).
- **API tokens.** ``Authorization: Bearer sw_...`` names a runner without any cookie: no
  browser adds it on its own, so such a request needs no CSRF proof.
- **Security headers** on every response, errors included.
- **Text no database keeps** (NUL, lone surrogates) in a path, query, JSON or form body:
  refused with 422 naming the field, the same on SQLite and PostgreSQL.
- **The client's address** for the limits: ``X-Forwarded-For`` only from configured
  proxies (none by default).
"""

from __future__ import annotations

import ipaddress
import json
import os
import secrets
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

from fastapi import Request
from fastapi.responses import JSONResponse, PlainTextResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from stridewell.text import has_unstorable
from stridewell.web.csrf import CSRF_COOKIE, CSRF_HEADER
from stridewell.web.deps import app_service

ALLOWED_HOSTS_ENV = "STRIDEWELL_ALLOWED_HOSTS"
TRUSTED_PROXIES_ENV = "STRIDEWELL_TRUSTED_PROXIES"
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "[::1]")
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

# The app's pages load only their own scripts, styles and images (htmx is vendored);
# inline SVG charts need no source. 'unsafe-inline' for styles: the charts carry style
# attributes. Nothing may frame the app, and forms post only to it.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
# The interactive API docs (/docs, /redoc) load FastAPI's Swagger UI from a CDN.
DOCS_CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "img-src 'self' data: https://fastapi.tiangolo.com; object-src 'none'; "
    "base-uri 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def host_name(host: str) -> str:
    """``host[:port]`` to its lower-case name (IPv6 kept in brackets), port dropped."""
    host = host.strip().lower()
    if host.startswith("["):
        end = host.find("]")
        return host[: end + 1] if end > 0 else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


@dataclass(frozen=True)
class SecurityConfig:
    """Which hosts the app answers to and which proxies it believes."""

    allowed_hosts: frozenset[str] = field(default_factory=lambda: frozenset(LOOPBACK_HOSTS))
    trusted_proxies: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = ()

    @classmethod
    def build(
        cls,
        *,
        bound_host: str | None = None,
        allowed_hosts: Iterable[str] = (),
        trusted_proxies: Iterable[str] = (),
        env: dict[str, str] | None = None,
    ) -> SecurityConfig:
        """Loopback names, the host the server is bound to, and the configured hosts
        (options and ``STRIDEWELL_ALLOWED_HOSTS``); proxies from the options and
        ``STRIDEWELL_TRUSTED_PROXIES`` (addresses or networks)."""
        environ = os.environ if env is None else env
        hosts = {*LOOPBACK_HOSTS, *allowed_hosts, *_split(environ.get(ALLOWED_HOSTS_ENV, ""))}
        if bound_host and bound_host not in ("0.0.0.0", "::"):
            hosts.add(f"[{bound_host}]" if ":" in bound_host else bound_host)
        proxies = [*trusted_proxies, *_split(environ.get(TRUSTED_PROXIES_ENV, ""))]
        return cls(
            allowed_hosts=frozenset(host_name(h) for h in hosts),
            trusted_proxies=tuple(ipaddress.ip_network(p, strict=False) for p in proxies),
        )

    def host_allowed(self, host: str) -> bool:
        return "*" in self.allowed_hosts or host_name(host) in self.allowed_hosts

    def is_trusted_proxy(self, address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in self.trusted_proxies)


def client_address(request: Request) -> str:
    """The address a request came from: the peer, or, when the peer is a trusted proxy,
    the nearest address in ``X-Forwarded-For`` that is not one of our proxies."""
    config: SecurityConfig = request.app.state.security
    peer = request.client.host if request.client else "unknown"
    if not config.is_trusted_proxy(peer):
        return peer
    hops = _split(request.headers.get("x-forwarded-for", ""))
    for hop in reversed(hops):
        if not config.is_trusted_proxy(hop):
            return hop
    return hops[0] if hops else peer


def public_base_url(request: Request) -> str:
    """The app's address as its users reach it, for links sent elsewhere (an invite).
    ``https`` when ``--secure-cookies`` says a TLS proxy is in front (the app itself
    then sees plain http, and believes no ``X-Forwarded-Proto``); the host is the
    request's own, which the host allow-list has already checked."""
    secure = request.app.state.secure_cookies or request.url.scheme == "https"
    base = request.base_url.replace(scheme="https" if secure else "http")
    return str(base).rstrip("/")


def _same_origin(request: Request, value: str) -> bool:
    parts = urlsplit(value)
    if not parts.scheme or not parts.netloc:
        return False
    config: SecurityConfig = request.app.state.security
    own = request.headers.get("host", "")
    return parts.netloc.lower() == own.lower() and config.host_allowed(parts.netloc)


def cross_site_proof(request: Request) -> str | None:
    """Why a state-changing request may not be ours (None when it proves it is, or when
    it carries no browser signal and is left to its route's CSRF token: pages only)."""
    site = request.headers.get("sec-fetch-site")
    if site is not None and site not in ("same-origin", "none"):
        return "the request came from another site"
    origin = request.headers.get("origin")
    if origin is not None:
        return None if _same_origin(request, origin) else "the request came from another site"
    if site == "same-origin":
        return None
    referer = request.headers.get("referer")
    if referer is not None:
        return None if _same_origin(request, referer) else "the request came from another site"
    cookie, sent = request.cookies.get(CSRF_COOKIE, ""), request.headers.get(CSRF_HEADER, "")
    if cookie and sent and secrets.compare_digest(cookie, sent):
        return None
    if request.url.path.startswith("/api/"):
        return f"send an API token, or the {CSRF_HEADER} header, with this request"
    return None  # a page form: its route checks the CSRF token in the form


# Bodies checked for unstorable text: JSON and plain forms, up to this size (uploads
# are multipart and bounded by web.uploads; their names are cleaned where files are read).
# A larger body that declares its length is left to its route's own checks; one sent in
# chunks, whose size is known only by reading it, is refused past this size (413).
CHECKED_BODY_BYTES = 2 * 1024 * 1024


def _unstorable_in(value: object, where: str) -> str | None:
    """The first place in a decoded JSON value holding NUL or a lone surrogate."""
    if isinstance(value, str):
        return where if has_unstorable(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            inner = f"{where}.{key}" if where else str(key)
            if has_unstorable(str(key)):
                return inner
            found = _unstorable_in(item, inner)
            if found is not None:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = _unstorable_in(item, f"{where}.{index}" if where else str(index))
            if found is not None:
                return found
    return None


async def unstorable_field(request: Request) -> str | None:
    """Where a request carries text no database can keep (NUL, lone surrogates): in its
    path, its query, or a JSON or form body. None when it carries none."""
    if has_unstorable(request.url.path):
        return "(path)"
    for name, value in request.query_params.multi_items():
        if has_unstorable(name) or has_unstorable(value):
            return name
    if request.method not in UNSAFE_METHODS:
        return None
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    length = request.headers.get("content-length", "")
    if kind not in ("application/json", "application/x-www-form-urlencoded"):
        return None
    if length:
        if not length.isdigit() or int(length) > CHECKED_BODY_BYTES:
            return None
        body = await request.body()
    else:
        body = await _bounded_body(request)
    if kind == "application/json":
        try:
            return _unstorable_in(json.loads(body), "")
        except ValueError:
            return None  # not JSON: the route's validation answers
    for name, value in parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True):
        if has_unstorable(name) or has_unstorable(value):
            return name
    return None


class BodyTooLarge(Exception):
    """A JSON or form body sent without a length grew past CHECKED_BODY_BYTES."""


async def _bounded_body(request: Request) -> bytes:
    """The body of a request that declared no length (sent in chunks), read up to
    CHECKED_BODY_BYTES: this middleware runs before the upload limit, so it bounds what
    it holds itself. The body is kept on the request, where the route reads it again."""
    chunks, seen = [], 0
    async for chunk in request.stream():
        seen += len(chunk)
        if seen > CHECKED_BODY_BYTES:
            raise BodyTooLarge
        chunks.append(chunk)
    body = b"".join(chunks)
    # Starlette's middleware hands a body read with ``body()`` on to the app; a streamed
    # one only if it is kept where ``body()`` keeps it.
    request._body = body
    return body


def _refuse(request: Request, status: int, message: str) -> Response:
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": {"message": message}}, status_code=status)
    return PlainTextResponse(message, status_code=status)


def _with_headers(request: Request, response: Response) -> Response:
    docs = request.url.path in ("/docs", "/redoc")
    response.headers.setdefault(
        "Content-Security-Policy", DOCS_CONTENT_SECURITY_POLICY if docs else CONTENT_SECURITY_POLICY
    )
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


async def security_middleware(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    """Outside auth: host check, bearer tokens, same-origin proof, headers."""
    config: SecurityConfig = request.app.state.security
    if not config.host_allowed(request.headers.get("host", "")):
        return _with_headers(request, _refuse(request, 400, "unknown host"))
    request.state.token_runner = None
    authorization = request.headers.get("authorization", "")
    if authorization[:7].lower() == "bearer ":
        accounts = app_service(request).accounts
        secret = authorization[7:].strip()
        runner = await run_in_threadpool(accounts.token_runner, secret)
        if runner is None:
            return _with_headers(request, _refuse(request, 401, "unknown or revoked API token"))
        request.state.token_runner = runner
    elif request.method in UNSAFE_METHODS:
        problem = cross_site_proof(request)
        if problem is not None:
            return _with_headers(request, _refuse(request, 403, problem))
    try:
        field_name = await unstorable_field(request)
    except BodyTooLarge:
        limit = f"{CHECKED_BODY_BYTES // 2**20} MB"
        message = f"a JSON or form body sent without its length may be at most {limit}"
        return _with_headers(request, _refuse(request, 413, message))
    if field_name is not None:
        message = f"field '{field_name}': text must not contain NUL or unpaired surrogates"
        if request.url.path.startswith("/api/"):
            body = {"error": {"field": field_name, "message": message}}
            return _with_headers(request, JSONResponse(body, status_code=422))
        return _with_headers(request, PlainTextResponse(message, status_code=422))
    return _with_headers(request, await call_next(request))


class SecurityMiddleware:
    """``security_middleware`` as a plain ASGI middleware for reads (GET, HEAD, OPTIONS):
    no body to check, so no task and no stream per request, as Starlette's
    ``BaseHTTPMiddleware`` needs. State-changing requests, whose bodies are checked,
    go through ``security_middleware`` itself."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.with_body = BaseHTTPMiddleware(app, dispatch=security_middleware)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["method"] in UNSAFE_METHODS:
            await self.with_body(scope, receive, send)
            return
        request = Request(scope)
        refusal = await _refusal_of_read(request)
        if refusal is not None:
            await _with_headers(request, refusal)(scope, receive, send)
            return
        docs = request.url.path in ("/docs", "/redoc")
        policy = DOCS_CONTENT_SECURITY_POLICY if docs else CONTENT_SECURITY_POLICY

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("Content-Security-Policy", policy)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


async def _refusal_of_read(request: Request) -> Response | None:
    """What ``security_middleware`` answers to a read it refuses (None: let it through)."""
    config: SecurityConfig = request.app.state.security
    if not config.host_allowed(request.headers.get("host", "")):
        return _refuse(request, 400, "unknown host")
    request.state.token_runner = None
    authorization = request.headers.get("authorization", "")
    if authorization[:7].lower() == "bearer ":
        accounts = app_service(request).accounts
        runner = await run_in_threadpool(accounts.token_runner, authorization[7:].strip())
        if runner is None:
            return _refuse(request, 401, "unknown or revoked API token")
        request.state.token_runner = runner
    field_name = await unstorable_field(request)  # a read: its path and query only
    if field_name is None:
        return None
    message = f"field '{field_name}': text must not contain NUL or unpaired surrogates"
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": {"field": field_name, "message": message}}, status_code=422)
    return PlainTextResponse(message, status_code=422)
