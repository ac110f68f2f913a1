"""Who is asking: the local runner on a one-person install, or a signed-in account.

One-person mode (the default on 127.0.0.1) has no sign-in: every request is the local
runner's. Multi-user mode (`stridewell serve --multi-user`, and always when the server
listens beyond this machine) needs an account: a session cookie names it, and every route
gets the runner's services from `web.deps.Runner`, never a runner id from the URL or
the body.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import JSONResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from stridewell.service.records import LOCAL_RUNNER_ID
from stridewell.web.deps import app_service

SESSION_COOKIE = "sw_session"
SESSION_SECONDS = 14 * 24 * 3600
# Reachable without signing in (in multi-user mode).
PUBLIC_PATHS = frozenset(
    {"/login", "/register", "/openapi.json", "/docs", "/redoc", "/api/v1/health"}
)
PUBLIC_PREFIXES = ("/static/", "/docs/")


def is_public(path: str) -> bool:
    return path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES)


async def auth_middleware(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    request.state.runner_id = LOCAL_RUNNER_ID
    request.state.account = None
    accounts = app_service(request).accounts
    token_runner = getattr(request.state, "token_runner", None)
    if isinstance(token_runner, str):
        # An API token (checked by the security middleware) names its one runner.
        request.state.runner_id = token_runner
        request.state.account = await run_in_threadpool(accounts.account_of, token_runner)
        return await call_next(request)
    if not request.app.state.multi_user:
        return await call_next(request)
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
    # State-changing requests have already proved their origin (web.security).
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
