"""CSRF protection for the web pages' forms: a double-submit token.

Every visitor gets a random token in an HttpOnly, SameSite=Strict cookie; each page form
carries the same token in a hidden field, and a form post whose field does not match the
cookie is refused. Another site can make a browser post to us, but can read neither the
cookie nor our pages, so it cannot know the token. The JSON API takes JSON bodies only
(the import takes multipart and is guarded by the same token, sent as a header).
"""

from __future__ import annotations

import secrets

from fastapi import HTTPException, Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSRF_COOKIE = "sw_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
TOKEN_BYTES = 32


def csrf_token(request: Request) -> str:
    """The token for forms on this page (set by the middleware)."""
    token: str = request.state.csrf_token
    return token


class CsrfCookieMiddleware:
    """Gives every visitor without one a CSRF cookie, and every request its token
    (``request.state.csrf_token``). A plain ASGI middleware: the cookie is added to the
    response's headers as they go out.

    The token is random per visitor and kept by the browser, not by the server: any
    process on any machine checks it the same way (no per-process secret)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        token = request.cookies.get(CSRF_COOKIE)
        if _well_formed(token):
            request.state.csrf_token = token
            await self.app(scope, receive, send)
            return
        fresh = secrets.token_urlsafe(TOKEN_BYTES)
        request.state.csrf_token = fresh
        cookie = Response()
        cookie.set_cookie(
            CSRF_COOKIE,
            fresh,
            httponly=True,
            samesite="strict",
            # Secure also behind a TLS-terminating proxy (serve --secure-cookies).
            secure=request.url.scheme == "https" or bool(request.app.state.secure_cookies),
            path="/",
        )
        set_cookie = [(k, v) for k, v in cookie.raw_headers if k == b"set-cookie"]

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *set_cookie]}
            await send(message)

        await self.app(scope, receive, send_with_cookie)


async def require_csrf(request: Request) -> None:
    """Refuse a state-changing request whose token does not match the cookie (403)."""
    cookie = request.cookies.get(CSRF_COOKIE)
    sent = request.headers.get(CSRF_HEADER)
    if sent is None:
        form = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not cookie or not sent or not secrets.compare_digest(cookie, sent):
        raise HTTPException(
            status_code=403,
            detail="This form has expired or did not come from Stridewell: reload the page "
            "and try again.",
        )


def _well_formed(token: str | None) -> bool:
    return token is not None and 20 <= len(token) <= 100 and token.isascii()
