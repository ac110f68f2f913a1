"""The FastAPI application: REST API under /api/v1 and the web pages.

Thin like the CLI: every route calls the service facade. Domain errors become HTTP
statuses through `stridewell.errors`, the one place that maps them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from stridewell import __version__
from stridewell.errors import StridewellError, http_status_for
from stridewell.service import Stridewell
from stridewell.storage.errors import StorageError
from stridewell.web.api import router as api_router
from stridewell.web.api_recovery import router as recovery_router
from stridewell.web.api_training import router as training_router

WEB_DIR = Path(__file__).parent


def create_app(service: Stridewell | None = None) -> FastAPI:
    """Build the app around a service (a default one on the configured database)."""
    app = FastAPI(
        title="Stridewell",
        version=__version__,
        description=(
            "Foot-pain triage, recovery plans and training load for runners. "
            "Decision support, not a diagnosis."
        ),
    )
    app.state.service = service or Stridewell()
    app.state.templates = Jinja2Templates(directory=str(WEB_DIR / "templates"))
    app.mount("/static", StaticFiles(directory=str(WEB_DIR / "static")), name="static")
    app.include_router(api_router)
    app.include_router(recovery_router)
    app.include_router(training_router)
    _install_error_handlers(app)

    from stridewell.web.pages import router as pages_router

    app.include_router(pages_router)
    return app


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        first = errors[0] if errors else {"loc": (), "msg": "invalid request", "type": ""}
        loc = [str(p) for p in first["loc"] if p != "body"]
        field = ".".join(loc) or "(body)"
        if first.get("type") == "extra_forbidden":
            message = f"unknown field '{field}'"
        else:
            message = f"field '{field}': {first['msg']}"
        return JSONResponse(
            status_code=422,
            content={"error": {"field": field, "message": message}, "detail": _plain(errors)},
        )

    async def domain_error(_: Request, exc: Exception) -> JSONResponse:
        field = getattr(exc, "field", None)
        return JSONResponse(
            status_code=http_status_for(exc),
            content={"error": {"message": str(exc), **({"field": field} if field else {})}},
        )

    app.add_exception_handler(StridewellError, domain_error)
    app.add_exception_handler(StorageError, domain_error)


def _plain(errors: Any) -> list[dict[str, Any]]:
    """Validation errors without their non-JSON parts (exception objects in ctx)."""
    return [
        {"loc": list(e.get("loc", ())), "msg": str(e.get("msg")), "type": str(e.get("type"))}
        for e in errors
    ]
