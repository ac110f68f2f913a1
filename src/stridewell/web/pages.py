"""Server-rendered pages: shared rendering, the home page and the page routers.

Pages are thin like the CLI: each route calls the service facade and renders a template.
Forms post back with the CSRF token (`web.csrf`) and redirect after success (303), so a
reload never repeats a write.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from datetime import date, datetime, tzinfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import pass_context
from jinja2.runtime import Context

from stridewell.knowledge import load_knowledge
from stridewell.knowledge.vocabulary import vocabulary
from stridewell.service import RunnerServices
from stridewell.service.assessments import AssessmentService
from stridewell.service.clinician import condition_names
from stridewell.service.demo import DEMO_RUNNER_ID
from stridewell.service.records import StoredAssessment
from stridewell.service.zones import MACHINE_ZONE
from stridewell.text import day_words, time_words
from stridewell.triage.correction import mark
from stridewell.web.csrf import csrf_token
from stridewell.web.deps import App, Runner, runner_services

router = APIRouter(include_in_schema=False)

NAV = (
    ("/", "Home"),
    ("/today", "Today"),
    ("/assess", "Assess"),
    ("/journal", "Journal"),
    ("/training", "Training"),
    ("/shoes", "Shoes"),
)


def render(
    request: Request, template: str, context: Mapping[str, object], status_code: int = 200
) -> Response:
    """A page from its template, with what every page needs (token, navigation, version).
    Its dates and times are in ``zone``: the context's (a coach's page of a runner gives
    the runner's), else the signed-in runner's."""
    templates = request.app.state.templates
    account = getattr(request.state, "account", None)
    nav = list(NAV)
    if account is not None and account.role == "coach":
        nav.append(("/coach", "Runners"))
    if not request.app.state.multi_user or account is not None:
        nav.append(("/account", "Account"))
    base = {
        "csrf_token": csrf_token(request),
        "nav": nav if getattr(request.state, "runner_id", None) else [("/login", "Sign in")],
        "account": account,
        "here": request.url.path,
        "kb_version": load_knowledge().version,
        "level_label": level_label,
        "trend_label": trend_label,
        "shoe_type_label": shoe_type_label,
        "cause_name": cause_name,
        "correction_marks": correction_marks,
        # The banner on every page while the demo runner's data is shown (web.pages_demo).
        "viewing_demo": getattr(request.state, "runner_id", None) == DEMO_RUNNER_ID,
        "zone": context.get("zone") or _page_zone(request),
    }
    response: Response = templates.TemplateResponse(
        request, template, {**base, **context}, status_code=status_code
    )
    _give_back_connection(request)
    return response


def _page_zone(request: Request) -> tzinfo:
    """The signed-in runner's time zone; the machine's on a page without a runner, and on
    an error page made on the event loop (no database read there; it shows no times)."""
    if not isinstance(getattr(request.state, "runner_id", None), str) or _on_event_loop():
        return MACHINE_ZONE
    return service_of(request).zone()


def _in_page_zone(context: Context, moment: date) -> date:
    zone = context.get("zone")
    if isinstance(moment, datetime) and moment.tzinfo is not None and isinstance(zone, tzinfo):
        return moment.astimezone(zone)
    return moment


@pass_context
def zoned_day_words(context: Context, moment: date, **options: bool) -> str:
    """The ``day_words`` filter: a moment's day in the page's zone (see ``render``)."""
    return day_words(_in_page_zone(context, moment), **options)


@pass_context
def zoned_time_words(context: Context, moment: datetime, *, zone: bool = False) -> str:
    """The ``time_words`` filter: a moment on the clock of the page's zone."""
    shown = _in_page_zone(context, moment)
    assert isinstance(shown, datetime)
    return time_words(shown, zone=zone)


def _give_back_connection(request: Request) -> None:
    """End the request's shared read transaction once its page is made (``web.auth``).

    A page route runs in the thread pool, so this costs no thread hop of its own, and
    the connection goes back to the pool before the page is sent. On the event loop (an
    error page) it is left to the auth middleware, which closes it off the loop. A read
    after this (none is expected) opens the scope again, and the middleware closes that.
    """
    reads = getattr(request.state, "shared_reads", None)
    if reads is None or not reads.opened or _on_event_loop():
        return
    reads.close()


def _on_event_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def level_label(level: str) -> str:
    """A triage level in the vocabulary's words, as the report card says it ("Manage it
    at home for now"): one set of level words for every page."""
    return vocabulary().level(level).label


def trend_label(direction: str) -> str:
    """A pain trend in the vocabulary's words ("getting better", "not enough check-ins yet")."""
    return vocabulary().trend(direction).label


def shoe_type_label(kind: str) -> str:
    """A kind of shoe as the shoe form names it ("Neutral cushioned")."""
    return vocabulary().shoe_type(kind).label


def cause_name(record: StoredAssessment, none: str = "no clear cause") -> str:
    """An assessment's leading cause in its report's own words (the knowledge base's
    name, "Plantar fasciitis (plantar heel pain)"), never its id."""
    if record.top_condition is None:
        return none
    for cause in record.report.get("conditions", []):
        if isinstance(cause, dict) and cause.get("id") == record.top_condition:
            return str(cause.get("name") or none)
    return condition_names().get(record.top_condition, none)


def correction_marks(
    records: Sequence[StoredAssessment], *, runner: bool, zone: tzinfo
) -> dict[str, str]:
    """The mark of each listed assessment of a corrected emergency, by id: the emergency
    ("Emergency result; you changed an answer afterwards (see the assessment of ...)"),
    and the assessment that corrects it when the emergency is on the same page. The
    runner reads "you"; a coach or clinician reads "the runner". Times are in ``zone``,
    the page's (the runner's)."""
    at = {r.id: r.created_at for r in records}
    marks: dict[str, str] = {}
    for record in records:
        if record.corrected_by_id is not None and record.corrected_at is not None:
            marks[record.id] = mark("corrected", record.corrected_at, zone, runner=runner)
        elif record.corrects_id in at:
            marks[record.id] = mark("corrects", at[record.corrects_id], zone, runner=runner)
    return marks


def correction_context(
    assessments: AssessmentService,
    record: StoredAssessment,
    *,
    runner: bool,
    prefix: str,
    zone: tzinfo,
) -> dict[str, object]:
    """What a report page says of a corrected emergency (either of its two assessments):
    the mark, a link to the other assessment (``prefix`` + its id) and the answers that
    changed. Nothing for an assessment that has no part in a correction."""
    correction = assessments.correction(record)
    if correction is None:
        return {"correction": None}
    return {
        "correction": correction.sentence(zone, runner=runner),
        "correction_url": f"{prefix}{correction.other_id}",
        "correction_title": vocabulary().correction.changed,
        "correction_changes": [change.words for change in correction.changes],
    }


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def service_of(request: Request) -> RunnerServices:
    """The signed-in runner's services, for code that has the request but is no route
    (routes take the `web.deps.Runner` dependency)."""
    return runner_services(request)


@router.get("/", response_class=HTMLResponse)
def home(request: Request, runner: Runner, service: App) -> Response:
    recent = runner.assessments.history(limit=10)
    plan = runner.plans.current()
    # A one-person install with a demo runner offers to look at it (web.pages_demo).
    demo_on_offer = (
        not request.app.state.multi_user
        and runner.runner_id != DEMO_RUNNER_ID
        and service.demo.exists()
    )
    context = {"recent": recent, "plan": plan, "demo_on_offer": demo_on_offer}
    return render(request, "home.html", context)
