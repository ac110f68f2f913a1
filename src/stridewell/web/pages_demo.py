"""The demo in the web app: look at it, go back to your own data, remove it.

On a one-person install the pages show the local runner's own data. When a demo runner
exists (`make run` adds one to a new database), the home page offers to look at it; a
cookie then makes the pages show the demo runner instead, with a banner on every page
("You are looking at demo data") and a button to remove it. The demo never mixes with
the runner's own data: it is another runner. With accounts (multi-user) there is no
switch: each account sees only its own data, and the demo stays out of sight.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from stridewell.errors import NotFound
from stridewell.service.demo import DEMO_RUNNER_ID
from stridewell.web.csrf import require_csrf
from stridewell.web.deps import App, app_service

router = APIRouter(include_in_schema=False)
# Imported by the auth middleware: kept free of the page rendering (web.pages).

# Which data a one-person install's pages show: the demo while this cookie says so.
VIEW_COOKIE = "sw_view"
DEMO_VIEW = "demo"


async def demo_view_runner(request: Request) -> str | None:
    """The demo runner, when this one-person install's visitor chose to look at the demo
    and it is still there; None otherwise (the local runner's own data)."""
    if request.app.state.multi_user or request.cookies.get(VIEW_COOKIE) != DEMO_VIEW:
        return None
    exists = await run_in_threadpool(app_service(request).demo.exists)
    return DEMO_RUNNER_ID if exists else None


def _home() -> RedirectResponse:
    return RedirectResponse("/", status_code=303)


def _one_person(request: Request) -> None:
    if request.app.state.multi_user:
        raise NotFound("the demo is shown only on a one-person install")


@router.post("/demo/view", dependencies=[Depends(_one_person), Depends(require_csrf)])
def view_demo(request: Request, service: App) -> Response:
    if not service.demo.exists():
        return _home()
    response = _home()
    response.set_cookie(
        VIEW_COOKIE,
        DEMO_VIEW,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https" or bool(request.app.state.secure_cookies),
        path="/",
    )
    return response


@router.post("/demo/leave", dependencies=[Depends(_one_person), Depends(require_csrf)])
def leave_demo() -> Response:
    response = _home()
    response.delete_cookie(VIEW_COOKIE, path="/")
    return response


@router.post("/demo/remove", dependencies=[Depends(_one_person), Depends(require_csrf)])
def remove_demo(service: App) -> Response:
    """Remove the demo runner and everything it holds; back to the runner's own data."""
    service.demo.remove()
    response = _home()
    response.delete_cookie(VIEW_COOKIE, path="/")
    return response
