"""CSRF protection for the web pages' forms: a double-submit token.

Every visitor gets a random token in an HttpOnly, SameSite=Strict cookie; each page form
carries the same token in a hidden field, and a form post whose field does not match the
cookie is refused. Another site can make a browser post to us, but can read neither the
cookie nor our pages, so it cannot know the token. The JSON API takes JSON bodies only
(the import takes multipart and is guarded by the same token, sent as a header).
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable

from fastapi import HTTPException, Request
from starlette.responses import Response

CSRF_COOKIE = "sw_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
TOKEN_BYTES = 32


def csrf_token(request: Request) -> str:
    """The token for forms on this page (set by the middleware)."""
    token: str = request.state.csrf_token
    return token


async def csrf_cookie_middleware(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    token = request.cookies.get(CSRF_COOKIE)
    fresh = not _well_formed(token)
    request.state.csrf_token = secrets.token_urlsafe(TOKEN_BYTES) if fresh else token
    response = await call_next(request)
    if fresh:
        response.set_cookie(
            CSRF_COOKIE,
            request.state.csrf_token,
            httponly=True,
            samesite="strict",
            # Secure also behind a TLS-terminating proxy (serve --secure-cookies).
            secure=request.url.scheme == "https" or bool(request.app.state.secure_cookies),
            path="/",
        )
    return response


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
