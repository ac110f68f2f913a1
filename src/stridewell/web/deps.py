"""The typed dependencies routes take: the app's service, and the services of the runner
the request belongs to (the signed-in account, or the local runner on a one-person
install). A route never names a runner itself, so it cannot reach another's data."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from stridewell.errors import Unauthorized
from stridewell.service import RunnerServices, Stridewell


def app_service(request: Request) -> Stridewell:
    """The one `Stridewell` of the app (its database and clock)."""
    service = request.app.state.service
    if not isinstance(service, Stridewell):
        raise TypeError("app.state.service must be a Stridewell")
    return service


def runner_services(request: Request) -> RunnerServices:
    """The services of the request's runner (set by the auth middleware)."""
    runner = request.state.runner_id
    if not isinstance(runner, str):  # only public routes run without a runner
        raise Unauthorized("sign in first")
    return app_service(request).for_runner(runner)


async def _app_service(request: Request) -> Stridewell:
    # ``async``: FastAPI runs a plain ``def`` dependency in the thread pool, a hop per
    # request for what is only object lookups (no I/O, nothing that blocks).
    return app_service(request)


async def _runner_services(request: Request) -> RunnerServices:
    return runner_services(request)


App = Annotated[Stridewell, Depends(_app_service)]
Runner = Annotated[RunnerServices, Depends(_runner_services)]
