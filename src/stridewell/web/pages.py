"""Server-rendered pages (the full web app grows here)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from stridewell.knowledge import load_knowledge

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> Any:
    service = request.app.state.service
    recent = service.history(limit=10)
    return request.app.state.templates.TemplateResponse(
        request,
        "home.html",
        {"recent": recent, "kb_version": load_knowledge().version},
    )
