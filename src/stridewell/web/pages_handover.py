"""Handover pages: the runner's questions before the PDF, and for a coach or clinician a
runner shares with, the handover PDF and the form for their word back.

`clinician_word` is a template global: Today and the report show the runner's latest
clinician note without their routes knowing about it.
"""

from __future__ import annotations

from datetime import date, tzinfo

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from stridewell.errors import Forbidden, InvalidInput, NotFound
from stridewell.service.clinician import (
    OTHER,
    RESTRICTION_WORDS,
    condition_names,
    diagnosis_words,
    restriction_words,
)
from stridewell.service.records import StoredClinicianNote
from stridewell.web.api_handover import shared_runner
from stridewell.web.csrf import require_csrf
from stridewell.web.deps import App, Runner, app_service
from stridewell.web.pages import render, see_other

router = APIRouter(include_in_schema=False)
MAX_QUESTIONS = 10


def _multi_user(request: Request) -> None:
    if not request.app.state.multi_user:
        raise NotFound("accounts exist only in multi-user mode (stridewell serve --multi-user)")


def _require_coach(request: Request) -> None:
    account = request.state.account
    if account is None or account.role != "coach":
        raise Forbidden("only a coach or clinician account can open this page")


class ClinicianWord:
    """A clinician note as pages show it."""

    def __init__(self, note: StoredClinicianNote, zone: tzinfo) -> None:
        self.note = note
        self.on = note.recorded_at.astimezone(zone).date()  # the runner's day
        self.diagnosis = diagnosis_words(note)
        self.restriction = restriction_words(note)
        self.author = note.author_name
        self.text = note.note


def clinician_word(request: Request) -> ClinicianWord | None:
    """The signed-in runner's latest clinician note (a template global; None on pages
    without a runner)."""
    runner = getattr(request.state, "runner_id", None)
    if not isinstance(runner, str):
        return None
    services = app_service(request).for_runner(runner)
    note = services.clinician.latest()
    return None if note is None else ClinicianWord(note, services.zone())


@router.get("/assessments/{assessment_id}/handover", response_class=HTMLResponse)
def handover_page(assessment_id: str, request: Request, runner: Runner) -> Response:
    """The runner writes their questions, then downloads the PDF (or the FHIR file)."""
    record = runner.handover.record(assessment_id)
    return render(
        request,
        "handover/prepare.html",
        {"record": record, "report": record.report, "max_questions": MAX_QUESTIONS},
    )


@router.get("/coach/runners/{runner_id}/handover.pdf", dependencies=[Depends(_multi_user)])
def coach_handover_pdf(
    runner_id: str,
    request: Request,
    coach: Runner,
    assessment: str = Query("latest", max_length=64),
) -> Response:
    """The handover PDF of a runner who shares with this coach or clinician now."""
    _require_coach(request)
    pdf = coach.sharing.runner_view(runner_id).handover.pdf(assessment)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": 'attachment; filename="stridewell-handover.pdf"'},
    )


@router.get(
    "/coach/runners/{runner_id}/clinician",
    response_class=HTMLResponse,
    dependencies=[Depends(_multi_user)],
)
def clinician_page(runner_id: str, request: Request, coach: Runner, service: App) -> Response:
    _require_coach(request)
    shared = coach.sharing.runner_view(runner_id)
    return render(
        request,
        "handover/clinician.html",
        {
            "runner": service.accounts.account_of(runner_id),
            "runner_id": runner_id,
            "conditions": sorted(condition_names().items(), key=lambda c: c[1]),
            "other": OTHER,
            "restrictions": RESTRICTION_WORDS,
            "notes": [ClinicianWord(n, shared.zone()) for n in shared.clinician.notes()],
            "today": shared.today(),
            "zone": shared.zone(),
        },
    )


@router.post(
    "/coach/runners/{runner_id}/clinician",
    dependencies=[Depends(_multi_user), Depends(shared_runner), Depends(require_csrf)],
)
def record_clinician_word(
    runner_id: str,
    request: Request,
    coach: Runner,
    condition: str = Form(..., max_length=64),
    other_text: str = Form("", max_length=200),
    restriction: str = Form("none", max_length=16),
    until: str = Form("", max_length=10),
    note: str = Form("", max_length=2000),
) -> Response:
    _require_coach(request)
    coach.clinician.record_for(
        runner_id,
        condition=condition,
        other_text=other_text,
        restriction=restriction,
        until=_day(until) if restriction == "no_running" else None,
        note=note,
    )
    return see_other(f"/coach/runners/{runner_id}/clinician")


def _day(value: str) -> date | None:
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput("the day as YYYY-MM-DD", "until") from None
