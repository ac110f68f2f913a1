"""REST API for the handover to a clinician and the clinician's word back.

The PDF routes are plain `def` routes: FastAPI runs them in its thread pool, so the few
hundred milliseconds of rendering never block the event loop.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from stridewell.errors import Forbidden
from stridewell.service import RunnerServices
from stridewell.service.clinician import MAX_NOTE_CHARS, MAX_OTHER_CHARS
from stridewell.service.records import StoredClinicianNote
from stridewell.web.deps import Runner

router = APIRouter(prefix="/api/v1", tags=["handover"])

MAX_QUESTIONS = 10
PDF: dict[int | str, dict[str, object]] = {
    200: {
        "description": "The handover as a one-page (two at most) PDF.",
        "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
    }
}
FHIR: dict[int | str, dict[str, object]] = {
    200: {
        "description": "The handover as a FHIR R4 Bundle (collection).",
        "content": {
            "application/fhir+json": {
                "schema": {
                    "type": "object",
                    "description": "A FHIR R4 Bundle: QuestionnaireResponse, Questionnaire, "
                    "Observations (LOINC 72514-3 pain, weekly distance), ClinicalImpression.",
                    "properties": {"resourceType": {"type": "string", "enum": ["Bundle"]}},
                    "required": ["resourceType"],
                }
            }
        },
    }
}
QUESTIONS = Query(
    default_factory=list,
    max_length=MAX_QUESTIONS,
    description="The runner's questions for the clinician, printed at the end of the page.",
)


def shared_runner(runner_id: str, request: Request, coach: Runner) -> RunnerServices:
    """The services of the runner in the path, for a coach or clinician account they
    share with now: checked before the request body is read, so that nobody else learns
    anything from the route (403 for other accounts, 404 without a share)."""
    account = getattr(request.state, "account", None)
    if account is None or account.role != "coach":
        raise Forbidden("only a coach or clinician account can do this")
    return coach.sharing.runner_view(runner_id)


def _filename(assessment_id: str, suffix: str) -> str:
    safe = "".join(ch for ch in assessment_id if ch.isalnum())[:32] or "latest"
    return f'attachment; filename="stridewell-handover-{safe}.{suffix}"'


@router.get("/assessments/{assessment_id}/handover.pdf", response_class=Response, responses=PDF)
def handover_pdf(assessment_id: str, runner: Runner, question: list[str] = QUESTIONS) -> Response:
    """The handover PDF of a stored assessment (`latest` for the newest)."""
    pdf = runner.handover.pdf(assessment_id, questions=question)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": _filename(assessment_id, "pdf")},
    )


@router.get(
    "/assessments/{assessment_id}/handover.fhir.json", response_class=Response, responses=FHIR
)
def handover_fhir(assessment_id: str, runner: Runner, question: list[str] = QUESTIONS) -> Response:
    """The handover as a FHIR R4 Bundle of a stored assessment (`latest` for the newest)."""
    return Response(
        runner.handover.fhir_json(assessment_id, questions=question),
        media_type="application/fhir+json",
        headers={"Content-Disposition": _filename(assessment_id, "fhir.json")},
    )


class ClinicianNoteBody(BaseModel):
    """A clinician's or coach's word on a runner, with its author."""

    id: str
    author_name: str
    condition_id: str | None = Field(description="a knowledge-base condition; None: other")
    condition_text: str = Field(description="the diagnosis in the author's words, for other")
    restriction: Literal["none", "reduced", "no_running"]
    restrict_until: date | None
    note: str
    recorded_at: datetime

    @classmethod
    def of(cls, note: StoredClinicianNote) -> ClinicianNoteBody:
        return cls(
            id=note.id,
            author_name=note.author_name,
            condition_id=note.condition_id,
            condition_text=note.condition_text,
            restriction=note.restriction,
            restrict_until=note.restrict_until,
            note=note.note,
            recorded_at=note.recorded_at,
        )


class ClinicianNoteIn(BaseModel):
    """What a coach or clinician records on a runner who shares with them."""

    model_config = ConfigDict(extra="forbid")

    condition: str = Field(max_length=64, description="a condition id, or 'other'")
    other_text: str = Field(default="", max_length=MAX_OTHER_CHARS)
    restriction: Literal["none", "reduced", "no_running"] = "none"
    # Bounded here as every date of the API; the service holds it to today .. a year on.
    until: date | None = Field(
        default=None,
        ge=date(1990, 1, 1),
        le=date(2999, 12, 31),
        description="for no_running: the first run day, from today to a year ahead",
    )
    note: str = Field(default="", max_length=MAX_NOTE_CHARS)


@router.get("/clinician-notes", response_model=list[ClinicianNoteBody])
def my_clinician_notes(runner: Runner) -> list[ClinicianNoteBody]:
    """What clinicians recorded on the signed-in runner, newest first."""
    return [ClinicianNoteBody.of(n) for n in runner.clinician.notes()]


@router.post(
    "/coach/runners/{runner_id}/clinician-notes",
    status_code=201,
    response_model=ClinicianNoteBody,
    dependencies=[Depends(shared_runner)],
)
def record_clinician_note(
    runner_id: str, body: ClinicianNoteIn, runner: Runner
) -> ClinicianNoteBody:
    """As a coach or clinician: record a diagnosis, restriction and note on a runner who
    shares with you now. Their recovery plan follows it."""
    note = runner.clinician.record_for(
        runner_id,
        condition=body.condition,
        other_text=body.other_text,
        restriction=body.restriction,
        until=body.until,
        note=body.note,
    )
    return ClinicianNoteBody.of(note)
