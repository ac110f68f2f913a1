"""Assessment pages: the foot map, the question pages and the report."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from stridewell.knowledge.loader import load_knowledge
from stridewell.knowledge.questions import load_questionnaire
from stridewell.levels import Level
from stridewell.triage.questionnaire import AnswerError, level_so_far, to_assessment
from stridewell.web.csrf import require_csrf
from stridewell.web.forms import (
    NONE_OF_THESE,
    NOT_SURE,
    QuestionPage,
    dump_answers,
    load_answers,
    next_page,
    page_answers,
)
from stridewell.web.pages import render, see_other, service_of

router = APIRouter(include_in_schema=False)
LOCATIONS = "locations"


def _regions() -> list[Any]:
    question = next(q for q in load_questionnaire().questions if q.field == LOCATIONS)
    return list(question.choices)


def _page(
    request: Request,
    page: QuestionPage,
    answers: dict[str, Any],
    errors: dict[str, str] | None = None,
    shown: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    fields = [q.field for q in page.questions]
    selected = (shown or {}).get(LOCATIONS) or answers.get(LOCATIONS) or []
    return render(
        request,
        "assess.html",
        {
            "page": page,
            "answers_json": dump_answers(answers),
            "page_fields": ",".join(fields),
            "errors": errors or {},
            "shown": shown or {},
            "regions": _regions() if LOCATIONS in fields else [],
            "selected": set(selected),
            "error": (errors or {}).get(LOCATIONS),
            "not_sure": NOT_SURE,
            "none_of_these": NONE_OF_THESE,
            "step": len({q.section for q in load_questionnaire().questions if q.field in answers})
            + 1,
            "steps": len(load_questionnaire().sections),
            # after an urgent answer, every later page says so at the top
            "urgent": level_so_far(answers) is Level.urgent,
        },
        status_code=status_code,
    )


@router.get("/assess", response_class=HTMLResponse)
def assess_start(request: Request) -> Response:
    page = next_page({})
    assert page is not None  # the questionnaire is never empty (the schema says so)
    return _page(request, page, {})


@router.post("/assess", response_class=HTMLResponse, dependencies=[Depends(require_csrf)])
async def assess_step(
    request: Request, answers: str = Form(""), page_fields: str = Form("")
) -> Response:
    carried = load_answers(answers)
    page = next_page(carried)
    if page is None:
        return await _finish(request, carried)
    # Only the questions this page showed are read (and they must still be the next ones).
    asked = [q for q in page.questions if q.field in set(page_fields.split(","))]
    form = await request.form()
    values = {k: v for k, v in form.items() if isinstance(v, str)}
    lists = {q.field: [v for v in form.getlist(q.field) if isinstance(v, str)] for q in asked}
    new, errors = page_answers(asked, values, lists)
    if errors:
        return _page(request, page, carried, errors, {**values, **lists}, status_code=422)
    carried = {**carried, **new}
    if level_so_far(carried) is Level.emergency:
        return await _emergency(request, carried)  # stop at once: no more questions
    following = next_page(carried)
    if following is None:
        return await _finish(request, carried)
    return _page(request, following, carried)


async def _finish(request: Request, answers: dict[str, Any]) -> Response:
    try:
        assessment = to_assessment(answers)
    except AnswerError as exc:
        page = next_page({})
        assert page is not None
        return _page(request, page, {}, {LOCATIONS: str(exc)}, status_code=422)
    result = await run_in_threadpool(service_of(request).assessments.assess, assessment)
    return see_other(f"/assessments/{result.id}")


async def _emergency(request: Request, answers: dict[str, Any]) -> Response:
    """The emergency result at once, stored, with a way on to the full report."""
    result = await run_in_threadpool(service_of(request).assessments.assess, to_assessment(answers))
    text = load_knowledge().meta.levels[Level.emergency]
    return render(
        request,
        "assess_emergency.html",
        {
            "headline": text.headline,
            "action": text.action,
            "flags": [f for f in result.report.red_flags if f.level is Level.emergency],
            "reasons": result.report.triage.reasons,
            "report_url": f"/assessments/{result.id}",
        },
    )


@router.get("/assessments/{assessment_id}", response_class=HTMLResponse)
def report_page(assessment_id: str, request: Request) -> Response:
    service = service_of(request)
    record = service.assessments.get(assessment_id)
    plan = service.plans.current()
    return render(
        request,
        "report.html",
        {
            "record": record,
            "report": record.report,
            "plan_from_this": plan is not None and service.plans.assessment_id() == record.id,
        },
    )


@router.post("/plan/start", dependencies=[Depends(require_csrf)])
def start_plan(request: Request, assessment_id: str = Form(...)) -> Response:
    service_of(request).plans.start(assessment_id)
    return see_other("/today")
