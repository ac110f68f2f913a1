"""Assessment pages: the foot map, the question pages (one topic a page, Back keeps the
answers), the emergency result (with a way back to change the answer that led there) and
the report."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from stridewell.knowledge.care import care_for
from stridewell.knowledge.loader import load_knowledge
from stridewell.knowledge.questions import Question, load_questionnaire
from stridewell.levels import Level
from stridewell.report import TriageReport
from stridewell.service.runner import RunnerServices
from stridewell.triage.questionnaire import (
    AnswerError,
    emergency_questions_open,
    level_so_far,
    report_so_far,
    to_assessment,
)
from stridewell.web.csrf import require_csrf
from stridewell.web.forms import (
    BEFORE,
    NONE_OF_THESE,
    NOT_SURE,
    RECENT,
    QuestionPage,
    can_finish,
    clean_trail,
    count_pages,
    dump_answers,
    load_answers,
    next_page,
    page_after,
    page_answers,
    page_of,
    shown_values,
)
from stridewell.web.pages import correction_context, render, see_other, service_of
from stridewell.web.report_view import leading_sign_now, tel_link

router = APIRouter(include_in_schema=False)
LOCATIONS = "locations"
# What the runner needs to do at once, by the level the answers so far reach.
CARE_NOW = (Level.emergency, Level.urgent)
# The `go` of the emergency page's "Change my last answer" (the question pages' Back, from
# the result): back to the page of the answer that made it an emergency, answers kept.
CHANGE_LAST = "change"
# A stored assessment's id as the emergency page's form carries it.
ASSESSMENT_ID = re.compile(r"[0-9a-f]{32}")


def _regions() -> list[Any]:
    question = next(q for q in load_questionnaire().questions if q.field == LOCATIONS)
    return list(question.choices)


def _page(
    request: Request,
    page: QuestionPage,
    answers: dict[str, Any],
    trail: list[str],
    *,
    errors: dict[str, str] | None = None,
    shown: dict[str, Any] | None = None,
    from_runs: tuple[dict[str, str], dict[str, str]] = ({}, {}),
    to_check: list[Question] | None = None,
    corrects: str = "",
    status_code: int = 200,
) -> Response:
    fields = [q.field for q in page.questions]
    prefill, notes = from_runs
    shown = {**prefill, **shown_values(page.questions, answers), **(shown or {})}
    selected = shown.get(LOCATIONS) or []
    so_far = report_so_far(answers)
    level = None if so_far is None else so_far.triage.level
    # Worked out once, and only where a way out is offered: the care box's and "See my
    # report now" both need it.
    offered = level in CARE_NOW or can_finish(trail, page.section)
    may_end = offered and (so_far is None or _may_end_here(so_far, answers, {*answers, *fields}))
    care = None
    if so_far is not None and level in CARE_NOW:
        text = load_knowledge().meta.levels[level]
        action = leading_sign_now(so_far) or text.action
        care = {
            "level": level.value,
            "headline": text.headline,
            "action": action,
            "finish": may_end,
        }
    return render(
        request,
        "assess.html",
        {
            "page": page,
            "answers_json": dump_answers(answers),
            "page_fields": ",".join(fields),
            "trail": ",".join(trail),
            "errors": errors or {},
            "shown": shown,
            "from_runs": notes,
            "regions": _regions() if LOCATIONS in fields else [],
            "selected": set(selected),
            "error": (errors or {}).get(LOCATIONS),
            "not_sure": NOT_SURE,
            "none_of_these": NONE_OF_THESE,
            "recent_suffix": RECENT,
            "before_suffix": BEFORE,
            "count": count_pages(answers, trail, page.section),
            "can_go_back": bool(trail),
            "can_finish": may_end,
            # after an urgent answer, every later page says what to do, with a way out
            "care": care,
            "urgent": level is Level.urgent,
            # after "Change my last answer" on the emergency page: the answers to look at
            "changing": to_check is not None,
            "to_check": [q.prompt for q in to_check or []],
            # the emergency assessment the runner went back from, until the answers are stored
            "corrects": corrects,
        },
        status_code=status_code,
    )


def _show(
    request: Request,
    services: RunnerServices,
    page: QuestionPage,
    answers: dict[str, Any],
    trail: list[str],
    corrects: str = "",
) -> Response:
    """A page as first shown: training questions come filled in from imported runs."""
    from_runs: tuple[dict[str, str], dict[str, str]] = ({}, {})
    if any(q.field.startswith("history.") and q.field not in answers for q in page.questions):
        from_runs = _from_runs(services, page)
    return _page(request, page, answers, trail, from_runs=from_runs, corrects=corrects)


@router.get("/assess", response_class=HTMLResponse)
def assess_start(request: Request) -> Response:
    page = next_page({})
    assert page is not None  # the questionnaire is never empty (the schema says so)
    return _page(request, page, {}, [])


@router.post("/assess", response_class=HTMLResponse, dependencies=[Depends(require_csrf)])
async def assess_step(
    request: Request,
    answers: str = Form(""),
    page_fields: str = Form(""),
    section: str = Form(""),
    trail: str = Form(""),
    go: str = Form("next"),
    corrects: str = Form("", max_length=64),
) -> Response:
    form = await request.form()
    step = Step(
        answers=answers,
        page_fields=set(page_fields.split(",")),
        section=section,
        trail=trail,
        go=go,
        corrects=corrects if ASSESSMENT_ID.fullmatch(corrects) else "",
        values={k: v for k, v in form.items() if isinstance(v, str)},
        lists={k: [v for v in form.getlist(k) if isinstance(v, str)] for k in form},
    )
    # Walking the questionnaire runs the triage engine several times: off the event loop.
    return await run_in_threadpool(_step, request, service_of(request), step)


@dataclass(frozen=True)
class Step:
    """What a question page sent back (form values as given, nothing trusted yet)."""

    answers: str
    page_fields: set[str]
    section: str
    trail: str
    go: str
    # The emergency assessment this walk went back from ("Change my last answer"): only
    # a claim until the service checks it against the runner's own stored assessments.
    corrects: str
    values: dict[str, str]
    lists: dict[str, list[str]]


def _step(request: Request, services: RunnerServices, step: Step) -> Response:
    carried, corrects = load_answers(step.answers), step.corrects
    if step.go == CHANGE_LAST:
        return _change_last(request, carried, step.trail, corrects)
    page = page_of(carried, step.section) if step.section else None
    if page is None:  # an old or tampered form: on from the first open page
        page = next_page(carried)
        if page is None:
            return _finish(request, services, carried, corrects)
    steps = clean_trail(step.trail, page.section)
    # Only the questions this page showed are read (and they must still be on it).
    asked = [q for q in page.questions if q.field in step.page_fields]
    lists = {q.field: step.lists.get(q.field, []) for q in asked}
    new, errors = page_answers(asked, step.values, lists)
    if step.go == "back" and steps:
        # Back keeps what this page holds (what fits), and shows the page before as answered.
        carried = load_answers(dump_answers({**carried, **new}))
        before = page_of(carried, steps[-1]) or next_page(carried)
        if before is not None:
            trail_before = clean_trail(",".join(steps), before.section)
            return _page(request, before, carried, trail_before, corrects=corrects)
    if errors:
        shown = {**step.values, **lists}
        return _page(
            request,
            page,
            carried,
            steps,
            errors=errors,
            shown=shown,
            corrects=corrects,
            status_code=422,
        )
    carried = {**carried, **new}
    so_far = report_so_far(carried)
    level = None if so_far is None else so_far.triage.level
    if level is Level.emergency:
        # stop at once: no more questions (the pages shown so far, for changing an answer)
        return _emergency(request, services, carried, [*steps, page.section], corrects)
    may_end = so_far is None or _may_end_here(so_far, carried, set(carried))
    early = (level in CARE_NOW or can_finish(steps, page.section)) and may_end
    if step.go == "finish" and early:
        return _finish(request, services, carried, corrects)
    following = page_after(carried, page.section) or next_page(carried)
    if following is None:
        return _finish(request, services, carried, corrects)
    trail_then = clean_trail(",".join([*steps, page.section]), following.section)
    return _show(request, services, following, carried, trail_then, corrects)


def _from_runs(
    services: RunnerServices, page: QuestionPage
) -> tuple[dict[str, str], dict[str, str]]:
    """Form values for the page's training questions from the runner's imported runs, and
    the sentence that asks the runner to confirm each."""
    questions = [q for q in page.questions if q.field.startswith("history.")]
    data, _ = services.training.history_from_data()
    if not questions or not data:
        return {}, {}
    figures = _two_weeks_km(services) if "weekly_km_change_pct" in data else {}
    values: dict[str, str] = {}
    notes: dict[str, str] = {}
    for question in questions:
        value = data.get(question.field.removeprefix("history."))
        if value is None:
            continue
        if isinstance(value, bool):
            values[question.field] = "yes" if value else "no"
            notes[question.field] = "Filled in from your imported runs: change it if it is wrong."
            continue
        values[question.field] = f"{value:g}"
        shown = f"{value:+g}" if question.unit == "%" else f"{value:g}"
        try:
            notes[question.field] = (question.confirm or "").format(value=shown, **figures)
        except KeyError:
            notes[question.field] = ""
        if not notes[question.field]:
            notes[question.field] = f"From your imported runs: {shown}. Is that right?"
    return values, notes


def _two_weeks_km(services: RunnerServices) -> dict[str, str]:
    """Running km of the last two weeks and of the two weeks before (the windows the
    weekly change from imported runs compares), for the runner to check."""
    today = services.today()
    zone = services.zone()
    since = datetime.combine(today - timedelta(days=27), time.min, tzinfo=zone)
    recent = before = 0.0
    for run in services.training.activities(limit=None, sport="running", since=since):
        day = run.start_time.astimezone(zone).date()
        if day > today:
            continue
        if day >= today - timedelta(days=13):
            recent += run.distance_m / 1000
        else:
            before += run.distance_m / 1000
    return {"recent_km": f"{recent:.1f}", "before_km": f"{before:.1f}"}


def _finish(
    request: Request, services: RunnerServices, answers: dict[str, Any], corrects: str = ""
) -> Response:
    try:
        assessment = to_assessment(answers)
    except AnswerError as exc:
        page = next_page({})
        assert page is not None
        return _page(request, page, {}, [], errors={LOCATIONS: str(exc)}, status_code=422)
    result = services.assessments.assess(assessment, corrects=corrects or None)
    return see_other(f"/assessments/{result.id}")


def _emergency(
    request: Request,
    services: RunnerServices,
    answers: dict[str, Any],
    trail: list[str],
    corrects: str = "",
) -> Response:
    """The emergency result at once, stored, with a way on to the full report and, below
    it, a way back to change the answer that led there (the answers and the pages shown
    travel in the page's form, as between question pages, and so does this assessment's
    id: the answers stored after a change say which emergency they correct).

    Reached again after a change (another answer still an emergency), it is stored as
    correcting the emergency before it, when the answers differ (the service checks)."""
    result = services.assessments.assess(to_assessment(answers), corrects=corrects or None)
    text = load_knowledge().meta.levels[Level.emergency]
    care = care_for()  # the number and the care links, as the full report shows them
    return render(
        request,
        "assess_emergency.html",
        {
            "headline": text.headline,
            "action": text.action,
            "flags": [f for f in result.report.red_flags if f.level is Level.emergency],
            "reasons": result.report.triage.reasons,
            "report_url": f"/assessments/{result.id}",
            "care": care,
            "tel": tel_link(care),
            "answers_json": dump_answers(answers),
            "trail": ",".join(trail),
            "corrects": result.id or "",
        },
    )


def _change_last(
    request: Request, answers: dict[str, Any], trail: str, corrects: str = ""
) -> Response:
    """The page whose answers made the answers an emergency (the last page the runner
    sent: the questions stop at once), shown again with every answer as given and the
    ones that made it an emergency named. Nothing is stored here.

    Nothing is cleared for the runner: a cleared answer left blank counts as "not sure",
    and a blank must never hide an emergency the runner did not take back. The runner
    changes the answer given by mistake; sent unchanged, the page is an emergency again.
    A form whose trail names no page (old or tampered) shows the first open page.
    ``corrects`` (the emergency assessment) rides along to the answers stored next.
    """
    shown = [section for section in trail.split(",") if section]
    page = (page_of(answers, shown[-1]) if shown else None) or next_page(answers)
    page = page or next_page({})
    assert page is not None  # the questionnaire is never empty (the schema says so)
    causes = _emergency_answers(answers, page)
    trail_now = clean_trail(trail, page.section)
    return _page(request, page, answers, trail_now, to_check=causes, corrects=corrects)


def _emergency_answers(answers: dict[str, Any], page: QuestionPage) -> list[Question]:
    """The page's questions whose answer alone makes the answers an emergency (taken
    back, the level is no longer one); empty if none does alone (two warning signs)."""
    if level_so_far(answers) is not Level.emergency:
        return []
    return [
        question
        for question in page.questions
        if question.field in answers
        and level_so_far({k: v for k, v in answers.items() if k != question.field})
        is not Level.emergency
    ]


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
            **correction_context(
                service.assessments,
                record,
                runner=True,
                prefix="/assessments/",
                zone=service.zone(),
            ),
        },
    )


@router.post("/plan/start", dependencies=[Depends(require_csrf)])
def start_plan(request: Request, assessment_id: str = Form(...)) -> Response:
    service_of(request).plans.start(assessment_id)
    return see_other("/today")


def _may_end_here(so_far: TriageReport, answers: dict[str, Any], shown: set[str]) -> bool:
    """Whether the questions may end here for the report (``shown``: the fields asked
    on this page and before it, "Not sure" being an answer). Never before a question
    still to come could make it an emergency: a sudden Achilles pain is "within one to
    two days" before the push-off question, and weak push-off makes it a rupture to be
    seen today. Unless the warning sign that sets the level already says to get care
    today."""
    if so_far.triage.level is Level.emergency or leading_sign_now(so_far) is not None:
        return True
    return emergency_questions_open(answers) <= shown
