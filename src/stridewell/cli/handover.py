"""`stridewell handover`: what to bring to a clinician, as a one-page PDF or a FHIR file.

    stridewell handover --pdf visit.pdf --question "Can I race in March?"
    stridewell handover --fhir visit.fhir.json --id 3f2a

The latest assessment by default; `--id` takes an id from `stridewell history` (a unique
start of it will do).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from stridewell.cli.errors import reports_errors
from stridewell.cli.files import write_file
from stridewell.cli.services import local_runner
from stridewell.errors import InvalidInput, NotFound

if TYPE_CHECKING:
    from stridewell.service import RunnerServices


def register(app: typer.Typer) -> None:
    app.command("handover")(handover)


def _assessment_id(runner: RunnerServices, given: str | None) -> str | None:
    """None for the latest; else the full id of the one assessment the text starts."""
    if given is None or given == "latest":
        return None
    prefix = given.strip().lower()
    if len(prefix) >= 32:
        return prefix
    ids = [r.id for r in runner.assessments.history(limit=100_000) if r.id.startswith(prefix)]
    if not ids or not prefix:
        raise NotFound(f"no assessment with id '{given}'")
    if len(ids) > 1:
        raise InvalidInput(f"'{given}' matches several assessments: give more of the id", "id")
    return ids[0]


@reports_errors
def handover(
    pdf: Annotated[
        Path | None,
        typer.Option("--pdf", metavar="FILE", help="Write the one-page summary as PDF to FILE."),
    ] = None,
    fhir: Annotated[
        Path | None,
        typer.Option(
            "--fhir", metavar="FILE", help="Write the summary as a FHIR R4 Bundle (JSON) to FILE."
        ),
    ] = None,
    assessment_id: Annotated[
        str | None,
        typer.Option("--id", metavar="ID", help="Which assessment (default: the latest)."),
    ] = None,
    question: Annotated[
        list[str] | None,
        typer.Option(
            "--question",
            metavar="TEXT",
            help="A question for your clinician (repeatable; printed at the end of the page).",
        ),
    ] = None,
) -> None:
    """Make a summary to bring to a podiatrist, physiotherapist or sports doctor."""
    if pdf is None and fhir is None:
        raise InvalidInput("say where to write it: --pdf FILE, --fhir FILE, or both", "pdf")
    runner = local_runner()
    chosen = _assessment_id(runner, assessment_id)
    questions = question or []
    # Build both before writing either, so a failure leaves no half-made pair of files.
    pdf_bytes = runner.handover.pdf(chosen, questions=questions) if pdf is not None else None
    fhir_text = runner.handover.fhir_json(chosen, questions=questions) if fhir else None
    for path, content in ((pdf, pdf_bytes), (fhir, fhir_text)):
        if path is None or content is None:
            continue
        write_file(path, content, field="pdf" if path is pdf else "fhir")
        typer.echo(f"wrote {path}")
