"""Who is asking: the local runner on a one-person install, or a signed-in account.

One-person mode (the default on 127.0.0.1) has no sign-in: every request is the local
runner's. Multi-user mode (`stridewell serve --multi-user`, and always when the server
listens beyond this machine) needs an account: a session cookie names it, and every route
gets the runner's services from `web.deps.Runner`, never a runner id from the URL or
the body.
"""

from __future__ import annotations

import secrets
import time
from collections import deque
from collections.abc import Awaitable, Callable
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import JSONResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from stridewell.errors import TooManyRequests
from stridewell.service.records import LOCAL_RUNNER_ID
from stridewell.web.csrf import CSRF_COOKIE, CSRF_HEADER
from stridewell.web.deps import app_service

SESSION_COOKIE = "sw_session"
SESSION_SECONDS = 14 * 24 * 3600
# Reachable without signing in (in multi-user mode).
PUBLIC_PATHS = frozenset(
    {"/login", "/register", "/openapi.json", "/docs", "/redoc", "/api/v1/health"}
)
PUBLIC_PREFIXES = ("/static/", "/docs/")
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def is_public(path: str) -> bool:
    return path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES)


async def auth_middleware(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    request.state.runner_id = LOCAL_RUNNER_ID
    request.state.account = None
    if not request.app.state.multi_user:
        return await call_next(request)
    accounts = app_service(request).accounts
    token = request.cookies.get(SESSION_COOKIE, "")
    # Database queries run in the thread pool: the event loop serves other requests.
    runner = await run_in_threadpool(accounts.session_runner, token) if token else None
    path = request.url.path
    if runner is None:
        request.state.runner_id = None
        if is_public(path):
            return await call_next(request)
        if path.startswith("/api/"):
            return JSONResponse({"error": {"message": "sign in first"}}, status_code=401)
        return RedirectResponse(f"/login?next={quote(path)}", status_code=303)
    request.state.runner_id = runner
    request.state.account = await run_in_threadpool(accounts.account_of, runner)
    if path.startswith("/api/") and request.method in UNSAFE:
        # Cookie-authenticated API writes must prove they come from our pages.
        cookie = request.cookies.get(CSRF_COOKIE, "")
        sent = request.headers.get(CSRF_HEADER, "")
        if not cookie or not secrets.compare_digest(cookie, sent):
            return JSONResponse(
                {"error": {"message": f"missing or wrong {CSRF_HEADER} header"}}, status_code=403
            )
    return await call_next(request)


def set_session_cookie(response: Response, request: Request, token: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=SESSION_SECONDS,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https" or request.app.state.secure_cookies,
        path="/",
    )


class LoginLimiter:
    """Failed sign-ins allowed per email and address, and per address, in a window.

    In memory: one server process is what `stridewell serve` runs; a restart forgets,
    which only ever helps the legitimate user.
    """

    def __init__(
        self, per_account: int = 5, per_address: int = 20, window_s: float = 900.0
    ) -> None:
        self.per_account = per_account
        self.per_address = per_address
        self.window_s = window_s
        self._failures: dict[str, deque[float]] = {}
        self.clock: Callable[[], float] = time.monotonic

    def check(self, email: str, address: str) -> None:
        """TooManyRequests when either budget is spent."""
        now = self.clock()
        for key, limit in ((f"{address}|{email.lower()}", self.per_account),
                           (address, self.per_address)):  # fmt: skip
            failures = self._recent(key, now)
            if len(failures) >= limit:
                wait = int(failures[0] + self.window_s - now) + 1
                raise TooManyRequests(
                    f"too many failed sign-ins: try again in {max(wait // 60, 1)} minute(s)",
                    retry_after=wait,
                )

    def failed(self, email: str, address: str) -> None:
        now = self.clock()
        for key in (f"{address}|{email.lower()}", address):
            self._recent(key, now).append(now)

    def succeeded(self, email: str, address: str) -> None:
        self._failures.pop(f"{address}|{email.lower()}", None)

    def _recent(self, key: str, now: float) -> deque[float]:
        failures = self._failures.setdefault(key, deque())
        while failures and failures[0] <= now - self.window_s:
            failures.popleft()
        return failures
