"""Who is asking: the local runner on a one-person install, or a signed-in account.

One-person mode (the default on 127.0.0.1) has no sign-in: every request is the local
runner's. Multi-user mode (`stridewell serve --multi-user`, and always when the server
listens beyond this machine) needs an account: a session cookie names it, and every route
gets the runner's services from `web.deps.Runner`, never a runner id from the URL or
the body.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import Request
from fastapi.responses import JSONResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from stridewell.service.records import LOCAL_RUNNER_ID
from stridewell.web.deps import app_service
from stridewell.web.pages_demo import demo_view_runner

SESSION_COOKIE = "sw_session"
SESSION_SECONDS = 14 * 24 * 3600
# Reachable without signing in (in multi-user mode).
PUBLIC_PATHS = frozenset(
    {"/login", "/register", "/openapi.json", "/docs", "/redoc", "/api/v1/health"}
)
STATIC_PREFIX = "/static/"
PUBLIC_PREFIXES = (STATIC_PREFIX, "/docs/")


def is_public(path: str) -> bool:
    return path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES)


class AuthMiddleware:
    """Names the request's runner (``request.state.runner_id`` and ``.account``), or
    answers 401 / a redirect to sign in. A plain ASGI middleware: no task and no stream
    per request, as Starlette's ``BaseHTTPMiddleware`` needs.

    Reads of a GET share one database session (``Stridewell.shared_reads``): the session
    lookup and the page's queries take one connection checkout and one transaction."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        service = app_service(request)
        if request.app.state.multi_user and scope["path"].startswith(STATIC_PREFIX):
            # A style sheet or script: nothing in it depends on who asks, so no session
            # lookup (a query and two thread hops, for each asset of every page).
            request.state.runner_id = None
            request.state.account = None
            await self.app(scope, receive, send)
            return
        if request.method not in ("GET", "HEAD"):
            await self._serve(request, scope, receive, send)
            return
        with service.shared_reads() as reads:
            # `pages.render` gives the connection back as soon as the page is made, in
            # the thread that made it: no extra hop to the thread pool here.
            request.state.shared_reads = reads
            try:
                await self._serve(request, scope, receive, send)
            finally:
                if reads.opened:
                    await run_in_threadpool(reads.close)

    async def _serve(self, request: Request, scope: Scope, receive: Receive, send: Send) -> None:
        request.state.runner_id = LOCAL_RUNNER_ID
        request.state.account = None
        accounts = app_service(request).accounts
        token_runner = getattr(request.state, "token_runner", None)
        if isinstance(token_runner, str):
            # An API token (checked by the security middleware) names its one runner.
            request.state.runner_id = token_runner
            request.state.account = await run_in_threadpool(accounts.account_of, token_runner)
            await self.app(scope, receive, send)
            return
        if not request.app.state.multi_user:
            # One person: their own data, or the demo if they chose to look at it.
            request.state.runner_id = await demo_view_runner(request) or LOCAL_RUNNER_ID
            await self.app(scope, receive, send)
            return
        token = request.cookies.get(SESSION_COOKIE, "")
        # Database queries run in the thread pool: the event loop serves other requests.
        account = await run_in_threadpool(accounts.signed_in, token) if token else None
        if account is None:
            request.state.runner_id = None
            path = request.url.path
            if is_public(path):
                await self.app(scope, receive, send)
                return
            refusal: Response
            if path.startswith("/api/"):
                refusal = JSONResponse({"error": {"message": "sign in first"}}, status_code=401)
            else:
                refusal = RedirectResponse(f"/login?next={quote(path)}", status_code=303)
            await refusal(scope, receive, send)
            return
        request.state.runner_id = account.runner_id
        request.state.account = account
        # State-changing requests have already proved their origin (web.security).
        await self.app(scope, receive, send)


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
